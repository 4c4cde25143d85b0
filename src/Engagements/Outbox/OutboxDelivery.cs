using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Schema;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Outbox;

/// <summary>What one delivery attempt came to; the sender writes it onto the message.</summary>
internal sealed record DeliveryOutcome(
    OutboxState State,
    bool Retry = false,
    TimeSpan? RetryAfter = null,
    bool CountsAsAttempt = true,
    string? ActivityId = null,
    string? ConversationId = null,
    string? Error = null,
    bool Settled = false)
{
    public static DeliveryOutcome Sent(string? activityId, string? conversationId, string? note = null) =>
        new(OutboxState.Sent, ActivityId: activityId, ConversationId: conversationId, Error: note);

    // Reading the conversation back settled an earlier ambiguity: the message is in Teams exactly once.
    public static DeliveryOutcome SettledSent(string? activityId, string? conversationId, string note) =>
        new(OutboxState.Sent, ActivityId: activityId, ConversationId: conversationId, Error: note, Settled: true);

    public static DeliveryOutcome Failed(string error) => new(OutboxState.Failed, Error: error);

    public static DeliveryOutcome RetryLater(string error, TimeSpan? after = null) => new(OutboxState.Pending, Retry: true, RetryAfter: after, Error: error);

    // Not an attempt: the message waits for something that comes first (the post an update refers to).
    public static DeliveryOutcome Wait(string reason, TimeSpan after) =>
        new(OutboxState.Pending, Retry: true, RetryAfter: after, CountsAsAttempt: false, Error: reason);
}

