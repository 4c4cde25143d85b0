using Engagements.Alerts;
using Engagements.Assignments;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Intake;
using Engagements.Outbox;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Data;

public sealed class DataRulesOnSqliteTests(SqliteTestDatabase database) : DataRulesTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class DataRulesOnPostgresTests(PostgresTestDatabase database) : DataRulesTests(database), IClassFixture<PostgresTestDatabase>;

// The same rules, on both providers: what the code refuses and what the database itself refuses.
public abstract class DataRulesTests(TestDatabase database)
{
    [Fact]
    public async Task Closed_won_new_opportunity_without_contract_or_mou_is_refused_naming_the_field_and_nothing_is_written()
    {
        var customer = TestData.Customer();
        var opportunity = TestData.Opportunity(customer, contract: null, mou: null);

        var violations = OpportunityRules.Validate(opportunity);
        var refusal = Assert.Throws<RuleViolationException>(() => TestData.Engagement(opportunity));

        var violation = Assert.Single(violations);
        Assert.Equal("contractReference", violation.Field);
        Assert.Contains("contract or an MOU", violation.Message, StringComparison.Ordinal);
        Assert.Contains(refusal.Violations, v => v.Field == "contractReference");
        await using var db = database.CreateDb();
        Assert.False(await db.Opportunities.AnyAsync(o => o.CrmId == opportunity.CrmId));
        Assert.False(await db.Customers.AnyAsync(c => c.CrmId == customer.CrmId));
    }

    [Fact]
    public void Closed_won_new_opportunity_with_only_an_mou_is_accepted() =>
        Assert.Empty(OpportunityRules.Validate(TestData.Opportunity(TestData.Customer(), contract: null, mou: "MOU-7")));

    [Fact]
    public async Task Renewal_without_contract_or_mou_is_accepted_and_gets_an_engagement()
    {
        var opportunity = TestData.Opportunity(TestData.Customer(), OpportunityKind.Renewal, contract: null, mou: null);

        Assert.Empty(OpportunityRules.Validate(opportunity));
        var engagement = TestData.Engagement(opportunity);
        await database.InsertAsync(engagement);

        await using var db = database.CreateDb();
        var stored = await db.Engagements.Include(e => e.Opportunity).SingleAsync(e => e.Id == engagement.Id);
        Assert.Equal(OpportunityKind.Renewal, stored.Opportunity.Kind);
        Assert.Null(stored.Opportunity.ContractReference);
        Assert.Equal(opportunity.CustomerId, stored.CustomerId);
    }

    [Fact]
    public void Opportunity_that_is_not_closed_won_gets_no_engagement()
    {
        var opportunity = TestData.Opportunity(TestData.Customer(), stage: OpportunityStage.Negotiation);

        var refusal = Assert.Throws<RuleViolationException>(() => TestData.Engagement(opportunity));

        Assert.Equal("stage", Assert.Single(refusal.Violations).Field);
    }

