using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Onboarding;

public enum PhaseStatus
{
    Upcoming,
    Active,
    AwaitingConfirmation,
    Completed,
}

public sealed class PlanPhase : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PlanId { get; set; }
    public OnboardingPlan Plan { get; set; } = null!;
    public int Order { get; set; }
    public required string Name { get; set; }
    public int StartDay { get; set; }
    public int EndDay { get; set; }
    public PhaseStatus Status { get; set; }

    // Health targets of seed 003, stored as one JSON document per phase: always read and written with the phase.
    public List<PhaseTarget> Targets { get; set; } = [];
    public DateTimeOffset? ConfirmedAt { get; set; }
    public string? ConfirmedByAadObjectId { get; set; }
    public string? ConfirmedByName { get; set; }
    public string? UnmetTargetsReason { get; set; }
    public string? ConfirmationConversationId { get; set; }
    public string? ConfirmationActivityId { get; set; }
    public long Version { get; set; }

    public List<ChecklistItem> Items { get; set; } = [];
}

public sealed class PhaseTarget
{
    public required string Name { get; set; }
    public required string Goal { get; set; }
    public bool? Met { get; set; }
    public string? Actual { get; set; }
}

internal sealed class PlanPhaseConfiguration : IEntityTypeConfiguration<PlanPhase>
{
    public void Configure(EntityTypeBuilder<PlanPhase> phase)
    {
        phase.Property(p => p.Version).IsConcurrencyToken();
        phase.HasIndex(p => new { p.PlanId, p.Order }).IsUnique();
        phase.HasIndex(p => p.Status);
        phase.Property(p => p.Name).HasMaxLength(100);
        phase.Property(p => p.ConfirmedByAadObjectId).HasMaxLength(64);
        phase.Property(p => p.ConfirmedByName).HasMaxLength(200);
        phase.Property(p => p.UnmetTargetsReason).HasMaxLength(2000);
        phase.OwnsMany(p => p.Targets, targets => targets.ToJson());
        phase.HasMany(p => p.Items).WithOne(i => i.Phase).HasForeignKey(i => i.PhaseId);
    }
}
