using Engagements.Assignments;

namespace Engagements.Onboarding;

/// <summary>SPEC §3.2 "the onboarding plan is instantiated": plans are added to the approval's unit of work, not saved here.</summary>
public sealed class OnboardingPlanOnAssignment(OnboardingService onboarding) : IAssignmentApprovedHandler
{
    public Task OnApprovedAsync(AssignmentApproved approved, CancellationToken cancellationToken) =>
        onboarding.AddPlansForEngagementAsync(approved.EngagementId, cancellationToken);
}
