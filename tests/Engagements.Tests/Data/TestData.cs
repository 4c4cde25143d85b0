using Engagements.Customers;
using Engagements.Delivery;
using Engagements.Intake;

namespace Engagements.Tests.Data;

// Unique CRM ids per call, so tests sharing a class database never collide.
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 30, 0, TimeSpan.Zero);

    public static Customer Customer(string name = "Contoso") => new()
    {
        CrmId = $"CUST-{Guid.NewGuid():N}", Name = name, Segment = CustomerSegment.Enterprise,
        Lifecycle = LifecycleStage.Onboarding, SeatsPurchased = 100, CreatedAt = Now, UpdatedAt = Now,
    };

    public static Opportunity Opportunity(Customer customer, OpportunityKind kind = OpportunityKind.New,
        OpportunityStage stage = OpportunityStage.ClosedWon, string? contract = "CTR-1", string? mou = null) => new()
    {
        CrmId = $"OPP-{Guid.NewGuid():N}", Customer = customer, CustomerId = customer.Id, Kind = kind, Stage = stage,
        CloseDate = new DateOnly(2025, 3, 1), Amount = 24000m, ContractReference = contract, MouReference = mou,
        ReceivedAt = Now, UpdatedAt = Now,
    };

    public static Engagement Engagement(Opportunity opportunity) =>
        Delivery.Engagement.StartFor(opportunity, new DateOnly(2025, 3, 10), new DateOnly(2026, 3, 9), Now);
}
