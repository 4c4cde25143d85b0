using Engagements.Cards;
using Engagements.Onboarding;
using Engagements.Roles;

namespace Engagements.Bot;

/// <summary>Runs a parsed command: checks the role it needs, then calls the service that owns it.</summary>
public sealed class CommandRouter(CardCatalog cards, OnboardingTurns onboarding)
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

            case CommandKind.Unknown:
                await turn.ReplyCardAsync(HelpCard(turn.Caller, $"I didn't understand \"{Shorten(turn.Text)}\". Here is what I can do:"), cancellationToken);
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
        roles = caller.Roles.Count == 0 ? null : string.Join(", ", caller.Roles.Order()),
        commands = HelpCatalog.For(caller.Roles).Select(e => new { name = e.Usage, description = e.Description }),
    });

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
