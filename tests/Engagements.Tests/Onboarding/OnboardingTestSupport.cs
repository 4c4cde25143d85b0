using System.Text.Json.Nodes;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Roles;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Onboarding;

/// <summary>The real app without demo data, so every plan, alert and outbox row in the database is the test's own.</summary>
public sealed class OnboardingApplication : EngagementsApplication
{
    // Quartz follows the fake clock: schedule the onboarding jobs in 2099 so only the test calls their service methods.
    public const string Never = "0 0 0 1 1 ? 2099";

    public OnboardingApplication()
    {
        Settings["Demo:Enabled"] = "false";
        Settings["Onboarding:Schedule:PhaseEnds"] = Never;
        Settings["Onboarding:Schedule:Triggers"] = Never;
        Settings["Onboarding:Schedule:WeeklyStatus"] = Never;
    }

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> call) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task GrantAsync(TestUser user, params Role[] roles) => await ExecuteAsync(async db =>
    {
        foreach (var role in roles)
        {
            if (!await db.RoleAssignments.AnyAsync(r => r.AadObjectId == user.AadObjectId && r.Role == role))
            {
                db.RoleAssignments.Add(new RoleAssignment { AadObjectId = user.AadObjectId, Role = role, DisplayName = user.Name, GrantedAt = Clock.GetUtcNow() });
            }
        }
        await db.SaveChangesAsync();
    });

    /// <summary>A closed-won customer whose engagement starts today with one project of the given kind, plan instantiated.</summary>
    public async Task<(Guid CustomerId, Guid EngagementId, OnboardingPlan Plan)> NewPlanAsync(
        string customerName, string? csmAadObjectId, string kind = ProjectKinds.Onboarding90Day, int seats = 100)
    {
        var now = Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var engagementId = Guid.Empty;
        var customerId = Guid.Empty;
        await ExecuteAsync(async db =>
        {
            var customer = new Customer
            {
                CrmId = $"T-{Guid.NewGuid():N}", Name = customerName, Segment = CustomerSegment.Enterprise, Lifecycle = LifecycleStage.Onboarding,
                SeatsPurchased = seats, CsmName = "Alex Wilber", CsmEmail = "alex.wilber@example.com", CsmAadObjectId = csmAadObjectId,
                CreatedAt = now, UpdatedAt = now,
            };
            var opportunity = new Opportunity
            {
                CrmId = $"O-{Guid.NewGuid():N}", Customer = customer, CustomerId = customer.Id, Kind = OpportunityKind.New,
                Stage = OpportunityStage.ClosedWon, CloseDate = today.AddDays(-3), Amount = 1000m, ContractReference = "CTR-1",
                ReceivedAt = now, UpdatedAt = now,
            };
            var engagement = Engagement.StartFor(opportunity, today, today.AddYears(1), now);
            engagement.Status = EngagementStatus.Active;
            engagement.ManagerAadObjectId = TestActivities.Megan.AadObjectId;
            engagement.ManagerName = TestActivities.Megan.Name;
            db.AddRange(customer, opportunity, engagement);
            db.Projects.Add(new Project { Engagement = engagement, Name = $"{customerName} onboarding", Kind = kind, CreatedAt = now });
            await db.SaveChangesAsync();
            engagementId = engagement.Id;
            customerId = customer.Id;
        });
        var created = await WithServiceAsync<OnboardingService, IReadOnlyList<OnboardingPlan>>(s => s.InstantiateForEngagementAsync(engagementId, CancellationToken.None));
        Assert.True(created.Count > 0, $"no plan: {await QueryAsync(db => db.Projects.Where(p => p.EngagementId == engagementId).Select(p => p.Kind + '/' + (p.Plan == null)).FirstOrDefaultAsync())}");
        var plan = await QueryAsync(db => db.OnboardingPlans.Include(p => p.Phases).ThenInclude(p => p.Items)
            .SingleAsync(p => p.Project.EngagementId == engagementId));
        return (customerId, engagementId, plan);
    }

    public void MoveTo(DateOnly day) =>
        Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));

    public Task<List<OutboxMessage>> OutboxAsync(Func<OutboxMessage, bool> filter) =>
        QueryAsync(async db => (await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Sequence).ToListAsync()).Where(filter).ToList());

    public static string CardText(OutboxMessage message) =>
        JsonNode.Parse(message.PayloadJson)?["attachments"]?[0]?["content"].CardText() ?? "";
}
