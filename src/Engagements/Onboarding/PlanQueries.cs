using Engagements.Bot;
using Engagements.Data;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

internal static class PlanQueries
{
    // A plan with everything its cards and rules read: phases, items, deliverables, engagement, customer, engineers.
    public static IQueryable<OnboardingPlan> PlanGraphs(this EngagementsDb db) => db.OnboardingPlans
        .Include(p => p.Phases).ThenInclude(p => p.Items)
        .Include(p => p.Project).ThenInclude(p => p.Deliverables)
        .Include(p => p.Project).ThenInclude(p => p.Engagement).ThenInclude(e => e.Customer)
        .Include(p => p.Project).ThenInclude(p => p.Engagement).ThenInclude(e => e.Engineers).ThenInclude(a => a.Engineer)
        .AsSplitQuery();

    // Confirmations (phase, handoff, status email) belong to the customer's CSM or a manager, not to any CSM.
    public static bool MayConfirm(Caller caller, OnboardingPlan plan) =>
        caller.Has(Role.Manager)
        || (caller.Has(Role.Csm) && plan.Project.Engagement.Customer.CsmAadObjectId is var csm
            && (csm is null || string.Equals(csm, caller.AadObjectId, StringComparison.OrdinalIgnoreCase)));

    public static IEnumerable<string> PeopleOf(OnboardingPlan plan)
    {
        var engagement = plan.Project.Engagement;
        return new[] { engagement.Customer.CsmAadObjectId, engagement.ManagerAadObjectId }
            .Concat(engagement.Engineers.Where(a => a.ReleasedAt is null).Select(a => a.Engineer.AadObjectId))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
