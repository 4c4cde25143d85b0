using System.Text.Json.Serialization;
using Engagements.Engineers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Delivery;

// The board columns of seed 004.
public enum DeliverableStatus
{
    [JsonStringEnumMemberName("To-Do")] ToDo,
    [JsonStringEnumMemberName("In Progress")] InProgress,
    [JsonStringEnumMemberName("Under Review")] UnderReview,
    Completed,
}

public sealed class Deliverable
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public required string Title { get; set; }
    public string? DoneCriterion { get; set; }
    public DeliverableStatus Status { get; set; }
    public Guid? OwnerId { get; set; }
    public EngineerProfile? Owner { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? GitHubIssueUrl { get; set; }
    public bool IsBlocked { get; set; }
    public string? BlockedReason { get; set; }
    public DateTimeOffset? BlockedSince { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int SortOrder { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public void Block(string reason, DateTimeOffset now)
    {
        // Re-reporting the same blocker keeps its age: the "> 3 days" rule counts from the first report.
        BlockedSince = IsBlocked ? BlockedSince : now;
        IsBlocked = true;
        BlockedReason = reason;
        UpdatedAt = now;
    }

    public void Unblock(DateTimeOffset now)
    {
        IsBlocked = false;
        BlockedReason = null;
        BlockedSince = null;
        UpdatedAt = now;
    }
}

internal sealed class DeliverableConfiguration : IEntityTypeConfiguration<Deliverable>
{
    public void Configure(EntityTypeBuilder<Deliverable> deliverable)
    {
        deliverable.Property(d => d.Title).HasMaxLength(300);
        deliverable.Property(d => d.DoneCriterion).HasMaxLength(1000);
        deliverable.Property(d => d.GitHubIssueUrl).HasMaxLength(500);
        deliverable.Property(d => d.BlockedReason).HasMaxLength(1000);
        deliverable.HasOne(d => d.Owner).WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.SetNull);
        deliverable.HasIndex(d => new { d.ProjectId, d.Status });
        deliverable.HasIndex(d => d.GitHubIssueUrl);
        deliverable.HasIndex(d => new { d.OwnerId, d.Status });
    }
}
