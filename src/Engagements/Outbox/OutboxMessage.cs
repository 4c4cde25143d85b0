using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Outbox;

public enum OutboxKind
{
    SendToConversation,
    UpdateActivity,
    DeleteActivity,
    SendPersonal,
    SendEmail,
}

public enum OutboxState
{
    Pending,
    Sent,
    Failed,
    RecipientGone,
    Blocked,
    // An email that was kept, not sent, because Microsoft Graph is not configured (development, demo).
    Recorded,

    // A card update that renders an older version than one already delivered to the same card: skipped, so the
    // last state wins even when two instances committed their updates in the other order.
    Superseded,
}

// Written in the same SaveChanges as the state change that causes it (SPEC §6). OutboxSender claims a message by
// setting LeaseOwner/LeaseUntil, and delivers the messages of one OrderingKey strictly in Sequence order.
public sealed class OutboxMessage : IVersioned
{
    // Database-generated and increasing: the per-conversation delivery order.
    public long Sequence { get; set; }
    public OutboxKind Kind { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? ConversationId { get; set; }
    public string? ServiceUrl { get; set; }
    public string? TenantId { get; set; }

    // For SendPersonal: the user whose 1:1 conversation is created or reused.
    public string? RecipientAadObjectId { get; set; }

    // For UpdateActivity / DeleteActivity: the activity to change.
    public string? TargetActivityId { get; set; }
    public required string PayloadJson { get; set; }
    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    // The instance that holds (LeaseUntil set) or last held the message; kept after delivery so another instance
    // can see who has been pacing the conversation (see OutboxOptions.HandoffDelay).
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? ResultActivityId { get; set; }

    // A post to a channel starts a new thread: the thread's conversation id, which later updates address.
    public string? ResultConversationId { get; set; }

    // For UpdateActivity of a card this outbox posted itself: the post's idempotency key. Resolved at delivery time,
    // after the post (same conversation, earlier sequence) has been delivered and its activity id is known.
    public string? UpdatesIdempotencyKey { get; set; }
    public string? LastError { get; set; }

    // The row that wants the resulting activity id (e.g. "Alert" + id), so an alert or approval can be updated later.
    public string? RelatedEntityType { get; set; }
    public string? RelatedEntityId { get; set; }

    // For UpdateActivity: the version of the entity the card renders. An update older than one already delivered
    // to the same card is Superseded instead of sent.
    public long? RendersVersion { get; set; }

    // The queue a message waits in: a conversation (a channel's threads count as the channel, as Teams paces them),
    // or "user:{aadObjectId}" for 1:1 messages whose conversation may not exist yet; null (emails) = no ordering.
    // Derived from the target so no writer (or test inserting rows) can forget it; EF writes the getter's value.
    public string? OrderingKey
    {
        get => OrderingKeyOf(ConversationId, RecipientAadObjectId);
        private set { }
    }

    public long Version { get; set; }

    public static string? OrderingKeyOf(string? conversationId, string? recipientAadObjectId) =>
        conversationId is not null ? ChannelOf(conversationId)
        : recipientAadObjectId is not null ? "user:" + recipientAadObjectId
        : null;

    // The start of LastError on a message that may be in Teams already (a takeover, a 5xx or timeout on its POST);
    // SPEC §6: at most one visible duplicate, never a silent drop. Reading the conversation back settles it.
    public const string AmbiguousNote = "ambiguous: ";

    public static bool IsAmbiguous(string? lastError) => lastError is not null && lastError.StartsWith(AmbiguousNote, StringComparison.Ordinal);

    private const string ThreadSeparator = ";messageid=";

    // "19:abc@thread.tacv2;messageid=123" (a thread) belongs to the channel "19:abc@thread.tacv2".
    public static string ChannelOf(string conversationId)
    {
        var index = conversationId.IndexOf(ThreadSeparator, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? conversationId : conversationId[..index];
    }

    // The thread's root message id ("123" above), or null for a conversation that is no channel thread.
    public static string? ThreadRootOf(string conversationId)
    {
        var index = conversationId.IndexOf(ThreadSeparator, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? null : conversationId[(index + ThreadSeparator.Length)..];
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.HasKey(m => m.Sequence);
        message.Property(m => m.Sequence).ValueGeneratedOnAdd();
        message.Property(m => m.Version).IsConcurrencyToken();
        message.HasIndex(m => m.IdempotencyKey).IsUnique();
        message.HasIndex(m => new { m.State, m.NextAttemptAt });
        message.HasIndex(m => new { m.OrderingKey, m.State, m.Sequence });
        message.HasIndex(m => new { m.OrderingKey, m.SentAt });
        message.HasIndex(m => m.UpdatesIdempotencyKey);
        message.Property(m => m.OrderingKey).HasMaxLength(400).UsePropertyAccessMode(PropertyAccessMode.Property);
        message.Property(m => m.IdempotencyKey).HasMaxLength(200);
        message.Property(m => m.TenantId).HasMaxLength(64);
        message.Property(m => m.RecipientAadObjectId).HasMaxLength(64);
        message.Property(m => m.TargetActivityId).HasMaxLength(200);
        message.Property(m => m.LeaseOwner).HasMaxLength(200);
        message.Property(m => m.ResultActivityId).HasMaxLength(200);
        message.Property(m => m.ResultConversationId).HasMaxLength(400);
        message.Property(m => m.UpdatesIdempotencyKey).HasMaxLength(200);
        message.Property(m => m.LastError).HasMaxLength(2000);
        message.Property(m => m.RelatedEntityType).HasMaxLength(64);
        message.Property(m => m.RelatedEntityId).HasMaxLength(64);
    }
}
