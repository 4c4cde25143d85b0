using System.Net;
using System.Text.Json.Nodes;
using Engagements.Assignments;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Delivery;
using Engagements.Outbox;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Intake;

public class IntakeApiTests(IntakeApiTests.Fixture app) : IClassFixture<IntakeApiTests.Fixture>
{
    public sealed class Fixture : IntakeApplication
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await BindAsync(ChannelPurpose.Approvals, TestActivities.ApprovalsChannelId);
        }
    }

    private sealed record Counts(int Customers, int Opportunities, int Engagements, int Projects, int Deliverables, int AccessList, int Requests, int Outbox, int Audit);

    private Task<Counts> CountAsync() => app.QueryAsync(async db => new Counts(
        await db.Customers.CountAsync(), await db.Opportunities.CountAsync(), await db.Engagements.CountAsync(),
        await db.Projects.CountAsync(), await db.Deliverables.CountAsync(), await db.AccessListEntries.CountAsync(),
        await db.AssignmentRequests.CountAsync(), await db.OutboxMessages.CountAsync(), await db.AuditEntries.CountAsync()));

    [Fact]
    public async Task A_closed_won_opportunity_creates_the_customer_engagement_projects_and_posts_the_approval_card()
    {
        var body = Opportunities.ClosedWon();
        var crmId = body["opportunityId"]!.GetValue<string>();

        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("engagement-created", result["status"]!.GetValue<string>());
        Assert.True(result["approvalCardPosted"]!.GetValue<bool>());
        Assert.Equal(crmId, result["opportunityId"]!.GetValue<string>());
        var engagementId = Guid.Parse(result["engagementId"]!.GetValue<string>());

        var engagement = await app.QueryAsync(db => db.Engagements
            .Include(e => e.Customer).ThenInclude(c => c.AccessList)
            .Include(e => e.Opportunity)
            .Include(e => e.Projects).ThenInclude(p => p.Deliverables)
            .SingleAsync(e => e.Id == engagementId));
        Assert.Equal(crmId, engagement.Opportunity.CrmId);
        Assert.Equal(EngagementStatus.AwaitingAssignment, engagement.Status);
        Assert.Equal(new DateOnly(2026, 11, 20), engagement.StartDate);
        Assert.Equal(new DateOnly(2027, 11, 19), engagement.EndDate);
        Assert.Equal(LifecycleStage.Onboarding, engagement.Customer.Lifecycle);
        // 420 seats / 180k: the default rules make it Mid-Market (seed 004 segmentation, no segment sent).
        Assert.Equal(CustomerSegment.MidMarket, engagement.Customer.Segment);
        Assert.Equal("jordan.miller@blueyonderairlines.com", engagement.Customer.ContactEmail);
        Assert.Equal(["Admin workshop", "Blue Yonder onboarding"], engagement.Projects.Select(p => p.Name).Order());
        Assert.Equal(3, engagement.Projects.Sum(p => p.Deliverables.Count));
        Assert.All(engagement.Projects, p => Assert.Equal("SOW-BYA-01", p.SowReference));
        Assert.Equal(["Jira", "VPN"], engagement.Customer.AccessList.Select(e => e.System).Order());
        Assert.Equal(["security@blueyonderairlines.com"], engagement.Customer.AccessList.Single(e => e.System == "VPN").Cc);

        var request = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.EngagementId == engagementId));
        Assert.Equal(AssignmentStatus.Pending, request.Status);
        Assert.NotEmpty(request.SuggestedEngineerIds);
        var card = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == AssignmentService.CardKey(request.Id)));
        Assert.Equal(OutboxKind.SendToConversation, card.Kind);
        Assert.Equal(TestActivities.ApprovalsChannelId, card.ConversationId);
        var content = JsonNode.Parse(card.PayloadJson)!["attachments"]![0]!["content"];
        Assert.Contains("Blue Yonder Airlines", content.CardText());
        Assert.Contains("assignEngineer", content!.ToJsonString());

        var actions = await app.QueryAsync(db => db.AuditEntries.Select(a => a.Action).ToListAsync());
        Assert.Contains("customer-created", actions);
        Assert.Contains("lifecycle-changed", actions);
        Assert.Contains("engagement-created", actions);
        Assert.Contains("assignment-requested", actions);
    }

    [Fact]
    public async Task The_same_opportunity_posted_again_answers_200_with_the_same_engagement_and_no_second_card()
    {
        var body = Opportunities.ClosedWon();
        var first = JsonNode.Parse(await (await app.PostOpportunityAsync(body)).Content.ReadAsStringAsync())!;
        var before = await CountAsync();

        var replay = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var second = JsonNode.Parse(await replay.Content.ReadAsStringAsync())!;
        Assert.Equal("already-processed", second["status"]!.GetValue<string>());
        Assert.Equal(first["engagementId"]!.GetValue<string>(), second["engagementId"]!.GetValue<string>());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Two_simultaneous_deliveries_of_one_opportunity_create_one_engagement()
    {
        var body = Opportunities.ClosedWon();
        var crmId = body["opportunityId"]!.GetValue<string>();

        var responses = await Task.WhenAll(app.PostOpportunityAsync(body), app.PostOpportunityAsync(body));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await app.QueryAsync(db => db.Engagements.CountAsync(e => e.Opportunity.CrmId == crmId)));
        Assert.Equal(1, await app.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.Engagement.Opportunity.CrmId == crmId)));
    }

    [Fact]
    public async Task An_opportunity_that_is_not_closed_won_is_stored_with_202_and_gets_its_engagement_when_it_closes()
    {
        var body = Opportunities.ClosedWon();
        body["stage"] = "Negotiation";
        var crmId = body["opportunityId"]!.GetValue<string>();

        var stored = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
        var opportunity = await app.QueryAsync(db => db.Opportunities.Include(o => o.Customer).Include(o => o.Engagement).SingleAsync(o => o.CrmId == crmId));
        Assert.Null(opportunity.Engagement);
        Assert.Equal(LifecycleStage.Prospect, opportunity.Customer.Lifecycle);

        body["stage"] = "closed-won";
        var closed = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(1, await app.QueryAsync(db => db.Engagements.CountAsync(e => e.Opportunity.CrmId == crmId)));
        Assert.Equal(LifecycleStage.Onboarding, await app.QueryAsync(db => db.Customers.Where(c => c.Id == opportunity.CustomerId).Select(c => c.Lifecycle).SingleAsync()));
    }

    [Fact]
    public async Task A_closed_won_renewal_needs_neither_contract_nor_MOU()
    {
        var body = Opportunities.ClosedWon();
        body["kind"] = "renewal";
        body.Remove("contractReference");

        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_given_segment_is_kept_and_a_digital_support_level_makes_the_customer_Scaled()
    {
        var given = Opportunities.ClosedWon();
        given["customer"]!["segment"] = "Strategic";
        var digital = Opportunities.ClosedWon();
        digital["customer"]!["supportLevel"] = "Digital";
        digital["customer"]!["seats"] = 9000;

        await app.PostOpportunityAsync(given);
        await app.PostOpportunityAsync(digital);

        Assert.Equal(CustomerSegment.Strategic, await SegmentOf(given));
        Assert.Equal(CustomerSegment.Scaled, await SegmentOf(digital));
    }

    private Task<CustomerSegment> SegmentOf(JsonObject body)
    {
        var crmId = body["customer"]!["crmId"]!.GetValue<string>();
        return app.QueryAsync(db => db.Customers.Where(c => c.CrmId == crmId).Select(c => c.Segment).SingleAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256=00")]
    [InlineData("sha256=not-hex")]
    [InlineData("sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("md5=9f86d081884c7d659a2feaa0c55ad015")]
    public async Task A_bad_signature_is_refused_with_401_and_nothing_is_written(string signature)
    {
        var before = await CountAsync();

        var response = await app.PostOpportunityAsync(Opportunities.ClosedWon(), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_body_signed_with_another_secret_is_refused()
    {
        var body = Opportunities.ClosedWon().ToJsonString();
        var before = await CountAsync();

        var response = await app.PostOpportunityAsync(body, Engagements.Intake.WebhookSignature.Sign("another-secret", System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    public static TheoryData<string, string> Violations() => new()
    {
        { "no-contract", "contractReference" },
        { "no-opportunity-id", "opportunityId" },
        { "negative-amount", "amount" },
        { "unknown-stage", "stage" },
        { "unknown-kind", "kind" },
        { "no-close-date", "closeDate" },
        { "no-customer-name", "customer.name" },
        { "bad-csm-email", "customer.csmEmail" },
        { "unknown-segment", "customer.segment" },
        { "seats-not-a-number", "customer.seats" },
        { "deliverable-without-done-criterion", "sow.projects[0].deliverables[1].doneCriterion" },
        { "project-without-name", "sow.projects[1].name" },
        { "access-list-bad-method", "accessList[1].method" },
        { "access-list-duplicate-system", "accessList[1].system" },
        { "end-before-start", "endDate" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_broken_rule_is_answered_with_422_naming_the_field_and_nothing_is_written(string change, string field)
    {
        var body = Opportunities.ClosedWon();
        switch (change)
        {
            case "no-contract": body.Remove("contractReference"); break;
            case "no-opportunity-id": body["opportunityId"] = " "; break;
            case "negative-amount": body["amount"] = -5; break;
            case "unknown-stage": body["stage"] = "Won-ish"; break;
            case "unknown-kind": body["kind"] = "upsell"; break;
            case "no-close-date": body.Remove("closeDate"); break;
            case "no-customer-name": body["customer"]!["name"] = ""; break;
            case "bad-csm-email": body["customer"]!["csmEmail"] = "adele.vance@"; break;
            case "unknown-segment": body["customer"]!["segment"] = "Galactic"; break;
            case "seats-not-a-number": body["customer"]!["seats"] = "many"; break;
            case "deliverable-without-done-criterion": body["sow"]!["projects"]![0]!["deliverables"]![1]!.AsObject().Remove("doneCriterion"); break;
            case "project-without-name": body["sow"]!["projects"]![1]!["name"] = null; break;
            case "access-list-bad-method": body["accessList"]![1]!["method"] = "carrier pigeon"; break;
            case "access-list-duplicate-system": body["accessList"]![1]!["system"] = "vpn"; break;
            case "end-before-start": body["startDate"] = "2027-01-01"; body["endDate"] = "2026-12-01"; break;
        }
        var before = await CountAsync();

        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]?[field]);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task An_opportunity_that_already_has_an_engagement_cannot_move_back_out_of_closed_won()
    {
        var body = Opportunities.ClosedWon();
        await app.PostOpportunityAsync(body);
        body["stage"] = "Closed Lost";
        var before = await CountAsync();

        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]?["stage"]);
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData("{\"opportunityId\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_JSON_is_answered_with_400(string body)
    {
        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_256_KB_is_refused_with_413()
    {
        var body = Opportunities.ClosedWon();
        body["padding"] = new string('x', 260 * 1024);

        var response = await app.PostOpportunityAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
