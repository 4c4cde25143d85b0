using Engagements.Assignments;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Delivery;

public enum EngagementStatus
{
    AwaitingAssignment,
    Active,
    OnHold,
    Completed,
    Cancelled,
}

public sealed class Engagement
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; set; }
    public Opportunity Opportunity { get; set; } = null!;

    // Denormalised from the opportunity: "status Contoso", boards and jobs all start from the customer.
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public EngagementStatus Status { get; set; }
    public string? ManagerAadObjectId { get; set; }
    public string? ManagerName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<EngagementEngineer> Engineers { get; set; } = [];
    public List<Project> Projects { get; set; } = [];
    public List<AssignmentRequest> AssignmentRequests { get; set; } = [];

    // The only way app code should create an engagement: it refuses an opportunity that is not closed-won or
    // breaks the intake rules. "Exactly one per opportunity" is left to the unique index.
    public static Engagement StartFor(Opportunity opportunity, DateOnly startDate, DateOnly endDate, DateTimeOffset now)
    {
        var violations = OpportunityRules.CanStartEngagement(opportunity).ToList();
        if (endDate < startDate)
        {
            violations.Add(new("endDate", "The engagement cannot end before it starts."));
        }
        if (violations.Count > 0)
        {
            throw new RuleViolationException(violations);
        }
        return new Engagement
        {
            OpportunityId = opportunity.Id,
            Opportunity = opportunity,
            CustomerId = opportunity.CustomerId,
            StartDate = startDate,
            EndDate = endDate,
            Status = EngagementStatus.AwaitingAssignment,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

internal sealed class EngagementConfiguration : IEntityTypeConfiguration<Engagement>
{
    public void Configure(EntityTypeBuilder<Engagement> engagement)
    {
        engagement.HasOne(e => e.Opportunity).WithOne(o => o.Engagement)
            .HasForeignKey<Engagement>(e => e.OpportunityId).OnDelete(DeleteBehavior.Restrict);
        engagement.HasIndex(e => e.OpportunityId).IsUnique();
        engagement.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
        engagement.HasIndex(e => new { e.CustomerId, e.Status });
        engagement.Property(e => e.ManagerAadObjectId).HasMaxLength(64);
        engagement.Property(e => e.ManagerName).HasMaxLength(200);
        engagement.HasMany(e => e.Projects).WithOne(p => p.Engagement).HasForeignKey(p => p.EngagementId).IsRequired();
    }
}
