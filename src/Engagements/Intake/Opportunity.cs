using System.Text.Json.Serialization;
using Engagements.Customers;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Intake;

public enum OpportunityKind
{
    New,
    Renewal,
}

public enum OpportunityStage
{
    Prospecting,
    Qualification,
    Proposal,
    Negotiation,
    [JsonStringEnumMemberName("Closed Won")] ClosedWon,
    [JsonStringEnumMemberName("Closed Lost")] ClosedLost,
}

// How the customer runs the product (seed 000 "intake AWS or on-prem"); it decides whether the post-close checklist's
// "new cloud production instance" step applies (seed 004 "if relevant").
public enum Deployment
{
    [JsonStringEnumMemberName("cloud")] Cloud,
    [JsonStringEnumMemberName("on-prem")] OnPrem,
    [JsonStringEnumMemberName("hybrid")] Hybrid,
}

public sealed class Opportunity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string CrmId { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public OpportunityKind Kind { get; set; }
    public OpportunityStage Stage { get; set; }
    public DateOnly CloseDate { get; set; }
    public decimal Amount { get; set; }
    public string? ContractReference { get; set; }
    public string? MouReference { get; set; }

    // Null when the CRM did not say; the pre-sales engineer then decides on the checklist card.
    public Deployment? Deployment { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    // At most one: the unique index on Engagement.OpportunityId makes the database the referee.
    public Engagement? Engagement { get; set; }

    public bool IsClosedWon => Stage == OpportunityStage.ClosedWon;
}

internal sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> opportunity)
    {
        opportunity.HasIndex(o => o.CrmId).IsUnique();
        opportunity.Property(o => o.CrmId).HasMaxLength(64);
        opportunity.Property(o => o.ContractReference).HasMaxLength(128);
        opportunity.Property(o => o.MouReference).HasMaxLength(128);
        opportunity.Property(o => o.Amount).HasPrecision(18, 2);
        opportunity.HasOne(o => o.Customer).WithMany(c => c.Opportunities).HasForeignKey(o => o.CustomerId);
        opportunity.Ignore(o => o.IsClosedWon);
    }
}
