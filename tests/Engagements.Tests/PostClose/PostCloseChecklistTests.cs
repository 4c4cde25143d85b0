using System.Text.Json.Nodes;
using Engagements.Assignments;
using Engagements.Conversations;
using Engagements.Demo;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.PostClose;
using Engagements.Roles;
using Engagements.Tests.Intake;
using Engagements.Tests.Playground;
using Engagements.Tests.Standup;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.PostClose;

public class PostCloseChecklistTests(PostCloseChecklistTests.Fixture app) : IClassFixture<PostCloseChecklistTests.Fixture>
{
    public sealed class Fixture : IntakeApplication
    {
        // Tests deliver the outbox themselves: a background pass holding a post would make its card update wait on the fake clock.
        public Fixture() => Settings["Outbox:BackgroundDelivery"] = "false";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // Installed in the team: the bot knows the tenant, so it can open 1:1 chats with people it has Teams ids for.
            await PostActivityAsync(TestActivities.TeamInstall(ServiceUrl));
            await BindAsync(ChannelPurpose.Approvals, TestActivities.ApprovalsChannelId);
        }
    }

    private static TestUser NewUser(string name) =>
        new("29:1" + name.Replace(" ", "-", StringComparison.Ordinal).ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..6], name, Guid.NewGuid().ToString());

    private static string PersonalChatOf(TestUser user) => "a:1personal-" + user.AadObjectId;

    // A person the bot can message 1:1 is one who has chatted with it: their personal conversation is stored.
    private async Task HaveChattedAsync(TestUser user)
    {
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "help", user, PersonalChatOf(user)));
        await app.Connector.WaitForAsync(r => r.ConversationId == PersonalChatOf(user));
    }

    private static JsonObject Opportunity(string customer, TestUser? presales = null, string? deployment = null)
    {
        var body = Opportunities.ClosedWon(customerName: customer);
        if (presales is not null)
        {
            body["presalesEngineer"] = new JsonObject
            {
                ["email"] = presales.Name.Replace(" ", ".", StringComparison.Ordinal).ToLowerInvariant() + "@engagements.example",
                ["name"] = presales.Name,
                ["aadObjectId"] = presales.AadObjectId,
            };
        }
        if (deployment is not null)
        {
            body["deployment"] = deployment;
        }
        return body;
    }

    private async Task<(Guid EngagementId, JsonNode Answer)> IntakeAsync(JsonObject body)
    {
        var response = await app.PostOpportunityAsync(body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        return (Guid.Parse(answer["engagementId"]!.GetValue<string>()), answer);
    }

    private Task<PostCloseChecklist> ChecklistAsync(Guid engagementId) =>
        app.QueryAsync(db => db.PostCloseChecklists.AsNoTracking().Include(c => c.Items).SingleAsync(c => c.EngagementId == engagementId));

    private Task<List<OutboxMessage>> CardPostsAsync(Guid checklistId) => app.QueryAsync(db => db.OutboxMessages.AsNoTracking()
        .Where(m => m.IdempotencyKey!.StartsWith(PostCloseService.CardKeyPrefix(checklistId)) && m.Kind != OutboxKind.UpdateActivity)
        .ToListAsync());

    private static string CardTextOf(OutboxMessage message) => JsonNode.Parse(message.PayloadJson)!["attachments"]![0]!["content"].CardText();

    private static PostCloseItem Step(PostCloseChecklist checklist, string key) => checklist.Items.Single(i => i.Key == key);

    private async Task<(int Status, JsonObject? Body)> TickAsync(TestUser user, Guid itemId, string outcome = PostCloseService.DoneOutcome)
    {
        var data = new JsonObject { ["itemId"] = itemId.ToString(), ["outcome"] = outcome };
        return await app.InvokeAsync(Personal(TestActivities.Invoke(app.ServiceUrl, PostCloseService.TickVerb, data, "1:checklist-card", user, PersonalChatOf(user))));
    }

    // The invoke fixture is a channel click; the checklist card is clicked in the person's 1:1 chat.
    private static JsonObject Personal(JsonObject invoke)
    {
        invoke["conversation"]!["conversationType"] = "personal";
        invoke["conversation"]!["isGroup"] = false;
        return invoke;
    }

    // An update waits for its post to be delivered first; one pass may only get the post out.
    private async Task DeliverAllAsync()
    {
        for (var pass = 0; pass < 5 && (await app.DeliverOutboxAsync()).Total > 0; pass++)
        {
        }
    }

    private Task<int> AuditCountAsync(string action, Guid entityId) =>
        app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == action && a.EntityId == entityId.ToString()));

    [Fact]
    public async Task The_named_pre_sales_engineer_gets_the_checklist_card_in_a_personal_chat_on_intake()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);

        var (engagementId, answer) = await IntakeAsync(Opportunity("Alpine Ski House", presales, deployment: "cloud"));

        Assert.Equal("Pradeep Gupta", answer["postCloseChecklistSentTo"]!.GetValue<string>());
        var checklist = await ChecklistAsync(engagementId);
        Assert.Equal(presales.AadObjectId, checklist.PresalesEngineerAadObjectId);
        Assert.Null(checklist.FallbackReason);
        Assert.Equal([PostCloseSteps.ProductionLicense, PostCloseSteps.CloudInstance, PostCloseSteps.AdminMapping, PostCloseSteps.ContactRoles],
            checklist.Items.OrderBy(i => i.Order).Select(i => i.Key));
        Assert.All(checklist.Items, i => Assert.Equal(PostCloseItemState.Open, i.State));

        var post = Assert.Single(await CardPostsAsync(checklist.Id));
        Assert.Equal(OutboxKind.SendPersonal, post.Kind);
        Assert.Equal(presales.AadObjectId, post.RecipientAadObjectId);
        var text = CardTextOf(post);
        Assert.Contains("POST-CLOSE CHECKLIST", text);
        Assert.Contains("For Pradeep Gupta, pre-sales engineer", text);
        Assert.Contains("Production license created", text);
        Assert.Contains("The customer runs in our cloud: request the new production instance.", text);
        Assert.Contains("Instance-to-admin mapping completed", text);
        Assert.Contains("Customer contacts tagged with their roles", text);
        Assert.Equal(1, await AuditCountAsync("post-close-checklist-sent", checklist.Id));

        await DeliverAllAsync();
        var delivered = await app.Connector.WaitForAsync(r => r.Method == "POST" && r.ConversationId == PersonalChatOf(presales)
            && r.Body?["attachments"]?[0]?["content"].CardText().Contains("Alpine Ski House", StringComparison.Ordinal) == true);
        Assert.Contains("tickPostClose", delivered.Body!.ToJsonString());
    }

    [Fact]
    public async Task A_pre_sales_engineer_named_by_email_only_is_found_through_the_engineer_profiles()
    {
        var body = Opportunities.ClosedWon(customerName: "Bellows College");
        // The demo's Isaiah Langer has an engineer profile with his Teams id.
        body["presalesEngineer"] = new JsonObject { ["email"] = "Isaiah.Langer@engagements.example" };

        var (engagementId, _) = await IntakeAsync(body);

        var checklist = await ChecklistAsync(engagementId);
        Assert.Equal((DemoDataLoader.Isaiah.AadObjectId, "Isaiah Langer"), (checklist.PresalesEngineerAadObjectId, checklist.PresalesEngineerName));
        var post = Assert.Single(await CardPostsAsync(checklist.Id));
        Assert.Equal(DemoDataLoader.Isaiah.AadObjectId, post.RecipientAadObjectId);
        await DeliverAllAsync();
        var created = await app.Connector.WaitForAsync(r => r.Route == "CreateConversation"
            && r.Body?["members"]?[0]?["id"]?.GetValue<string>() == "29:1isaiah-langer-presales");
        var delivered = await app.Connector.WaitForAsync(r => r.Route == "SendToConversation" && r.ConversationId == created.ConversationId
            && r.Body?["attachments"]?[0]?["content"].CardText().Contains("Bellows College", StringComparison.Ordinal) == true);
        Assert.Contains("POST-CLOSE CHECKLIST", delivered.Body!["attachments"]![0]!["content"].CardText());
    }

    [Fact]
    public async Task Without_a_pre_sales_engineer_the_card_goes_to_the_approvals_channel_for_the_pre_sales_engineers()
    {
        var (engagementId, answer) = await IntakeAsync(Opportunity("Coho Vineyard", deployment: "On-Premises"));

        Assert.Equal("the approvals channel", answer["postCloseChecklistSentTo"]!.GetValue<string>());
        var checklist = await ChecklistAsync(engagementId);
        Assert.Null(checklist.PresalesEngineerAadObjectId);
        var post = Assert.Single(await CardPostsAsync(checklist.Id));
        Assert.Equal((OutboxKind.SendToConversation, TestActivities.ApprovalsChannelId), (post.Kind, post.ConversationId));
        var text = CardTextOf(post);
        Assert.Contains("The opportunity names no pre-sales engineer: one of the pre-sales engineers, please take it.", text);
        // The demo's pre-sales engineers, by name (other tests of this class grant the role to more people).
        Assert.Contains("For the pre-sales engineers: Alex Wilber, ", text);
        Assert.Contains("Pradeep Gupta", text);

        // On-prem: the cloud instance step does not apply and never blocks anything.
        Assert.Equal(PostCloseItemState.NotNeeded, Step(checklist, PostCloseSteps.CloudInstance).State);
        Assert.Contains("Not needed · On-prem deployment (from the opportunity).", text);
        Assert.Equal(3, checklist.OpenItems.Count());
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "post-close-checklist-sent" && a.EntityId == checklist.Id.ToString()));
        Assert.Contains("names no pre-sales engineer", audit.Reason);
    }

    [Fact]
    public async Task A_named_pre_sales_engineer_the_bot_cannot_message_yet_finds_the_card_in_the_approvals_channel()
    {
        var presales = NewUser("Diego Siciliani");

        var (engagementId, _) = await IntakeAsync(Opportunity("Datum Corporation", presales));

        var checklist = await ChecklistAsync(engagementId);
        Assert.Equal(presales.AadObjectId, checklist.PresalesEngineerAadObjectId);
        var post = Assert.Single(await CardPostsAsync(checklist.Id));
        Assert.Equal(TestActivities.ApprovalsChannelId, post.ConversationId);
        var text = CardTextOf(post);
        Assert.Contains("For Diego Siciliani, pre-sales engineer", text);
        Assert.Contains("I can't message Diego Siciliani directly yet", text);
        // Not known: the pre-sales engineer decides, so the step offers both answers.
        Assert.Contains("Only if the customer runs in our cloud; otherwise mark it not needed.", text);
        Assert.Contains("not-needed", post.PayloadJson);
    }

    [Fact]
    public async Task A_malformed_pre_sales_engineer_or_deployment_is_answered_with_422_naming_the_field_and_nothing_is_written()
    {
        var cases = new (Action<JsonObject> Break, string Field)[]
        {
            (b => b["presalesEngineer"] = new JsonObject { ["email"] = "pradeep.gupta@" }, "presalesEngineer.email"),
            (b => b["presalesEngineer"] = new JsonObject { ["name"] = "Pradeep Gupta" }, "presalesEngineer.email"),
            (b => b["presalesEngineer"] = new JsonObject { ["aadObjectId"] = "pradeep; drop table" }, "presalesEngineer.aadObjectId"),
            (b => b["presalesEngineer"] = "pradeep.gupta@engagements.example", "presalesEngineer"),
            (b => b["deployment"] = "mainframe", "deployment"),
        };
        foreach (var (breakIt, field) in cases)
        {
            var body = Opportunities.ClosedWon();
            breakIt(body);
            var before = await app.QueryAsync(db => db.PostCloseChecklists.CountAsync());

            var response = await app.PostOpportunityAsync(body);

            Assert.Equal(422, (int)response.StatusCode);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(problem["errors"]?[field] is not null, $"{field} not named in {problem.ToJsonString()}");
            Assert.Equal(before, await app.QueryAsync(db => db.PostCloseChecklists.CountAsync()));
        }
    }

    [Fact]
    public async Task The_pre_sales_engineer_ticks_a_step_the_card_updates_in_place_and_the_tick_is_audited()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);
        var (engagementId, _) = await IntakeAsync(Opportunity("Fourth Coffee", presales, deployment: "cloud"));
        var checklist = await ChecklistAsync(engagementId);
        var license = Step(checklist, PostCloseSteps.ProductionLicense);
        var post = Assert.Single(await CardPostsAsync(checklist.Id));

        var (status, body) = await TickAsync(presales, license.Id);

        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        Assert.Contains("Done by Pradeep Gupta · 23 Nov 2026 09:00 UTC", body["value"].CardText());
        Assert.Contains("Steps (1 of 4 closed)", body["value"].CardText());
        var ticked = await ChecklistAsync(engagementId);
        Assert.Equal(PostCloseItemState.Done, Step(ticked, PostCloseSteps.ProductionLicense).State);
        Assert.Equal(presales.AadObjectId, Step(ticked, PostCloseSteps.ProductionLicense).ClosedByAadObjectId);
        Assert.Equal(1, ticked.Version);
        Assert.Equal(1, await AuditCountAsync("post-close-item-done", license.Id));
        var update = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Kind == OutboxKind.UpdateActivity && m.UpdatesIdempotencyKey == post.IdempotencyKey));
        Assert.Equal(ticked.Version, update.RendersVersion);
        Assert.Contains("Done by Pradeep Gupta", CardTextOf(update));

        await DeliverAllAsync();
        var put = await app.Connector.WaitForAsync(r => r.Route == "UpdateActivity" && r.ConversationId == PersonalChatOf(presales));
        Assert.Contains("Done by Pradeep Gupta", put.Body?["attachments"]?[0]?["content"].CardText());

        // Teams retries the invoke: nothing changes.
        var (_, again) = await TickAsync(presales, license.Id);
        Assert.Contains("Done by Pradeep Gupta", again!["value"].CardText());
        Assert.Equal(1, (await ChecklistAsync(engagementId)).Version);
        Assert.Equal(1, await AuditCountAsync("post-close-item-done", license.Id));
    }

    [Fact]
    public async Task Anyone_but_the_pre_sales_engineer_a_manager_or_an_admin_is_refused_and_the_card_is_unchanged()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);
        var (engagementId, _) = await IntakeAsync(Opportunity("Graphic Design Institute", presales));
        var checklist = await ChecklistAsync(engagementId);
        var mapping = Step(checklist, PostCloseSteps.AdminMapping);
        // Another pre-sales engineer: this checklist names someone else.
        var colleague = NewUser("Another Presales");
        await app.GrantAsync(colleague, Role.PresalesEngineer);
        var outboxBefore = await app.QueryAsync(db => db.OutboxMessages.CountAsync());

        foreach (var stranger in new[] { TestActivities.Lee, colleague })
        {
            var (status, body) = await TickAsync(stranger, mapping.Id);

            Assert.Equal(200, status);
            Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
            Assert.Contains("Only Pradeep Gupta (the pre-sales engineer on Graphic Design Institute) or a manager", body["value"]!.GetValue<string>());
        }
        Assert.Equal(PostCloseItemState.Open, Step(await ChecklistAsync(engagementId), PostCloseSteps.AdminMapping).State);
        Assert.Equal(outboxBefore, await app.QueryAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(0, await AuditCountAsync("post-close-item-done", mapping.Id));

        // A manager may tick for the pre-sales engineer.
        var (_, byManager) = await TickAsync(TestActivities.Alex, mapping.Id);
        Assert.Contains("Done by Alex Wilber", byManager!["value"].CardText());
    }

    [Fact]
    public async Task Without_a_named_pre_sales_engineer_any_pre_sales_engineer_may_tick()
    {
        var (engagementId, _) = await IntakeAsync(Opportunity("Humongous Insurance"));
        var license = Step(await ChecklistAsync(engagementId), PostCloseSteps.ProductionLicense);
        var presales = NewUser("Pradeep Gupta");
        await app.GrantAsync(presales, Role.PresalesEngineer);

        var (_, refused) = await TickAsync(TestActivities.Lee, license.Id);
        var (_, ticked) = await TickAsync(presales, license.Id);

        Assert.Contains("Only a pre-sales engineer or a manager", refused!["value"]!.GetValue<string>());
        Assert.Contains("Done by Pradeep Gupta", ticked!["value"].CardText());
        // The channel card is the one updated for everyone.
        var post = Assert.Single(await CardPostsAsync((await ChecklistAsync(engagementId)).Id));
        Assert.Equal(1, await app.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.UpdatesIdempotencyKey == post.IdempotencyKey)));
    }

    [Fact]
    public async Task Only_the_cloud_instance_step_can_be_closed_as_not_needed()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);
        var (engagementId, _) = await IntakeAsync(Opportunity("Lamna Healthcare", presales));
        var checklist = await ChecklistAsync(engagementId);

        var (_, license) = await TickAsync(presales, Step(checklist, PostCloseSteps.ProductionLicense).Id, PostCloseService.NotNeededOutcome);
        var (_, cloud) = await TickAsync(presales, Step(checklist, PostCloseSteps.CloudInstance).Id, PostCloseService.NotNeededOutcome);

        Assert.Contains("is always needed", license!["value"]!.GetValue<string>());
        Assert.Contains("Not needed · Pradeep Gupta", cloud!["value"].CardText());
        var after = await ChecklistAsync(engagementId);
        Assert.Equal(PostCloseItemState.Open, Step(after, PostCloseSteps.ProductionLicense).State);
        Assert.Equal(PostCloseItemState.NotNeeded, Step(after, PostCloseSteps.CloudInstance).State);
        Assert.Equal(1, await AuditCountAsync("post-close-item-not-needed", Step(after, PostCloseSteps.CloudInstance).Id));
    }

    [Fact]
    public async Task Open_steps_keep_the_pre_kickoff_phase_from_being_confirmed_until_they_are_closed()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);
        var (engagementId, _) = await IntakeAsync(Opportunity("Margie's Travel", presales));
        // Approving the assignment instantiates the onboarding plan.
        var request = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.EngagementId == engagementId));
        await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, AssignmentService.ApproveVerb,
            new JsonObject { ["assignmentRequestId"] = request.Id.ToString(), ["engineer"] = request.SuggestedEngineerIds[0].ToString() },
            "1:approval-card", TestActivities.Alex, TestActivities.ApprovalsChannelId + ";messageid=1:approval-card"));
        var preKickoff = await app.QueryAsync(db => db.PlanPhases.SingleAsync(p => p.Plan.Project.EngagementId == engagementId && p.Name == "Pre-Kickoff"));
        async Task<JsonObject?> ConfirmAsync() => (await app.InvokeAsync(Personal(TestActivities.Invoke(app.ServiceUrl, OnboardingTurns.ConfirmPhaseVerb,
            new JsonObject { ["phaseId"] = preKickoff.Id.ToString() }, "1:phase-card", TestActivities.Alex, TestActivities.PersonalConversationId)))).Body;
        var checklist = await ChecklistAsync(engagementId);
        await TickAsync(presales, Step(checklist, PostCloseSteps.ProductionLicense).Id);

        var refused = await ConfirmAsync();

        var text = refused!["value"].CardText();
        Assert.Contains("Not confirmed: the post-close checklist still has 3 open steps", text);
        Assert.Contains("\"New cloud production instance requested\", \"Instance-to-admin mapping completed\", \"Customer contacts tagged with their roles\"", text);
        Assert.Contains("until Pradeep Gupta closes them", text);
        Assert.DoesNotContain("\"Production license created\"", text);
        Assert.NotEqual(PhaseStatus.Completed, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == preKickoff.Id).Select(p => p.Status).SingleAsync()));
        Assert.Equal(0, await AuditCountAsync("phase-confirmed", preKickoff.Id));

        await TickAsync(presales, Step(checklist, PostCloseSteps.CloudInstance).Id, PostCloseService.NotNeededOutcome);
        await TickAsync(presales, Step(checklist, PostCloseSteps.AdminMapping).Id);
        var (_, last) = await TickAsync(presales, Step(checklist, PostCloseSteps.ContactRoles).Id);
        Assert.Contains("Post-close checklist complete: the kickoff can go ahead.", last!["value"].CardText());
        Assert.NotNull((await ChecklistAsync(engagementId)).CompletedAt);
        Assert.Equal(1, await AuditCountAsync("post-close-checklist-completed", checklist.Id));

        var confirmed = await ConfirmAsync();

        Assert.Contains("Pre-Kickoff confirmed complete by Alex Wilber", confirmed!["value"].CardText());
        Assert.Equal(PhaseStatus.Completed, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == preKickoff.Id).Select(p => p.Status).SingleAsync()));
    }

    [Fact]
    public async Task Status_shows_the_open_post_close_steps_of_a_new_engagement_before_it_has_a_plan()
    {
        var presales = NewUser("Pradeep Gupta");
        await HaveChattedAsync(presales);
        var (engagementId, _) = await IntakeAsync(Opportunity("Nod Publishers", presales, deployment: "hybrid"));
        var checklist = await ChecklistAsync(engagementId);
        await TickAsync(presales, Step(checklist, PostCloseSteps.ProductionLicense).Id);

        var text = (await app.AskAsync("status Nod Publishers")).Text();

        Assert.Contains("no onboarding plan", text);
        Assert.Contains("Post-close checklist still open (blocks kickoff)", text);
        Assert.Contains("- New cloud production instance requested", text);
        Assert.Contains("- Instance-to-admin mapping completed", text);
        Assert.Contains("- Customer contacts tagged with their roles", text);
        Assert.DoesNotContain("- Production license created", text);

        foreach (var key in new[] { PostCloseSteps.CloudInstance, PostCloseSteps.AdminMapping, PostCloseSteps.ContactRoles })
        {
            await TickAsync(presales, Step(checklist, key).Id);
        }
        Assert.DoesNotContain("Post-close checklist still open", (await app.AskAsync("status Nod Publishers")).Text());
    }
}

