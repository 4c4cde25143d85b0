using System.Text.Json.Nodes;
using Engagements.BotFramework.Schema;
using Engagements.Demo;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Tests.Playground;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Onboarding;

// The demo path the Playground end-to-end test takes: Contoso's Pre-Kickoff phase ended unconfirmed, so running the
// daily job's service method sends its card to the Playground user (Contoso's CSM).
public class OnboardingDemoTests
{
    [Fact]
    public async Task In_the_demo_the_daily_job_sends_Contosos_phase_card_to_the_Playground_user_who_can_confirm_it()
    {
        await using var app = new EngagementsApplication();
        app.Settings["Onboarding:Schedule:PhaseEnds"] = OnboardingApplication.Never;
        app.Settings["Onboarding:Schedule:Triggers"] = OnboardingApplication.Never;
        app.Settings["Onboarding:Schedule:WeeklyStatus"] = OnboardingApplication.Never;
        await app.InitializeAsync();
        var phaseId = await app.QueryAsync(db => db.PlanPhases
            .Where(p => p.Plan.Project.Engagement.Customer.Name == "Contoso" && p.Plan.Project.Kind == "onboarding-90-day" && p.Order == 0)
            .Select(p => p.Id).SingleAsync());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sent = await scope.ServiceProvider.GetRequiredService<PhaseConfirmations>().SendDueCardsAsync(default);
            Assert.Equal(1, sent.PhaseCards);
        }

        var card = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == PhaseConfirmations.ConfirmCardKey(phaseId)));
        Assert.Equal(DemoDataLoader.PlaygroundUserAadObjectId, card.RecipientAadObjectId);
        var text = JsonNode.Parse(card.PayloadJson)!["attachments"]![0]!["content"].CardText();
        Assert.Contains("Contoso: Pre-Kickoff", text);
        Assert.Contains("Engagement score", text);
        // Checklist owners by the names people use, not the enum's.
        Assert.Contains("Internal handoff (CSM)", text);
        Assert.DoesNotContain("PresalesEngineer", text);
        Assert.DoesNotContain("(Csm)", text);

        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "confirmPhase",
            new JsonObject { ["phaseId"] = phaseId.ToString(), ["reason"] = "Score recovering after the firewall change" }, "demo-card", conversationId: "a:1demo-personal"));
        Assert.Equal(200, status);
        Assert.Contains("Pre-Kickoff confirmed complete by Alex Wilber", body!["value"].CardText());
    }

    [Fact]
    public async Task In_the_demo_the_manager_who_never_wrote_to_the_bot_gets_the_milestone_message_in_a_1_1_chat()
    {
        await using var app = new EngagementsApplication();
        app.Settings["Onboarding:Schedule:PhaseEnds"] = OnboardingApplication.Never;
        app.Settings["Onboarding:Schedule:Triggers"] = OnboardingApplication.Never;
        app.Settings["Onboarding:Schedule:WeeklyStatus"] = OnboardingApplication.Never;
        app.Settings["Outbox:BackgroundDelivery"] = "false";
        await app.InitializeAsync();
        // The bot is in the Playground's team, whose roster holds Megan Bowen; she has no engineer profile and no 1:1 yet.
        await app.PostActivityAsync(TestActivities.TeamInstall(app.ServiceUrl));
        app.Connector.AddMembers(TestActivities.GeneralChannelId,
            [.. PlaygroundConfigFile.Users().Select(u => new ChannelAccount { Id = u.TeamsId, Name = u.Name, AadObjectId = u.AadObjectId })]);
        var phaseId = await app.QueryAsync(db => db.PlanPhases
            .Where(p => p.Plan.Project.Engagement.Customer.Name == "Contoso" && p.Plan.Project.Kind == "onboarding-90-day" && p.Order == 0)
            .Select(p => p.Id).SingleAsync());

        var (status, _) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "confirmPhase",
            new JsonObject { ["phaseId"] = phaseId.ToString(), ["reason"] = "Score recovering after the firewall change" }, "demo-card", conversationId: "a:1demo-personal"));
        Assert.Equal(200, status);
        await app.DeliverOutboxAsync();

        var toMegan = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Kind == OutboxKind.SendPersonal && m.RecipientAadObjectId == DemoDataLoader.Megan.AadObjectId));
        Assert.True(toMegan.State == OutboxState.Sent, toMegan.LastError);
        Assert.Contains("Milestone: Pre-Kickoff complete", toMegan.PayloadJson);
        Assert.Single(app.Connector.Requests, r => r.Route == "CreateConversation" && (string?)r.Body?["members"]?[0]?["id"] == "29:1megan-bowen-manager");
    }
}
