using System.Text.Json;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Hosting;
using Engagements.BotFramework.Schema;
using Engagements.Conversations;
using Engagements.Roles;

namespace Engagements.Bot;

/// <summary>The one switch on activity type: every turn is stored, then routed to the command grammar or a card verb.</summary>
public sealed partial class EngagementsBot(
    ConversationStore conversations,
    RoleService roles,
    IConnectorClient connector,
    CommandRouter commands,
    CardActionRouter cardActions,
    ILogger<EngagementsBot> logger) : IBot
{
    public async Task<InvokeResponse?> OnTurnAsync(Activity activity, CancellationToken cancellationToken)
    {
        await conversations.RememberAsync(activity, cancellationToken);
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                if (!await conversations.ClaimAsync(activity, cancellationToken))
                {
                    LogDuplicate(activity.Id, activity.Conversation?.Id);
                    return null;
                }

                var turn = await CreateTurnAsync(activity, cancellationToken);
                await commands.RunAsync(turn, CommandParser.Parse(turn.Text), cancellationToken);
                return null;

            case ActivityTypes.InstallationUpdate when activity.Action is "add" or "add-upgrade":
            case ActivityTypes.ConversationUpdate when activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true:
                await WelcomeAsync(activity, cancellationToken);
                return null;

            case ActivityTypes.InstallationUpdate when activity.Action is "remove" or "remove-upgrade":
                await conversations.ForgetWelcomeAsync(activity.Conversation?.Id ?? "", cancellationToken);
                return null;

            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return await OnCardActionAsync(activity, cancellationToken);

            default:
                // Unknown activity types are ignored (protocol A2006); an unknown invoke gets 501 from the host.
                return null;
        }
    }

    private async Task<InvokeResponse> OnCardActionAsync(Activity activity, CancellationToken cancellationToken)
    {
        // The SDK's checks on an adaptiveCard/action value, answered the same way: HTTP 400 with an error body.
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return BadInvoke("BadRequest", "Missing value property");
        }

        var invoke = value.Deserialize<AdaptiveCardInvokeValue>(BotJson.Options);
        if (invoke?.Action is null)
        {
            return BadInvoke("BadRequest", "Missing action property");
        }

        if (invoke.Action.Type != "Action.Execute")
        {
            return BadInvoke("NotSupported", $"The action '{invoke.Action.Type}' is not supported.");
        }

        var turn = await CreateTurnAsync(activity, cancellationToken);
        var response = await cardActions.RunAsync(turn, invoke.Action, cancellationToken);
        return new InvokeResponse(200, response);
    }

    private static InvokeResponse BadInvoke(string code, string message) =>
        new(400, AdaptiveCardInvokeResponse.Error(400, code, message));

    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Conversation?.Id is not { } conversationId || !await conversations.MarkWelcomedAsync(conversationId, cancellationToken))
        {
            return;
        }

        var turn = await CreateTurnAsync(activity, cancellationToken);
        await commands.WelcomeAsync(turn, cancellationToken);
    }

    private async Task<TurnContext> CreateTurnAsync(Activity activity, CancellationToken cancellationToken)
    {
        var from = activity.From;
        var caller = new Caller(
            from?.AadObjectId,
            from?.Name ?? "there",
            from?.Id,
            await roles.RolesOfAsync(from?.AadObjectId, cancellationToken));
        return new TurnContext(activity, caller, connector);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped redelivered activity {ActivityId} in {ConversationId}")]
    private partial void LogDuplicate(string? activityId, string? conversationId);
}