public class PostCloseChecklistWithoutApprovalsChannelTests
{
    [Fact]
    public async Task Without_an_approvals_channel_every_pre_sales_engineer_gets_the_card_in_a_personal_chat()
    {
        await using var app = new IntakeApplication();
        await app.InitializeAsync();

        var response = await app.PostOpportunityAsync(Opportunities.ClosedWon(customerName: "Proseware Labs"));

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var engagementId = Guid.Parse(answer["engagementId"]!.GetValue<string>());
        var checklistId = await app.QueryAsync(db => db.PostCloseChecklists.Where(c => c.EngagementId == engagementId).Select(c => c.Id).SingleAsync());
        var posts = await app.QueryAsync(db => db.OutboxMessages
            .Where(m => m.IdempotencyKey!.StartsWith(PostCloseService.CardKeyPrefix(checklistId))).ToListAsync());
        var holders = await app.QueryAsync(db => db.RoleAssignments.Where(r => r.Role == Role.PresalesEngineer).Select(r => r.AadObjectId).ToListAsync());
        Assert.NotEmpty(holders);
        Assert.Equal(holders.Order(), posts.Select(p => p.RecipientAadObjectId!).Order());
        Assert.All(posts, p => Assert.Equal(OutboxKind.SendPersonal, p.Kind));
        Assert.Equal($"the pre-sales engineers ({holders.Count})", answer["postCloseChecklistSentTo"]!.GetValue<string>());
    }
}
