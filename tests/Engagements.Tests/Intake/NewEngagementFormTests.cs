using System.Text.Json.Nodes;
using Engagements.Intake;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Intake;

public class NewEngagementFormTests(IntakeApplication app) : IClassFixture<IntakeApplication>
{
    private static JsonObject FilledForm(string formId, string customer) => new()
    {
        ["formId"] = formId,
        ["customerName"] = customer,
        ["kind"] = "new",
        ["closeDate"] = "2026-11-20",
        ["amount"] = "95000",
        ["seats"] = "120",
        ["contractReference"] = "",
        ["mouReference"] = "MOU-2026-044",
        ["supportLevel"] = "Standard",
        ["segment"] = "",
        ["csmEmail"] = "adele.vance@engagements.example",
        ["contactName"] = "Sam Rivera",
        ["contactEmail"] = "sam.rivera@margiestravel.com",
        ["projectName"] = "Margie's onboarding",
        ["projectKind"] = "onboarding-90-day",
    };

    private JsonObject Submit(JsonObject data, TestUser user) =>
        TestActivities.Invoke(app.ServiceUrl, NewEngagementForm.Verb, data, "1:form", user, TestActivities.PersonalConversationId);

    [Fact]
    public async Task New_engagement_replies_with_the_form_for_a_manager()
    {
        var conversationId = "a:1form-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "new engagement", TestActivities.Alex, conversationId));

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        var card = reply.Body!["attachments"]![0]!["content"]!;
        Assert.Contains("createEngagement", card.ToJsonString());
        Assert.Contains("Start an engagement by hand", card.CardText());
    }

    [Fact]
    public async Task New_engagement_is_refused_to_someone_who_is_not_a_manager()
    {
        var conversationId = "a:1form-refused-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "new engagement", TestActivities.Lee, conversationId));

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        Assert.DoesNotContain("createEngagement", reply.Body!.ToJsonString());
        Assert.Contains("Only a manager", reply.Body!["attachments"]![0]!["content"].CardText());
    }

    [Fact]
    public async Task Submitting_the_form_creates_the_engagement_through_the_intake_rules_once()
    {
        var formId = Guid.NewGuid().ToString("N");
        var submit = Submit(FilledForm(formId, "Margie's Travel"), TestActivities.Alex);

        var (_, first) = await app.InvokeAsync(submit);
        var (_, again) = await app.InvokeAsync(Submit(FilledForm(formId, "Margie's Travel"), TestActivities.Alex));

        Assert.Contains("Engagement created for Margie's Travel", first!["value"].CardText());
        Assert.Contains("Engagement created", again!["value"].CardText());
        var opportunityId = "MANUAL-" + formId[..12].ToUpperInvariant();
        var engagement = await app.QueryAsync(db => db.Engagements.Include(e => e.Customer).Include(e => e.Projects).SingleAsync(e => e.Opportunity.CrmId == opportunityId));
        Assert.Equal(TestActivities.Alex.AadObjectId, engagement.ManagerAadObjectId);
        Assert.Equal("sam.rivera@margiestravel.com", engagement.Customer.ContactEmail);
        Assert.Equal("Margie's onboarding", Assert.Single(engagement.Projects).Name);
        Assert.Equal(1, await app.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.EngagementId == engagement.Id)));
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "engagement-created" && a.EntityId == engagement.Id.ToString()));
        Assert.Equal(Engagements.Audit.AuditSource.Card, audit.Source);
    }

    [Fact]
    public async Task The_form_offers_the_pre_sales_engineers_and_sends_the_post_close_checklist_to_the_one_chosen()
    {
        var conversationId = "a:1form-presales-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "new engagement", TestActivities.Alex, conversationId));
        var form = (await app.Connector.WaitForAsync(r => r.ConversationId == conversationId)).Body!["attachments"]![0]!["content"]!.ToJsonString();
        Assert.Contains("demo-aad-pradeep-gupta", form);
        Assert.Contains(TestActivities.Alex.AadObjectId, form);
        var formId = Guid.NewGuid().ToString("N");
        var data = FilledForm(formId, "Wingtip Toys");
        data["presalesEngineer"] = TestActivities.Alex.AadObjectId;
        data["deployment"] = "on-prem";

        var (_, body) = await app.InvokeAsync(Submit(data, TestActivities.Alex));

        Assert.Contains("Post-close checklist sent to Alex Wilber", body!["value"].CardText());
        var opportunityId = "MANUAL-" + formId[..12].ToUpperInvariant();
        var checklist = await app.QueryAsync(db => db.PostCloseChecklists.Include(c => c.Items).SingleAsync(c => c.Engagement.Opportunity.CrmId == opportunityId));
        Assert.Equal(TestActivities.Alex.AadObjectId, checklist.PresalesEngineerAadObjectId);
        Assert.Equal(Engagements.PostClose.PostCloseItemState.NotNeeded, checklist.Items.Single(i => i.Key == Engagements.PostClose.PostCloseSteps.CloudInstance).State);
        var post = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey!.StartsWith(Engagements.PostClose.PostCloseService.CardKeyPrefix(checklist.Id))));
        Assert.Equal(TestActivities.Alex.AadObjectId, post.RecipientAadObjectId);
    }

    [Fact]
    public async Task A_pre_sales_engineer_who_does_not_hold_the_role_is_refused_on_the_form()
    {
        var formId = Guid.NewGuid().ToString("N");
        var data = FilledForm(formId, "Woodgrove Travel");
        data["presalesEngineer"] = TestActivities.Lee.AadObjectId;

        var (_, body) = await app.InvokeAsync(Submit(data, TestActivities.Alex));

        Assert.Contains("Pre-sales engineer: Pick one of the pre-sales engineers, or nobody.", body!["value"].CardText());
        Assert.False(await app.QueryAsync(db => db.Customers.AnyAsync(c => c.Name == "Woodgrove Travel")));
    }

    [Fact]
    public async Task A_broken_rule_comes_back_on_the_form_with_the_values_kept_and_nothing_is_written()
    {
        var formId = Guid.NewGuid().ToString("N");
        var data = FilledForm(formId, "Trey Research");
        data["mouReference"] = "";
        data["csmEmail"] = "not-an-email";
        var customersBefore = await app.QueryAsync(db => db.Customers.CountAsync());

        var (status, body) = await app.InvokeAsync(Submit(data, TestActivities.Alex));

        Assert.Equal(200, status);
        var card = body!["value"]!;
        Assert.Contains("createEngagement", card.ToJsonString());
        var text = card.CardText();
        Assert.Contains("Contract reference: A closed-won new opportunity needs a contract or an MOU", text);
        Assert.Contains("CSM email", text);
        Assert.Contains("Trey Research", card.ToJsonString());
        Assert.Equal(customersBefore, await app.QueryAsync(db => db.Customers.CountAsync()));
    }

    [Fact]
    public async Task Submitting_the_form_is_refused_to_someone_who_is_not_a_manager()
    {
        var formId = Guid.NewGuid().ToString("N");

        var (_, body) = await app.InvokeAsync(Submit(FilledForm(formId, "Lucerne Publishing"), TestActivities.Nestor));

        Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
        Assert.False(await app.QueryAsync(db => db.Customers.AnyAsync(c => c.Name == "Lucerne Publishing")));
    }
}
