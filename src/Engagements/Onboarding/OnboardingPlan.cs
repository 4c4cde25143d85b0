using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Onboarding;

public enum PlanState
{
    Active,
    HandedOff,
    Cancelled,
}

// An instance of a plan template for one project. Criteria are copied from the template at instantiation so a
// later template edit does not rewrite a running plan.
public sealed class OnboardingPlan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public required string TemplateId { get; set; }
    public DateOnly KickoffDate { get; set; }
    public PlanState State { get; set; }
    public List<string> SuccessCriteria { get; set; } = [];
    public List<string> HandoffCriteria { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? HandedOffAt { get; set; }
    public string? HandedOffByAadObjectId { get; set; }

    public List<PlanPhase> Phases { get; set; } = [];

    public PlanPhase? CurrentPhase => Phases.OrderBy(p => p.Order).FirstOrDefault(p => p.Status != PhaseStatus.Completed);

    // Day 1 is the kickoff date; Pre-Kickoff days are zero or negative.
    public int DayOn(DateOnly today) => today.DayNumber - KickoffDate.DayNumber + 1;
}

internal sealed class OnboardingPlanConfiguration : IEntityTypeConfiguration<OnboardingPlan>
{
    public void Configure(EntityTypeBuilder<OnboardingPlan> plan)
    {
        plan.HasOne(p => p.Project).WithOne(p => p.Plan).HasForeignKey<OnboardingPlan>(p => p.ProjectId);
        plan.HasIndex(p => p.ProjectId).IsUnique();
        plan.HasIndex(p => new { p.State, p.KickoffDate });
        plan.Property(p => p.TemplateId).HasMaxLength(64);
        plan.Property(p => p.HandedOffByAadObjectId).HasMaxLength(64);
        plan.HasMany(p => p.Phases).WithOne(p => p.Plan).HasForeignKey(p => p.PlanId);
        plan.Ignore(p => p.CurrentPhase);
    }
}
