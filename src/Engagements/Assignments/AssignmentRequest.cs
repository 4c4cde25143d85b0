using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Assignments;

public enum AssignmentStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
}

public sealed class AssignmentRequest : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EngagementId { get; set; }
    public Engagement Engagement { get; set; } = null!;
    public AssignmentStatus Status { get; set; }

    // Ranked best first, as shown on the card.
    public List<Guid> SuggestedEngineerIds { get; set; } = [];
    public Guid? AssignedEngineerId { get; set; }
    public EngineerProfile? AssignedEngineer { get; set; }
    public string? DecidedByAadObjectId { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }

    // Rejected: the engineer the card had selected when the manager rejected it; the follow-up request does not put
    // them first again.
    public Guid? RejectedEngineerId { get; set; }

    // The rejected request this one re-opens (a rejection always leads to a new pending request, SPEC §3.2).
    public Guid? PreviousRequestId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? RemindedAt { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }

    // Where the approval card was posted, to update it in place.
    public string? ConversationId { get; set; }
    public string? ActivityId { get; set; }
    public long Version { get; set; }

    public bool IsDecided => Status != AssignmentStatus.Pending;
}

internal sealed class AssignmentRequestConfiguration : IEntityTypeConfiguration<AssignmentRequest>
{
    public void Configure(EntityTypeBuilder<AssignmentRequest> request)
    {
        request.Property(r => r.Version).IsConcurrencyToken();
        request.HasOne(r => r.Engagement).WithMany(e => e.AssignmentRequests).HasForeignKey(r => r.EngagementId);
        request.HasOne(r => r.AssignedEngineer).WithMany().HasForeignKey(r => r.AssignedEngineerId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne<EngineerProfile>().WithMany().HasForeignKey(r => r.RejectedEngineerId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne<AssignmentRequest>().WithMany().HasForeignKey(r => r.PreviousRequestId).OnDelete(DeleteBehavior.Restrict);
        // One open approval per engagement: a retried intake cannot post a second card.
        request.HasIndex(r => r.EngagementId).IsUnique().HasFilter("\"Status\" = 'Pending'");
        request.HasIndex(r => new { r.Status, r.RequestedAt });
        request.Property(r => r.DecidedByAadObjectId).HasMaxLength(64);
        request.Property(r => r.DecidedByName).HasMaxLength(200);
        request.Property(r => r.ActivityId).HasMaxLength(200);
        request.Ignore(r => r.IsDecided);
    }
}
