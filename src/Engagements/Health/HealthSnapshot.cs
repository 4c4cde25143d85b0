using Engagements.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Health;

public enum HealthBand
{
    Red,
    Yellow,
    Green,
}

public enum HealthTrend
{
    Up,
    Flat,
    Down,
}

// One per customer and day. The components are a JSON document: they are only ever read whole, to explain the
// score, and their set can grow without a migration.
public sealed class HealthSnapshot
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public DateOnly Day { get; set; }
    public int Score { get; set; }
    public HealthBand Band { get; set; }
    public HealthTrend Trend { get; set; }
    public List<HealthComponent> Components { get; set; } = [];
    public DateTimeOffset ComputedAt { get; set; }
}

public sealed class HealthComponent
{
    // e.g. seat-utilization, feature-adoption, active-users, version-currency, nps, milestones, open-blockers,
    // meeting-attendance, support-tickets.
    public required string Name { get; set; }
    public double Weight { get; set; }
    public int Score { get; set; }
    public string? Detail { get; set; }
}

internal sealed class HealthSnapshotConfiguration : IEntityTypeConfiguration<HealthSnapshot>
{
    public void Configure(EntityTypeBuilder<HealthSnapshot> snapshot)
    {
        snapshot.HasOne(s => s.Customer).WithMany(c => c.HealthSnapshots).HasForeignKey(s => s.CustomerId);
        snapshot.HasIndex(s => new { s.CustomerId, s.Day }).IsUnique();
        snapshot.HasIndex(s => new { s.Day, s.Band });
        snapshot.OwnsMany(s => s.Components, components => components.ToJson());
    }
}
