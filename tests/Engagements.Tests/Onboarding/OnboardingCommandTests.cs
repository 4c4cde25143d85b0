using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Delivery;
using Engagements.Mail;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Roles;
using Engagements.Testing;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Onboarding;

public class OnboardingCommandTests : IAsyncLifetime
{
    private readonly OnboardingApplication app = new();

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        await app.GrantAsync(TestActivities.Alex, Role.Csm);
    }

    public Task DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Kickoff_sets_the_date_of_the_customer_matched_by_name_prefix_and_audits_it()
    {
        var (_, _, plan) = await app.NewPlanAsync("Kickstart Industries", TestActivities.Alex.AadObjectId);

        var reply = await SayAsync("kickoff KICKSTART 2027-01-11");

        Assert.Contains("Kickoff for Kickstart Industries set to 11 Jan 2027", reply);
        Assert.Equal(new DateOnly(2027, 1, 11), await app.QueryAsync(db => db.OnboardingPlans.Where(p => p.Id == plan.Id).Select(p => p.KickoffDate).SingleAsync()));
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "onboarding-kickoff-set"));
        Assert.Equal(TestActivities.Alex.AadObjectId, audit.ActorAadObjectId);
    }

    [Fact]
    public async Task Kickoff_is_refused_to_someone_without_the_manager_or_CSM_role_and_for_a_bad_date()
    {
        var (_, _, plan) = await app.NewPlanAsync("Refusal Partners", TestActivities.Alex.AadObjectId);

        Assert.Contains("Only a Manager or a CSM", await SayAsync("kickoff Refusal 2027-01-11", TestActivities.Adele));
        Assert.Contains("is not a date", await SayAsync("kickoff Refusal 11/01/2027"));
        Assert.Contains("No customer starting with", await SayAsync("kickoff Nobody 2027-01-11"));

        Assert.Equal(plan.KickoffDate, await app.QueryAsync(db => db.OnboardingPlans.Where(p => p.Id == plan.Id).Select(p => p.KickoffDate).SingleAsync()));
        Assert.False(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "onboarding-kickoff-set")));
    }

    [Fact]
    public async Task Done_ticks_the_one_matching_item_even_with_a_typo_and_reports_progress()
    {
        var (_, _, plan) = await app.NewPlanAsync("Tick Tock Co", TestActivities.Alex.AadObjectId);

        var reply = await SayAsync("done kickof meeting for tick tock");

        Assert.Contains("\"Kickoff Meeting\" done for Tick Tock Co", reply);
        Assert.Contains("Plan progress: 7%", reply);
        var item = await app.QueryAsync(db => db.ChecklistItems.SingleAsync(i => i.Phase.PlanId == plan.Id && i.Title == "Kickoff Meeting"));
        Assert.Equal(TestActivities.Alex.AadObjectId, item.DoneByAadObjectId);
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "checklist-item-done" && a.EntityId == item.Id.ToString())));
    }

    [Fact]
    public async Task Done_on_a_deliverable_completes_it()
    {
        var (_, _, plan) = await app.NewPlanAsync("Deliverable Works", TestActivities.Alex.AadObjectId);
        var deliverableId = await app.QueryAsync(async db =>
        {
            var deliverable = new Deliverable { ProjectId = plan.ProjectId, Title = "Security review", Status = DeliverableStatus.InProgress, UpdatedAt = app.Clock.GetUtcNow() };
            db.Deliverables.Add(deliverable);
            await db.SaveChangesAsync();
            return deliverable.Id;
        });

        var reply = await SayAsync("done security review");

        Assert.Contains("\"Security review\" done", reply);
        Assert.Equal(DeliverableStatus.Completed, await app.QueryAsync(db => db.Deliverables.Where(d => d.Id == deliverableId).Select(d => d.Status).SingleAsync()));
    }

    [Fact]
    public async Task Several_matches_get_a_pick_list_and_ticking_one_from_it_completes_only_that_one()
    {
        var (_, _, plan) = await app.NewPlanAsync("Choices Ltd", TestActivities.Alex.AadObjectId);

        var conversation = "a:1pick-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "done launch", conversationId: conversation));
        var request = await app.Connector.WaitForAsync(r => r.ConversationId == conversation);
        var card = request.Body!["attachments"]![0]!["content"]!;
        Assert.Contains("Which one is done?", card.CardText());
        Assert.Contains("Production Launch", card.CardText());
        var actions = card.ToJsonString();
        Assert.Contains("tickItem", actions);
        var pilot = await app.QueryAsync(db => db.ChecklistItems.SingleAsync(i => i.Phase.PlanId == plan.Id && i.Title == "Pilot Launch"));
        Assert.Contains(pilot.Id.ToString(), actions);

        var ticked = await OnboardingJourneyTests.InvokeAsync(app, "tickItem", new JsonObject { ["kind"] = "item", ["id"] = pilot.Id.ToString() });

        Assert.Contains("\"Pilot Launch\" done for Choices Ltd", ticked.CardText());
        var done = await app.QueryAsync(db => db.ChecklistItems.Where(i => i.Phase.PlanId == plan.Id && i.DoneAt != null).Select(i => i.Title).ToListAsync());
        Assert.Equal(["Pilot Launch"], done);
    }

    [Fact]
    public async Task Someone_who_is_not_on_the_engagement_can_neither_say_done_nor_tick()
    {
        var (_, _, plan) = await app.NewPlanAsync("Private Corp", TestActivities.Alex.AadObjectId);
        var item = plan.Phases.SelectMany(p => p.Items).First();

        Assert.Contains("no active onboarding plans", await SayAsync("done contract finalization", TestActivities.Adele));
        var ticked = await OnboardingJourneyTests.InvokeAsync(app, "tickItem", new JsonObject { ["kind"] = "item", ["id"] = item.Id.ToString() }, TestActivities.Adele);

        Assert.Contains("Only the people on Private Corp's engagement", ticked.CardText());
        Assert.False(await app.QueryAsync(db => db.ChecklistItems.AnyAsync(i => i.DoneAt != null)));
    }

    [Fact]
    public async Task The_weekly_status_is_drafted_once_a_week_and_one_click_emails_it_html_encoded()
    {
        var (_, _, plan) = await app.NewPlanAsync("Status <Quo> & Co", TestActivities.Alex.AadObjectId);
        app.MoveTo(plan.KickoffDate.AddDays(3));

        Assert.Equal(1, await app.WithServiceAsync<WeeklyStatusUpdates, int>(s => s.DraftAllAsync(default)));
        Assert.Equal(0, await app.WithServiceAsync<WeeklyStatusUpdates, int>(s => s.DraftAllAsync(default)));
        var weekOf = WeeklyStatusUpdates.WeekOf(plan.KickoffDate.AddDays(3));
        var draft = Assert.Single(await app.OutboxAsync(m => m.IdempotencyKey == WeeklyStatusUpdates.DraftKey(plan.Id, weekOf)));
        Assert.Equal(TestActivities.Alex.AadObjectId, draft.RecipientAadObjectId);
        Assert.Contains("WEEKLY STATUS UPDATE (DRAFT)", OnboardingApplication.CardText(draft));
        Assert.Contains("Kickoff Meeting", OnboardingApplication.CardText(draft));

        var data = new JsonObject { ["planId"] = plan.Id.ToString(), ["weekOf"] = weekOf.ToString("yyyy-MM-dd"), ["recipients"] = "not-an-address" };
        Assert.Contains("Not an email address", (await OnboardingJourneyTests.InvokeAsync(app, "approveStatusUpdate", data)).CardText());
        data["recipients"] = "sponsor@customer.example, it@customer.example";
        Assert.Contains("CSM or a Manager can approve", (await OnboardingJourneyTests.InvokeAsync(app, "approveStatusUpdate", data, TestActivities.Adele)).CardText());
        Assert.Contains("Approved and sent", (await OnboardingJourneyTests.InvokeAsync(app, "approveStatusUpdate", data)).CardText());
        Assert.Contains("Approved and sent", (await OnboardingJourneyTests.InvokeAsync(app, "approveStatusUpdate", data)).CardText());

        var sent = Assert.Single(await app.OutboxAsync(m => m.Kind == OutboxKind.SendEmail));
        var email = JsonSerializer.Deserialize<EmailMessage>(sent.PayloadJson, JsonSerializerOptions.Web)!;
        Assert.Equal(["sponsor@customer.example", "it@customer.example"], email.To);
        Assert.Equal($"Status <Quo> & Co onboarding: weekly status, week of {weekOf:d MMM yyyy}", email.Subject);
        Assert.Contains("Status &lt;Quo&gt; &amp; Co", email.HtmlBody);
        Assert.DoesNotContain("<Quo>", email.HtmlBody);
    }

    private async Task<string> SayAsync(string text, TestUser? user = null)
    {
        var conversation = "a:1onb-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, text, user, conversation));
        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversation);
        return reply.Body?["attachments"]?[0]?["content"].CardText() ?? "";
    }
}
