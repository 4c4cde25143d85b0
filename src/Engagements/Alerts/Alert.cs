using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Alerts;

public enum AlertKind
{
    FirstFeatureUse,
    LowUtilization,
    ExpansionOpportunity,
    HealthBandDrop,
    EarlyWarning,
    Detractor,
    AccountAccessOverdue,
}

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

public enum AlertState
{
    Open,
    Acknowledged,
    Snoozed,
    Resolved,
}

public sealed class Alert : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public AlertKind Kind { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public required string Reason { get; set; }
    public AlertSeverity Severity { get; set; }
    public required string DedupeKey { get; set; }
    public AlertState State { get; set; }
    public int Count { get; set; } = 1;
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedByAadObjectId { get; set; }
    public DateTimeOffset? SnoozedUntil { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    // The channel the alert goes to; null on rows written before it was stored (the kind then decides, see AlertRouting).
    public ChannelPurpose? Purpose { get; set; }

    // The channel post, updated in place when the alert re-fires (never re-posted).
    public string? ConversationId { get; set; }
    public string? PostedActivityId { get; set; }
    public long Version { get; set; }

    public static string DedupeKeyFor(Guid customerId, AlertKind kind, string reason) =>
        $"{customerId:N}|{StoredText.Of(kind)}|{reason.Trim().ToLowerInvariant()}";

    public void Refire(DateTimeOffset now)
    {
        Count++;
        LastSeenAt = now;
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    // Same SQL on SQLite and PostgreSQL: both quote identifiers with double quotes and store the state as text.
    internal const string NotResolvedFilter = "\"State\" <> 'Resolved'";

    public void Configure(EntityTypeBuilder<Alert> alert)
    {
        alert.Property(a => a.Version).IsConcurrencyToken();
        alert.Property(a => a.DedupeKey).HasMaxLength(400);
        alert.Property(a => a.Reason).HasMaxLength(1000);
        alert.Property(a => a.AcknowledgedByAadObjectId).HasMaxLength(64);
        alert.Property(a => a.PostedActivityId).HasMaxLength(200);
        // One live alert per dedupe key; resolved ones are history and may repeat.
        alert.HasIndex(a => a.DedupeKey).IsUnique().HasFilter(NotResolvedFilter).HasDatabaseName("IX_Alerts_DedupeKey_Open");
        alert.HasIndex(a => new { a.CustomerId, a.State });
        alert.HasIndex(a => new { a.State, a.LastSeenAt });
    }
}
