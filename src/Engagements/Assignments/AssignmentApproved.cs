namespace Engagements.Assignments;

/// <summary>What an approval decided, handed to every <see cref="IAssignmentApprovedHandler"/>.</summary>
public sealed record AssignmentApproved(
    Guid AssignmentRequestId,
    Guid EngagementId,
    Guid CustomerId,
    Guid EngineerId,
    string EngineerAadObjectId,
    string? ApprovedByAadObjectId,
    string ApprovedByName,
    DateTimeOffset ApprovedAt);

/// <summary>
/// The seam for what else follows an approval (SPEC §3.2): account requests from the access list (§3.3), the onboarding
/// plan (§3.4). Called inside the approval's unit of work, before its one SaveChanges, with the same scoped
/// EngagementsDb: add rows and outbox messages there and do not save; if the approval loses a race, none of it is written.
/// Register with services.AddScoped&lt;IAssignmentApprovedHandler, YourHandler&gt;(); zero or more are allowed.
/// </summary>
public interface IAssignmentApprovedHandler
{
    Task OnApprovedAsync(AssignmentApproved approved, CancellationToken cancellationToken);
}
