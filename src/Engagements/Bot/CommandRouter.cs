using Engagements.AccountAccess;
using Engagements.Alerts;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Health;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.Playbooks;
using Engagements.Roles;
using Engagements.Standup;

namespace Engagements.Bot;

/// <summary>Runs a parsed command: checks the role it needs, then calls the service that owns it.</summary>
public sealed class CommandRouter(
    CardCatalog cards,
    RoleAdministration roleAdministration,
    ChannelBindings channelBindings,
    NewEngagementForm newEngagement,
    AccountAccessCommands accountAccess,
    StandupCommands standup,
    OnboardingTurns onboarding,
    HealthService health,
    AlertService alerts,
    PlaybookReport playbooks)
{
    public async Task RunAsync(TurnContext turn, Command command, CancellationToken cancellationToken)
    {
        switch (command.Kind)
        {
            case CommandKind.Help:
                await turn.ReplyCardAsync(HelpCard(turn.Caller), cancellationToken);
                break;

            case CommandKind.Kickoff:
                await onboarding.KickoffAsync(turn, command, cancellationToken);
                break;

            case CommandKind.Done:
                await onboarding.DoneAsync(turn, command, cancellationToken);
                break;

            case CommandKind.Health:
                await turn.ReplyCardAsync(await health.ExplainAsync(command.Subject ?? "", cancellationToken), cancellationToken);
                break;

            case CommandKind.Alerts:
                await turn.ReplyCardAsync(await alerts.OpenAlertsCardAsync(cancellationToken), cancellationToken);
                break;

            case CommandKind.Playbooks when !turn.Caller.HasAny(Role.Csm, Role.Manager, Role.Admin):
                await turn.ReplyCardAsync(Refusal("playbooks", "a CSM, manager or admin"), cancellationToken);
                break;

            case CommandKind.Playbooks:
                await turn.ReplyCardAsync(await playbooks.CardAsync(cancellationToken), cancellationToken);
                break;

            case CommandKind.Unknown:
                await turn.ReplyCardAsync(HelpCard(turn.Caller, $"I didn't understand \"{Shorten(turn.Text)}\". Here is what I can do:"), cancellationToken);
                break;

            case CommandKind.Grant:
                await turn.ReplyCardAsync(await roleAdministration.GrantAsync(turn, command, cancellationToken), cancellationToken);
                break;

            case CommandKind.Revoke:
                await turn.ReplyCardAsync(await roleAdministration.RevokeAsync(turn, command, cancellationToken), cancellationToken);
                break;

            case CommandKind.UseChannel:
                await turn.ReplyCardAsync(await channelBindings.BindAsync(turn, command.Subject, cancellationToken), cancellationToken);
                break;

            case CommandKind.NewEngagement:
                await turn.ReplyCardAsync(await newEngagement.ShowAsync(turn.Caller, cancellationToken), cancellationToken);
                break;

            case CommandKind.AccountWorks:
            case CommandKind.AccountNotWorking:
                await accountAccess.ReportAsync(turn, command, cancellationToken);
                break;

            case CommandKind.FollowUp:
                await accountAccess.FollowUpAsync(turn, command, cancellationToken);
                break;

            case CommandKind.Status:
                await standup.StatusAsync(turn, command.Subject!, cancellationToken);
                break;

            case CommandKind.Board:
                await standup.BoardAsync(turn, command.Subject, cancellationToken);
                break;

            case CommandKind.MyWork:
                await standup.MyWorkAsync(turn, cancellationToken);
                break;

            case CommandKind.Overdue:
                await standup.OverdueAsync(turn, cancellationToken);
                break;

            case CommandKind.Blocked:
                await standup.BlockedAsync(turn, command.Subject!, command.Detail!, cancellationToken);
                break;

            case CommandKind.Unblocked:
                await standup.UnblockedAsync(turn, command.Subject!, cancellationToken);
                break;

            default:
                await turn.ReplyCardAsync(
                    cards.Render("message", new { title = "Not available yet", text = $"`{command.Kind}` is coming soon.", style = "warning" }),
                    cancellationToken);
                break;
        }
    }

    public Task WelcomeAsync(TurnContext turn, CancellationToken cancellationToken) =>
        turn.ReplyCardAsync(cards.Render("welcome", new { conversationName = turn.Activity.Conversation?.Name }), cancellationToken);

    private System.Text.Json.Nodes.JsonObject HelpCard(Caller caller, string? intro = null) => cards.Render("help", new
    {
        title = "What I can do for you",
        intro = intro ?? "Mention me in a channel or write to me here. Commands are not case-sensitive.",
        roles = caller.Roles.Count == 0 ? null : string.Join(", ", caller.Roles.Order().Select(DisplayText.Of)),
        commands = HelpCatalog.For(caller.Roles).Select(e => new { name = e.Usage, description = e.Description }),
    });

    private System.Text.Json.Nodes.JsonObject Refusal(string command, string who) =>
        cards.Render("message", new { title = "Not allowed", text = $"`{command}` is for {who}. Nothing was changed.", style = "warning" });

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