    [Fact]
    public async Task Second_engagement_for_the_same_opportunity_is_refused_by_the_database()
    {
        var opportunity = TestData.Opportunity(TestData.Customer());
        await database.InsertAsync(TestData.Engagement(opportunity));

        await using var db = database.CreateDb();
        var stored = await db.Opportunities.SingleAsync(o => o.Id == opportunity.Id);
        db.Engagements.Add(TestData.Engagement(stored));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Project_without_an_engagement_is_refused_by_the_foreign_key()
    {
        await using var db = database.CreateDb();
        db.Projects.Add(new Project { EngagementId = Guid.NewGuid(), Name = "Orphan", CreatedAt = TestData.Now });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Deliverable_without_a_project_is_refused_by_the_foreign_key()
    {
        await using var db = database.CreateDb();
        db.Deliverables.Add(new Deliverable { ProjectId = Guid.NewGuid(), Title = "Orphan", UpdatedAt = TestData.Now });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Two_open_alerts_with_the_same_dedupe_key_are_refused()
    {
        var customer = TestData.Customer();
        await database.InsertAsync(customer, NewAlert(customer, AlertState.Open));

        await using var db = database.CreateDb();
        db.Alerts.Add(NewAlert(customer, AlertState.Acknowledged));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_resolved_alert_and_an_open_alert_with_the_same_dedupe_key_are_allowed()
    {
        var customer = TestData.Customer();
        await database.InsertAsync(customer, NewAlert(customer, AlertState.Resolved), NewAlert(customer, AlertState.Resolved));
        await database.InsertAsync(NewAlert(customer, AlertState.Open));

        await using var db = database.CreateDb();
        Assert.Equal(3, await db.Alerts.CountAsync(a => a.CustomerId == customer.Id));
    }

    [Fact]
    public async Task Second_concurrent_update_of_an_assignment_request_gets_a_concurrency_exception()
    {
        var request = new AssignmentRequest { Engagement = TestData.Engagement(TestData.Opportunity(TestData.Customer())), RequestedAt = TestData.Now };
        await database.InsertAsync(request);
        await using var first = database.CreateDb();
        await using var second = database.CreateDb();
        var firstView = await first.AssignmentRequests.SingleAsync(r => r.Id == request.Id);
        var secondView = await second.AssignmentRequests.SingleAsync(r => r.Id == request.Id);

        firstView.Status = AssignmentStatus.Approved;
        firstView.DecidedByName = "Megan Bowen";
        await first.SaveChangesAsync();
        secondView.Status = AssignmentStatus.Rejected;
        secondView.DecidedByName = "Someone else";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = database.CreateDb();
        var stored = await check.AssignmentRequests.SingleAsync(r => r.Id == request.Id);
        Assert.Equal(AssignmentStatus.Approved, stored.Status);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Second_pending_assignment_request_for_one_engagement_is_refused()
    {
        var engagement = TestData.Engagement(TestData.Opportunity(TestData.Customer()));
        await database.InsertAsync(engagement, new AssignmentRequest { EngagementId = engagement.Id, RequestedAt = TestData.Now });

        await using var db = database.CreateDb();
        db.AssignmentRequests.Add(new AssignmentRequest { EngagementId = engagement.Id, RequestedAt = TestData.Now });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Idempotency_keys_are_unique()
    {
        var customer = TestData.Customer();
        var eventId = $"evt-{Guid.NewGuid():N}";
        var activityKey = ProcessedActivity.KeyFor("msteams", "19:abc@thread.tacv2", $"act-{Guid.NewGuid():N}");
        var outboxKey = $"welcome-{Guid.NewGuid():N}";
        await database.InsertAsync(customer, Usage(customer, eventId), new ProcessedActivity { Key = activityKey, ReceivedAt = TestData.Now },
            new OutboxMessage { IdempotencyKey = outboxKey, PayloadJson = "{}", CreatedAt = TestData.Now, NextAttemptAt = TestData.Now });

        await AssertRefusedAsync(Usage(customer, eventId));
        await AssertRefusedAsync(new ProcessedActivity { Key = activityKey, ReceivedAt = TestData.Now });
        await AssertRefusedAsync(new OutboxMessage { IdempotencyKey = outboxKey, PayloadJson = "{}", CreatedAt = TestData.Now, NextAttemptAt = TestData.Now });
        var sameCrmId = TestData.Customer("Contoso again");
        sameCrmId.CrmId = customer.CrmId;
        await AssertRefusedAsync(sameCrmId);
    }

    [Fact]
    public async Task Enums_are_stored_as_their_seed_wording()
    {
        var customer = TestData.Customer();
        customer.Segment = CustomerSegment.MidMarket;
        customer.Lifecycle = LifecycleStage.Prospect;
        await database.InsertAsync(customer);

        await using var db = database.CreateDb();
        var row = await db.Database
            .SqlQuery<StoredCustomerText>($"SELECT \"Segment\", \"Lifecycle\" FROM \"Customers\" WHERE \"CrmId\" = {customer.CrmId}")
            .SingleAsync();

        Assert.Equal(new StoredCustomerText("Mid-Market", "0. Prospect"), row);
        Assert.Equal(LifecycleStage.Prospect, (await db.Customers.SingleAsync(c => c.CrmId == customer.CrmId)).Lifecycle);
    }

    [Fact]
    public async Task Instants_compare_and_order_in_the_database_whatever_their_offset()
    {
        var customer = TestData.Customer();
        var early = NewAlert(customer, AlertState.Resolved);
        early.LastSeenAt = new DateTimeOffset(2025, 3, 10, 11, 0, 0, TimeSpan.FromHours(3));
        var late = NewAlert(customer, AlertState.Resolved);
        late.LastSeenAt = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);
        await database.InsertAsync(customer, late, early);

        await using var db = database.CreateDb();
        var ordered = await db.Alerts.Where(a => a.CustomerId == customer.Id && a.LastSeenAt > TestData.Now.AddHours(-2))
            .OrderBy(a => a.LastSeenAt).Select(a => a.Id).ToListAsync();

        Assert.Equal([early.Id, late.Id], ordered);
    }

    private async Task AssertRefusedAsync(object duplicate)
    {
        await using var db = database.CreateDb();
        db.Add(duplicate);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private static UsageEvent Usage(Customer customer, string eventId) => new()
    {
        EventId = eventId, CustomerId = customer.Id, UserId = "user1", Feature = "Dashboards", OccurredAt = TestData.Now, ReceivedAt = TestData.Now,
    };

    private static Alert NewAlert(Customer customer, AlertState state) => new()
    {
        Kind = AlertKind.LowUtilization, CustomerId = customer.Id, Reason = "Seat utilization below 50%", Severity = AlertSeverity.Warning,
        DedupeKey = Alert.DedupeKeyFor(customer.Id, AlertKind.LowUtilization, "Seat utilization below 50%"), State = state,
        FirstSeenAt = TestData.Now, LastSeenAt = TestData.Now,
    };

    private sealed record StoredCustomerText(string Segment, string Lifecycle);
}
