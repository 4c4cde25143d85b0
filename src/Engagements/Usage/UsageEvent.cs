using Engagements.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Usage;

public sealed class UsageEvent
{
    public long Id { get; set; }

    // The idempotency key: the sender's event id, or (when it sends none) a hash of customer, user, feature and
    // time, so a re-sent batch is not counted twice.
    public required string EventId { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public required string UserId { get; set; }
    public required string Feature { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string? ProductVersion { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class UsageEventConfiguration : IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<UsageEvent> usage)
    {
        usage.HasIndex(u => u.EventId).IsUnique();
        usage.HasIndex(u => new { u.CustomerId, u.Feature, u.OccurredAt });
        usage.HasIndex(u => new { u.CustomerId, u.OccurredAt });
        usage.Property(u => u.EventId).HasMaxLength(128);
        usage.Property(u => u.UserId).HasMaxLength(200);
        usage.Property(u => u.Feature).HasMaxLength(200);
        usage.Property(u => u.ProductVersion).HasMaxLength(32);
    }
}
