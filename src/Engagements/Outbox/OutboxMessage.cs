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
}

// Written in the same SaveChanges as the state change that causes it (SPEC §6). The sender claims a message by
// setting LeaseOwner/LeaseUntil under the Version token, and delivers a conversation's messages in Sequence order.
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
    public long Version { get; set; }
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
        message.HasIndex(m => new { m.ConversationId, m.State, m.Sequence });
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
