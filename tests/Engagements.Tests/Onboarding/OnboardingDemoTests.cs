using System.Text.Json.Nodes;
using Engagements.Demo;
using Engagements.Onboarding;
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
        Assert.Contains("Production license created (Pre-sales engineer)", text);
        Assert.Contains("Internal handoff (CSM)", text);
        Assert.DoesNotContain("PresalesEngineer", text);
        Assert.DoesNotContain("(Csm)", text);

        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "confirmPhase",
            new JsonObject { ["phaseId"] = phaseId.ToString(), ["reason"] = "Score recovering after the firewall change" }, "demo-card", conversationId: "a:1demo-personal"));
        Assert.Equal(200, status);
        Assert.Contains("Pre-Kickoff confirmed complete by Alex Wilber", body!["value"].CardText());
    }
}
