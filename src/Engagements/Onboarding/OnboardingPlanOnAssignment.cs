namespace Engagements.Onboarding;

/// <summary>
/// Instantiates the engagement's plans when its engineer assignment is approved. feat/intake adds the
/// IAssignmentApprovedHandler hook; the integrator adds ": IAssignmentApprovedHandler" here (and the interface's method
/// name if it differs) and registers the class as that interface.
/// </summary>
public sealed class OnboardingPlanOnAssignment(OnboardingService onboarding)
{
    public Task OnAssignmentApprovedAsync(Guid engagementId, CancellationToken cancellationToken) =>
        onboarding.InstantiateForEngagementAsync(engagementId, cancellationToken);
}
