using System.Text.Json;
using Engagements.BotFramework.Schema;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Mail;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Outbox;

/// <summary>
/// Every proactive post is written here, into the caller's DbContext, and saved by the caller's SaveChanges together
/// with the state change that causes it (SPEC §6). Nothing is sent here; the outbox sender delivers later.
/// Idempotency keys are unique: use one per intent (e.g. "assignment:{id}:card"), or null for updates that may repeat.
/// </summary>
public sealed class OutboxWriter(EngagementsDb db, TimeProvider clock)
{
    /// <summary>Posts to the channel bound to a purpose; null when no channel is bound (the caller tells the user).</summary>
    public async Task<OutboxMessage?> PostToChannelAsync(
        ChannelPurpose purpose, Activity activity, string? idempotencyKey, Related? related, CancellationToken cancellationToken)
    {
        var binding = await db.ChannelBindings.AsNoTracking().SingleOrDefaultAsync(b => b.Purpose == purpose, cancellationToken);
        return binding is null ? null : SendToConversation(binding.ConversationId, activity, idempotencyKey, related);
    }

    public OutboxMessage SendToConversation(string conversationId, Activity activity, string? idempotencyKey, Related? related = null) =>
        Add(OutboxKind.SendToConversation, idempotencyKey, related, activity, m => m.ConversationId = conversationId);

    /// <summary>A 1:1 message; the sender creates the personal conversation when none is stored for the user.</summary>
    public OutboxMessage SendToUser(string aadObjectId, Activity activity, string? idempotencyKey, Related? related = null) =>
        Add(OutboxKind.SendPersonal, idempotencyKey, related, activity, m => m.RecipientAadObjectId = aadObjectId);

    /// <summary>
    /// Replaces a card this outbox posted (known by the post's idempotency key), for everyone in the conversation.
    /// Pass <paramref name="rendersVersion"/> (the entity's Version after this save) so that, of two updates to the
    /// same card, the newer state wins whatever order they are delivered in.
    /// </summary>
    public OutboxMessage UpdatePosted(OutboxMessage post, Activity activity, string? idempotencyKey = null, long? rendersVersion = null) =>
        Add(OutboxKind.UpdateActivity, idempotencyKey, post.RelatedEntityType is null ? null : new Related(post.RelatedEntityType, post.RelatedEntityId!), activity, m =>
        {
            m.ConversationId = post.ConversationId;
            m.RecipientAadObjectId = post.RecipientAadObjectId;
            m.UpdatesIdempotencyKey = post.IdempotencyKey ?? throw new ArgumentException("Only posts with an idempotency key can be updated later", nameof(post));
            m.RendersVersion = rendersVersion;
        });

    /// <summary>Replaces a message whose conversation and activity id are known (e.g. the card an invoke came from).</summary>
    public OutboxMessage UpdateActivity(
        string conversationId, string activityId, Activity activity, string? idempotencyKey = null, Related? related = null, long? rendersVersion = null) =>
        Add(OutboxKind.UpdateActivity, idempotencyKey, related, activity, m =>
        {
            m.ConversationId = conversationId;
            m.TargetActivityId = activityId;
            m.RendersVersion = rendersVersion;
        });

    public OutboxMessage SendEmail(EmailMessage email, string? idempotencyKey, Related? related = null)
    {
        var message = NewMessage(OutboxKind.SendEmail, idempotencyKey, related, JsonSerializer.Serialize(email, JsonSerializerOptions.Web));
        db.OutboxMessages.Add(message);
        return message;
    }

    private OutboxMessage Add(OutboxKind kind, string? idempotencyKey, Related? related, Activity activity, Action<OutboxMessage> target)
    {
        var message = NewMessage(kind, idempotencyKey, related, JsonSerializer.Serialize(activity, BotJson.Options));
        target(message);
        db.OutboxMessages.Add(message);
        return message;
    }

    private OutboxMessage NewMessage(OutboxKind kind, string? idempotencyKey, Related? related, string payload)
    {
        var now = clock.GetUtcNow();
        return new OutboxMessage
        {
            Kind = kind,
            IdempotencyKey = idempotencyKey,
            PayloadJson = payload,
            State = OutboxState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            RelatedEntityType = related?.EntityType,
            RelatedEntityId = related?.EntityId,
        };
    }
}

/// <summary>The row an outbox message is about, so its delivery (activity id, failure) can be found from that row.</summary>
public sealed record Related(string EntityType, string EntityId)
{
    public static Related To<T>(Guid id) => new(typeof(T).Name, id.ToString());
}