/// <summary>Delivers one outbox message by kind (scoped: it reads and writes stored conversations).</summary>
internal sealed class OutboxDelivery(
    EngagementsDb db, IConnectorClient connector, IMailSender mail, PostReadBack readBack, TimeProvider clock, IOptions<OutboxOptions> options)
{
    private const string ChannelType = "channel";
    private const string GroupChatType = "groupChat";
    private const string PersonalType = "personal";
    private const int RosterPageSize = 500;

    public Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) => message.Kind switch
    {
        OutboxKind.SendToConversation => SendToConversationAsync(message, cancellationToken),
        OutboxKind.SendPersonal => SendPersonalAsync(message, cancellationToken),
        OutboxKind.UpdateActivity => ChangeActivityAsync(message, delete: false, cancellationToken),
        OutboxKind.DeleteActivity => ChangeActivityAsync(message, delete: true, cancellationToken),
        OutboxKind.SendEmail => SendEmailAsync(message, cancellationToken),
        _ => Task.FromResult(DeliveryOutcome.Failed($"Unknown outbox kind {message.Kind}")),
    };

    private async Task<DeliveryOutcome> SendToConversationAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var conversationId = message.ConversationId ?? throw new InvalidOperationException("SendToConversation without a conversation id.");
        var stored = await FindConversationAsync(conversationId, cancellationToken);
        var serviceUrl = message.ServiceUrl ?? stored?.ServiceUrl;
        var tenantId = message.TenantId ?? stored?.TenantId;
        if (serviceUrl is null)
        {
            return DeliveryOutcome.Failed($"No stored conversation {conversationId} (the bot was never installed there)");
        }

        var activity = Payload(message);
        StampConversation(activity, conversationId, tenantId);
        var startsThread = stored?.ConversationType == ChannelType && OutboxMessage.ThreadRootOf(conversationId) is null;
        var channelId = stored?.TeamsChannelId ?? OutboxMessage.ChannelOf(conversationId);
        if (startsThread && tenantId is null)
        {
            return DeliveryOutcome.Failed($"No tenant stored for channel {conversationId}; Teams needs it to start a thread");
        }

        var where = readBack.Enabled && tenantId is not null ? GraphMessages.For(stored, conversationId) : null;
        var check = await ReadBackAsync(message, activity, where, tenantId, stored?.BotId, cancellationToken);
        if (check.Landed is { } landed)
        {
            return DeliveryOutcome.SettledSent(landed, startsThread ? $"{channelId};messageid={landed}" : conversationId, check.Note!);
        }

        // Where the conversation can be read back, a POST that may have landed comes back here rather than being
        // posted again by the connector: the next attempt looks for it first.
        var retryAmbiguous = where is null;
        if (startsThread)
        {
            // A channel post starts a thread of its own (notes §3.3); its id is what later updates address.
            var created = await connector.CreateConversationAsync(
                serviceUrl, TeamsConversations.ChannelThread(channelId, tenantId!, activity), cancellationToken, retryAmbiguous);
            return check.Settle(FromSend(created, created.ConversationId, created.ActivityId));
        }

        var sent = await connector.SendAsync(serviceUrl, conversationId, activity, cancellationToken, retryAmbiguous);
        return check.Settle(FromSend(sent, conversationId, sent.ActivityId));
    }

    private sealed record ReadBackCheck(string? Landed, string? Note, bool ProvenAbsent)
    {
        public static readonly ReadBackCheck None = new(null, null, false);

        // Proven absent and now sent once: the earlier ambiguity is settled.
        public DeliveryOutcome Settle(DeliveryOutcome outcome) =>
            ProvenAbsent && outcome.State == OutboxState.Sent && outcome.Error is null
                ? DeliveryOutcome.SettledSent(outcome.ActivityId, outcome.ConversationId, Note! + "; sent now")
                : outcome;
    }

    // Every post carries the marker (its first attempt cannot know it will need it); a post whose earlier attempt may
    // have landed is looked for before it is sent again.
    private async Task<ReadBackCheck> ReadBackAsync(
        OutboxMessage message, Activity activity, GraphMessages? where, string? tenantId, string? botId, CancellationToken cancellationToken)
    {
        var marker = PostReadBack.MarkerFor(message.Sequence);
        var cards = activity.Attachments?.Where(a => a.ContentType == Attachment.AdaptiveCardContentType && a.Content is JsonObject).ToList() ?? [];
        if (readBack.Enabled)
        {
            // The card's root id is ours to set (no card of ours uses it); a kept id of another kind would never match.
            foreach (var card in cards)
            {
                card.Content!["id"] = marker;
            }
        }

        if (where is null || tenantId is null || !OutboxMessage.IsAmbiguous(message.LastError))
        {
            return ReadBackCheck.None;
        }

        var post = new PostToFind(
            where, tenantId, BotAppId(botId), marker, cards.Count == 0 ? activity.Text : null, message.CreatedAt - options.Value.ReadBack.ClockSkew);
        var result = await readBack.FindAsync(post, cancellationToken);
        switch (result.Verdict)
        {
            case ReadBackVerdict.Landed:
                var owned = await db.OutboxMessages.AsNoTracking()
                    .Where(m => m.ResultActivityId != null && result.MessageIds.Contains(m.ResultActivityId)
                        && m.OrderingKey == message.OrderingKey && m.Sequence != message.Sequence)
                    .Select(m => m.ResultActivityId!)
                    .ToListAsync(cancellationToken);
                // Only other rows' posts matched (the same text twice): unless every page was read, absence is unproven.
                return result.MessageIds.FirstOrDefault(id => !owned.Contains(id)) is { } landed
                    ? new ReadBackCheck(landed, result.Detail + "; not sent again", false)
                    : ReadBackCheck.None;
            case ReadBackVerdict.NotThere:
                return new ReadBackCheck(null, result.Detail, true);
            default:
                return ReadBackCheck.None;
        }
    }

    // Teams prefixes a bot's id with "28:"; Graph names the app by its bare id.
    private static string? BotAppId(string? botId) =>
        botId is null ? null : botId.StartsWith("28:", StringComparison.Ordinal) ? botId[3..] : botId;

    private async Task<DeliveryOutcome> SendPersonalAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var aadObjectId = message.RecipientAadObjectId ?? throw new InvalidOperationException("SendPersonal without a recipient.");
        var personal = await db.Conversations.AsNoTracking()
            .Where(c => c.UserAadObjectId == aadObjectId && c.ConversationType == PersonalType)
            .OrderByDescending(c => c.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (personal is null)
        {
            var (created, failure) = await CreatePersonalConversationAsync(aadObjectId, cancellationToken);
            if (created is null)
            {
                return failure!;
            }

            personal = created;
        }

        var activity = Payload(message);
        StampConversation(activity, personal.ConversationId, personal.TenantId);
        var sent = await connector.SendAsync(personal.ServiceUrl, personal.ConversationId, activity, cancellationToken);
        return FromSend(sent, personal.ConversationId, sent.ActivityId);
    }

    // Teams creates (or returns) the 1:1 chat with a user who has the app installed; we need the user's bot-specific
    // Teams id, and the bot id, serviceUrl and tenant from any conversation the bot already has in that tenant.
    private async Task<(StoredConversation? Conversation, DeliveryOutcome? Failure)> CreatePersonalConversationAsync(string aadObjectId, CancellationToken cancellationToken)
    {
        var known = await db.Conversations.AsNoTracking()
            .Where(c => c.UserAadObjectId == aadObjectId && c.UserId != null)
            .OrderByDescending(c => c.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var engineer = await db.Engineers.AsNoTracking().FirstOrDefaultAsync(e => e.AadObjectId == aadObjectId, cancellationToken);
        var userId = engineer?.TeamsUserId ?? known?.UserId;
        var member = userId is null ? await FindInRostersAsync(aadObjectId, cancellationToken) : null;
        userId ??= member?.Id;
        if (userId is null)
        {
            return (null, DeliveryOutcome.Failed(
                $"No Teams user id for {aadObjectId}: the user never talked to the bot, has no engineer profile Teams id and is in no team or group chat the bot is in"));
        }

        var template = known ?? await db.Conversations.AsNoTracking()
            .Where(c => c.BotId != null && c.TenantId != null)
            .OrderByDescending(c => c.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (template?.BotId is null || template.TenantId is null)
        {
            return (null, DeliveryOutcome.Failed("No stored conversation with a bot id and tenant to create a 1:1 chat from"));
        }

        var result = await connector.CreateConversationAsync(
            template.ServiceUrl, TeamsConversations.Personal(template.BotId, userId, template.TenantId), cancellationToken);
        if (!result.Succeeded || result.ConversationId is null)
        {
            return (null, result.Succeeded ? DeliveryOutcome.Failed("CreateConversation returned no conversation id") : FromSend(result, null, null));
        }

        var now = clock.GetUtcNow();
        var stored = await db.Conversations.SingleOrDefaultAsync(c => c.ConversationId == result.ConversationId, cancellationToken);
        if (stored is null)
        {
            stored = new StoredConversation { ConversationId = result.ConversationId, ServiceUrl = template.ServiceUrl, CreatedAt = now };
            db.Conversations.Add(stored);
        }

        stored.TenantId = template.TenantId;
        stored.BotId = template.BotId;
        stored.ConversationType = PersonalType;
        stored.UserId = userId;
        stored.UserAadObjectId = aadObjectId;
        stored.UserName ??= engineer?.Name ?? member?.Name;
        stored.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A turn from the user stored the same conversation meanwhile; theirs is as good as ours.
            db.ChangeTracker.Clear();
        }

        return (stored, null);
    }

    // A manager or CSM who never wrote to the bot has no stored 1:1 and no engineer profile, but is in the roster of a
    // team or group chat the bot was added to, and the roster gives their bot-specific Teams id. Paged members work on
    // Teams and in the Agents Playground alike (the Playground answers the single-member call only for Teams ids).
    private async Task<ChannelAccount?> FindInRostersAsync(string aadObjectId, CancellationToken cancellationToken)
    {
        var rosters = await db.Conversations.AsNoTracking()
            .Where(c => c.ConversationType == ChannelType || c.ConversationType == GroupChatType)
            .OrderByDescending(c => c.UpdatedAt)
            .Select(c => new { c.ServiceUrl, Roster = c.TeamId ?? c.ConversationId })
            .ToListAsync(cancellationToken);
        foreach (var roster in rosters.DistinctBy(r => r.Roster))
        {
            try
            {
                string? continuation = null;
                do
                {
                    var page = await connector.GetPagedMembersAsync(roster.ServiceUrl, roster.Roster, RosterPageSize, continuation, cancellationToken);
                    if (page.Members?.FirstOrDefault(m => string.Equals(m.AadObjectId, aadObjectId, StringComparison.OrdinalIgnoreCase)) is { } member)
                    {
                        return member;
                    }

                    continuation = page.ContinuationToken;
                }
                while (!string.IsNullOrEmpty(continuation));
            }
            catch (ConnectorException)
            {
                // The bot may have been removed from that team since; the connector logged the answer. Try the next roster.
            }
        }

        return null;
    }

    private async Task<DeliveryOutcome> ChangeActivityAsync(OutboxMessage message, bool delete, CancellationToken cancellationToken)
    {
        string conversationId;
        string activityId;
        if (message.UpdatesIdempotencyKey is { } postKey)
        {
            var post = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.IdempotencyKey == postKey, cancellationToken);
            switch (post?.State)
            {
                case null:
                    return DeliveryOutcome.Failed($"No outbox post with idempotency key {postKey}");
                case OutboxState.Pending:
                    // Same OrderingKey and an earlier sequence, so normally delivered first; it is retrying.
                    return DeliveryOutcome.Wait($"waiting for post {post.Sequence}", options.Value.WaitForOriginalPost);
                case OutboxState.RecipientGone or OutboxState.Blocked:
                    return new DeliveryOutcome(post.State, Error: $"the post {post.Sequence} was {post.State}");
                case not OutboxState.Sent:
                    return DeliveryOutcome.Failed($"the post {post.Sequence} was not delivered ({post.State})");
            }

            if (post.ResultActivityId is null)
            {
                return DeliveryOutcome.Failed($"the post {post.Sequence} has no activity id (the channel answered without one)");
            }

            conversationId = post.ResultConversationId ?? post.ConversationId!;
            activityId = post.ResultActivityId;
        }
        else
        {
            conversationId = message.ConversationId ?? throw new InvalidOperationException("Update without a conversation id.");
            activityId = message.TargetActivityId ?? throw new InvalidOperationException("Update without a target activity id.");
        }

        if (message.RendersVersion is { } version && await IsSupersededAsync(message, version, activityId, cancellationToken))
        {
            return new DeliveryOutcome(OutboxState.Superseded, CountsAsAttempt: false, Error: $"a newer version than {version} was already delivered");
        }

        var stored = await FindConversationAsync(conversationId, cancellationToken);
        var serviceUrl = message.ServiceUrl ?? stored?.ServiceUrl;
        if (serviceUrl is null)
        {
            return DeliveryOutcome.Failed($"No stored conversation {conversationId}");
        }

        if (delete)
        {
            var deleted = await connector.DeleteAsync(serviceUrl, conversationId, activityId, cancellationToken);
            return FromSend(deleted, conversationId, activityId);
        }

        var activity = Payload(message);
        StampConversation(activity, conversationId, message.TenantId ?? stored?.TenantId);
        var updated = await connector.UpdateAsync(serviceUrl, conversationId, activityId, activity, cancellationToken);
        return FromSend(updated, conversationId, activityId);
    }

    // Two instances may commit updates of one card in either order; the one rendering the newest version wins.
    private Task<bool> IsSupersededAsync(OutboxMessage message, long version, string activityId, CancellationToken cancellationToken) =>
        db.OutboxMessages.AsNoTracking().AnyAsync(
            m => m.Kind == OutboxKind.UpdateActivity && m.State == OutboxState.Sent && m.RendersVersion > version
                && m.Sequence != message.Sequence
                && (message.UpdatesIdempotencyKey != null
                    ? m.UpdatesIdempotencyKey == message.UpdatesIdempotencyKey
                    : m.TargetActivityId == activityId && m.ConversationId == message.ConversationId),
            cancellationToken);

    private async Task<DeliveryOutcome> SendEmailAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (!mail.CanSend)
        {
            return new DeliveryOutcome(OutboxState.Recorded);
        }

        var email = JsonSerializer.Deserialize<EmailMessage>(message.PayloadJson, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("Empty email payload.");
        await mail.SendAsync(email, cancellationToken);
        return DeliveryOutcome.Sent(null, null);
    }

    private async Task<StoredConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        var channel = OutboxMessage.ChannelOf(conversationId);
        return await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.ConversationId == conversationId, cancellationToken)
            ?? await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.ConversationId == channel, cancellationToken);
    }

    private static Activity Payload(OutboxMessage message) =>
        JsonSerializer.Deserialize<Activity>(message.PayloadJson, BotJson.Options) ?? throw new InvalidOperationException("Empty activity payload.");

    // The connector paces by the activity's tenant (50 rps per tenant), and Teams wants the tenant on proactive posts.
    private static void StampConversation(Activity activity, string conversationId, string? tenantId)
    {
        activity.Conversation ??= new ConversationAccount { Id = conversationId };
        activity.Conversation.TenantId ??= tenantId;
    }

    private static DeliveryOutcome FromSend(SendResult result, string? conversationId, string? activityId)
    {
        var ambiguity = result.Ambiguous ? $"{OutboxMessage.AmbiguousNote}an earlier attempt answered {result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} and may have landed" : null;
        var detail = $"{result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no response"} {result.ErrorCode} {result.ErrorMessage}".Trim();
        return result.Outcome switch
        {
            SendOutcome.Sent => DeliveryOutcome.Sent(activityId, conversationId, ambiguity),
            SendOutcome.Throttled => DeliveryOutcome.RetryLater("throttled: " + detail, result.RetryAfter),
            SendOutcome.RecipientGone => new DeliveryOutcome(OutboxState.RecipientGone, Error: detail),
            SendOutcome.WritesBlocked => new DeliveryOutcome(OutboxState.Blocked, Error: detail),
            _ when IsPermanent(result) => DeliveryOutcome.Failed(detail),
            // A 5xx or timeout on a POST may have landed; retrying risks one visible duplicate, never a silent loss.
            _ => DeliveryOutcome.RetryLater(result.Ambiguous ? $"{OutboxMessage.AmbiguousNote}the post answered {detail} and may have landed" : detail),
        };
    }

    // Client errors other than the retryable ones (408, 412, 429) will fail the same way next time.
    private static bool IsPermanent(SendResult result) =>
        result.ErrorCode is "ServiceUrlNotAllowed" or "InvalidServiceUrl"
        || result.StatusCode is >= 400 and < 500 and not 408 and not 412 and not 429;
}
