namespace Engagements.AccountAccess;

/// <summary>
/// Approval hook (SPEC §3.2 "account requests are created from the customer's access list"): meant to implement
/// IAssignmentApprovedHandler once feat/intake adds it. Adds the rows without saving, so they commit with the approval.
/// </summary>
public sealed class AccountRequestsOnAssignment(AccountAccessService service)
{
    public Task OnApprovedAsync(Guid engagementId, Guid engineerId, CancellationToken cancellationToken) =>
        service.AddRequestsForAssignmentAsync(engagementId, engineerId, cancellationToken);
}
