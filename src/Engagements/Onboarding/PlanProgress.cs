using Engagements.Delivery;

namespace Engagements.Onboarding;

public static class PlanProgress
{
    // Technical progress of seed 003 is cumulative (30% → 70% → 100% across the phases), so it counts the whole
    // plan: its checklist items plus the project's deliverables.
    public static int PercentOf(OnboardingPlan plan)
    {
        var items = plan.Phases.SelectMany(p => p.Items).ToList();
        var deliverables = plan.Project.Deliverables;
        var total = items.Count + deliverables.Count;
        var done = items.Count(i => i.IsDone) + deliverables.Count(d => d.Status == DeliverableStatus.Completed);
        return total == 0 ? 0 : done * 100 / total;
    }

    public static DateOnly DueDateOf(OnboardingPlan plan, ChecklistItem item) => plan.KickoffDate.AddDays(item.DueDay - 1);

    public static DateOnly DateOfDay(OnboardingPlan plan, int day) => plan.KickoffDate.AddDays(day - 1);
}
