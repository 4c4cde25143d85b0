using System.Text.Json.Nodes;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Schema;
using Engagements.Roles;

namespace Engagements.Bot;

/// <summary>The person behind an activity: Entra object id (roles are keyed on it), display name and Teams user id.</summary>
public sealed record Caller(string? AadObjectId, string Name, string? TeamsUserId, IReadOnlySet<Role> Roles)
{
    public bool Has(Role role) => Roles.Contains(role);

    public bool HasAny(params Role[] roles) => roles.Any(Roles.Contains);
}

/// <summary>One inbound activity with what every handler needs: the text without the bot's mention, the caller, and a way to answer.</summary>
public sealed class TurnContext(Activity activity, Caller caller, IConnectorClient connector)
{
    public Activity Activity { get; } = activity;

    public Caller Caller { get; } = caller;

    public string Text { get; } = activity.RemoveRecipientMention() ?? "";

    public string ConversationId => Activity.Conversation?.Id ?? "";

    public Task<SendResult> ReplyAsync(Activity reply, CancellationToken cancellationToken) =>
        connector.SendAsync(Activity.ServiceUrl!, ConversationId, reply, cancellationToken);

    public Task<SendResult> ReplyCardAsync(JsonObject card, CancellationToken cancellationToken) =>
        ReplyAsync(Messages.Card(card), cancellationToken);

    public Task<SendResult> ReplyTextAsync(string text, CancellationToken cancellationToken) =>
        ReplyAsync(Messages.Text(text), cancellationToken);
}

public static class Messages
{
    public static Activity Text(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };

    public static Activity Card(JsonObject card) => new()
    {
        Type = ActivityTypes.Message,
        Attachments = [Attachment.AdaptiveCard(card)],
    };
}
