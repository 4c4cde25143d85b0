using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Audit;

public enum AuditSource
{
    Card,
    Command,
    Webhook,
    Job,
    Api,
    System,
}

public sealed class AuditEntry
{
    public long Id { get; set; }
    public string? ActorAadObjectId { get; set; }
    public string? ActorName { get; set; }
    public AuditSource Source { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.HasIndex(e => new { e.EntityType, e.EntityId, e.At });
        entry.HasIndex(e => e.At);
        entry.Property(e => e.ActorAadObjectId).HasMaxLength(64);
        entry.Property(e => e.ActorName).HasMaxLength(200);
        entry.Property(e => e.Action).HasMaxLength(100);
        entry.Property(e => e.EntityType).HasMaxLength(64);
        entry.Property(e => e.EntityId).HasMaxLength(64);
        entry.Property(e => e.Reason).HasMaxLength(2000);
    }
}
