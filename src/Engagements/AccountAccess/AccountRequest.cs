using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.AccountAccess;

// Stored with the seed's wording ("escalated-to-TL"); people read the Display name (DisplayText).
public enum AccountRequestStatus
{
    Scheduled,
    Requested,
    Verified,
    [Display(Name = "Not working")] Failing,
    [JsonStringEnumMemberName("escalated-to-TL"), Display(Name = "Escalated to team lead")] EscalatedToTeamLead,
    [JsonStringEnumMemberName("escalated-to-CSM"), Display(Name = "Escalated to CSM")] EscalatedToCsm,
    Closed,
}

// One row of seed 002's "Follow-Up Document": an engineer's account on one customer system.
public sealed class AccountRequest : IVersioned
{
    public static readonly AccountRequestStatus[] OpenStatuses =
    [
        AccountRequestStatus.Scheduled, AccountRequestStatus.Requested, AccountRequestStatus.Failing,
        AccountRequestStatus.EscalatedToTeamLead, AccountRequestStatus.EscalatedToCsm,
    ];

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EngagementId { get; set; }
    public Engagement Engagement { get; set; } = null!;
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public Guid EngineerId { get; set; }
    public EngineerProfile Engineer { get; set; } = null!;
    public Guid AccessListEntryId { get; set; }
    public AccessListEntry AccessListEntry { get; set; } = null!;
    public required string System { get; set; }
    public AccountRequestStatus Status { get; set; }

    // Seed 002: never sent before the engineer has started.
    public DateOnly NotBefore { get; set; }
    public DateOnly? RequestDate { get; set; }
    public DateOnly? ExpectedBy { get; set; }
    public DateTimeOffset? RequestedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Version { get; set; }

    public List<AccountRequestFollowUp> FollowUps { get; set; } = [];

    public bool IsOpen => OpenStatuses.Contains(Status);

    public bool IsOverdue(DateOnly today) => IsOpen && ExpectedBy is { } expectedBy && expectedBy < today;

    public TimeSpan? TimeToAccess => VerifiedAt - RequestedAt;
}

internal sealed class AccountRequestConfiguration : IEntityTypeConfiguration<AccountRequest>
{
    public void Configure(EntityTypeBuilder<AccountRequest> request)
    {
        request.Property(r => r.Version).IsConcurrencyToken();
        request.Property(r => r.System).HasMaxLength(100);
        request.Property(r => r.FailureReason).HasMaxLength(1000);
        request.HasOne(r => r.Engagement).WithMany().HasForeignKey(r => r.EngagementId);
        request.HasOne(r => r.Customer).WithMany(c => c.AccountRequests).HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne(r => r.Engineer).WithMany().HasForeignKey(r => r.EngineerId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne(r => r.AccessListEntry).WithMany().HasForeignKey(r => r.AccessListEntryId).OnDelete(DeleteBehavior.Restrict);
        // A retried approval must not request the same account twice.
        request.HasIndex(r => new { r.EngagementId, r.EngineerId, r.AccessListEntryId }).IsUnique();
        request.HasIndex(r => new { r.Status, r.ExpectedBy });
        request.HasIndex(r => new { r.EngineerId, r.Status });
        request.Ignore(r => r.IsOpen);
        request.Ignore(r => r.TimeToAccess);
    }
}
