using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Connector;

/// <summary>The Bot Connector REST API (notes §3). Every call goes to the given serviceUrl; the bot token is attached only for allow-listed hosts.</summary>
public interface IConnectorClient
{
    /// <param name="retryAmbiguous">
    /// False: a POST that may have landed (5xx, timeout) is returned at once as <see cref="SendResult.Ambiguous"/>
    /// instead of being posted again here, so a caller that can look the message up first (the outbox) decides.
    /// </param>
    Task<SendResult> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default, bool retryAmbiguous = true);

    Task<SendResult> ReplyAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default);

    Task<SendResult> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    Task<SendResult> DeleteAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken = default);

    /// <summary>Creates a 1:1 conversation or a new channel thread. <see cref="SendResult.ActivityId"/> carries the new conversation id's first activity, <see cref="SendResult.ConversationId"/> the conversation.</summary>
    Task<SendResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default, bool retryAmbiguous = true);

    Task<ChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default);

    Task<PagedMembersResult> GetPagedMembersAsync(string serviceUrl, string conversationId, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChannelInfo>> GetTeamChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken = default);
}

public enum SendOutcome
{
    Sent,
    /// <summary>429 after the retry budget: try again later (<see cref="SendResult.RetryAfter"/>).</summary>
    Throttled,
    /// <summary>404: the conversation or user is gone; stop sending there.</summary>
    RecipientGone,
    /// <summary>403 MessageWritesBlocked: the user blocked or uninstalled the bot; never retried.</summary>
    WritesBlocked,
    Failed,
}

/// <param name="Ambiguous">True when the request may have landed although we saw no success (timeout or 5xx on a POST).</param>
public sealed record SendResult(
    SendOutcome Outcome,
    string? ActivityId = null,
    string? ConversationId = null,
    int? StatusCode = null,
    TimeSpan? RetryAfter = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    bool Ambiguous = false)
{
    public bool Succeeded => Outcome == SendOutcome.Sent;
}
