using Engagements.Assignments;

namespace Engagements.AccountAccess;

/// <summary>
/// SPEC §3.2 "account requests are created from the customer's access list": adds the rows without saving, so they
/// commit with the approval (or not at all when the approval loses a race).
/// </summary>
public sealed class AccountRequestsOnAssignment(AccountAccessService service) : IAssignmentApprovedHandler
{
    public Task OnApprovedAsync(AssignmentApproved approved, CancellationToken cancellationToken) =>
        service.AddRequestsForAssignmentAsync(approved.EngagementId, approved.EngineerId, cancellationToken);
}
