using Engagements.Engineers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Delivery;

// The engineers assigned to an engagement, with when: "longest since last assignment" ranks suggestions.
public sealed class EngagementEngineer
{
    public Guid EngagementId { get; set; }
    public Engagement Engagement { get; set; } = null!;
    public Guid EngineerId { get; set; }
    public EngineerProfile Engineer { get; set; } = null!;
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

internal sealed class EngagementEngineerConfiguration : IEntityTypeConfiguration<EngagementEngineer>
{
    public void Configure(EntityTypeBuilder<EngagementEngineer> assignment)
    {
        assignment.HasKey(a => new { a.EngagementId, a.EngineerId });
        assignment.HasOne(a => a.Engagement).WithMany(e => e.Engineers).HasForeignKey(a => a.EngagementId);
        assignment.HasOne(a => a.Engineer).WithMany(e => e.Engagements).HasForeignKey(a => a.EngineerId);
        assignment.HasIndex(a => new { a.EngineerId, a.AssignedAt });
    }
}
