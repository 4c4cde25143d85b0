using System.Text.Json.Nodes;
using Engagements.Customers;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Roles;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Onboarding;

// One engagement walked from kickoff to handoff under the fake clock, driving the daily job's service method and
// clicking the cards through real invoke activities.
public class OnboardingJourneyTests
{
    private static readonly TestUser Alex = TestActivities.Alex;

    [Fact]
    public async Task A_plan_walks_from_pre_kickoff_to_handoff_with_each_phase_card_on_its_last_day()
    {
        await using var app = new OnboardingApplication();
        await app.InitializeAsync();
        await app.GrantAsync(Alex, Role.Csm);
        var (customerId, engagementId, plan) = await app.NewPlanAsync("Journey Corp", Alex.AadObjectId);
        var start = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

        // Instantiated from the template; a second call (a redelivered approval) creates nothing.
        Assert.Equal(start.AddDays(7), plan.KickoffDate);
        Assert.Equal(["Pre-Kickoff", "Foundation", "Implementation", "Launch"], plan.Phases.OrderBy(p => p.Order).Select(p => p.Name));
        Assert.Equal(13, plan.Phases.Sum(p => p.Items.Count));
        Assert.Empty(await app.WithServiceAsync<OnboardingService, IReadOnlyList<OnboardingPlan>>(s => s.InstantiateForEngagementAsync(engagementId, default)));

        var phases = plan.Phases.OrderBy(p => p.Order).ToList();
        var kickoff = plan.KickoffDate;
        var expectedCardDays = new[] { 0, 30, 60, 90 };
        for (var index = 0; index < phases.Count; index++)
        {
            var phase = phases[index];
            var lastDay = kickoff.AddDays(expectedCardDays[index] - 1);

            // The day before the phase's last day: no card.
            app.MoveTo(lastDay.AddDays(-1));
            await SendDueCardsAsync(app);
            Assert.Empty(await app.OutboxAsync(m => m.IdempotencyKey == PhaseConfirmations.ConfirmCardKey(phase.Id)));

            // The last day: the card, once, to the CSM.
            app.MoveTo(lastDay);
            await SendDueCardsAsync(app);
            await SendDueCardsAsync(app);
            var card = Assert.Single(await app.OutboxAsync(m => m.IdempotencyKey == PhaseConfirmations.ConfirmCardKey(phase.Id)));
            Assert.Equal(OutboxKind.SendPersonal, card.Kind);
            Assert.Equal(Alex.AadObjectId, card.RecipientAadObjectId);
            Assert.Contains("CONFIRM PHASE COMPLETE", OnboardingApplication.CardText(card));
            Assert.Contains($"Journey Corp: {phase.Name}", OnboardingApplication.CardText(card));
            Assert.Equal(PhaseStatus.AwaitingConfirmation, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == phase.Id).Select(p => p.Status).SingleAsync()));

            var hasTargets = phase.Targets.Count > 0;
            if (hasTargets)
            {
                // No health data at all: every target is unmet, so confirming without a reason is refused.
                var refused = await ConfirmAsync(app, phase.Id, reason: null);
                Assert.Contains("Not confirmed", refused.CardText());
                Assert.Equal(PhaseStatus.AwaitingConfirmation, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == phase.Id).Select(p => p.Status).SingleAsync()));
            }

            if (index == phases.Count - 1)
            {
                // Day 90 also brings the handoff card, which cannot be confirmed while Launch is open.
                var handoff = Assert.Single(await app.OutboxAsync(m => m.IdempotencyKey == PhaseConfirmations.HandoffCardKey(plan.Id)));
                Assert.Contains("Handoff criteria", OnboardingApplication.CardText(handoff));
                var early = await InvokeAsync(app, "confirmHandoff", new JsonObject { ["planId"] = plan.Id.ToString() });
                Assert.Contains("Confirm the \"Launch\" phase first", early.CardText());
            }

            var confirmed = await ConfirmAsync(app, phase.Id, hasTargets ? "Agreed with the sponsor: no telemetry yet" : null);
            Assert.Contains($"{phase.Name} confirmed complete by Alex Wilber", confirmed.CardText());
            var stored = await app.QueryAsync(db => db.PlanPhases.SingleAsync(p => p.Id == phase.Id));
            Assert.Equal(PhaseStatus.Completed, stored.Status);
            Assert.Equal(hasTargets ? "Agreed with the sponsor: no telemetry yet" : null, stored.UnmetTargetsReason);
            if (index + 1 < phases.Count)
            {
                Assert.Equal(PhaseStatus.Active, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == phases[index + 1].Id).Select(p => p.Status).SingleAsync()));
            }
            var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "phase-confirmed" && a.EntityId == phase.Id.ToString()));
            Assert.Equal(hasTargets ? "Agreed with the sponsor: no telemetry yet" : null, audit.Reason);
            Assert.Single(await app.OutboxAsync(m => m.IdempotencyKey == $"onboarding:phase:{phase.Id:N}:celebrate:{Alex.AadObjectId}"));
            // The card is updated in place for everyone in the conversation.
            Assert.Single(await app.OutboxAsync(m => m.Kind == OutboxKind.UpdateActivity && m.TargetActivityId == $"card-{phase.Id:N}"));

            // Clicking again (a retry, or a second person) changes nothing.
            var again = await ConfirmAsync(app, phase.Id, "second click");
            Assert.Contains("confirmed complete", again.CardText());
            Assert.Single(await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "phase-confirmed" && a.EntityId == phase.Id.ToString()).ToListAsync()));
            Assert.Equal(stored.Version, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == phase.Id).Select(p => p.Version).SingleAsync()));
        }

        var handedOff = await InvokeAsync(app, "confirmHandoff", new JsonObject { ["planId"] = plan.Id.ToString() });
        Assert.Contains("Handed off", handedOff.CardText());
        Assert.Equal(LifecycleStage.Live, await app.QueryAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.Lifecycle).SingleAsync()));
        Assert.Equal(PlanState.HandedOff, await app.QueryAsync(db => db.OnboardingPlans.Where(p => p.Id == plan.Id).Select(p => p.State).SingleAsync()));
        Assert.Single(await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "customer-lifecycle-changed" && a.EntityId == customerId.ToString()).ToListAsync()));

        // Exactly four phase cards and one handoff card over the whole plan.
        var cards = await app.OutboxAsync(m => m.IdempotencyKey?.EndsWith(":confirm", StringComparison.Ordinal) == true || m.IdempotencyKey?.EndsWith(":handoff", StringComparison.Ordinal) == true);
        Assert.Equal(5, cards.Count);
    }

    [Fact]
    public async Task Only_the_CSM_or_a_manager_can_confirm_a_phase_and_a_refusal_changes_nothing()
    {
        await using var app = new OnboardingApplication();
        await app.InitializeAsync();
        var (_, _, plan) = await app.NewPlanAsync("Guarded Ltd", Alex.AadObjectId);
        var preKickoff = plan.Phases.Single(p => p.Order == 0);
        app.MoveTo(plan.KickoffDate.AddDays(-1));
        await SendDueCardsAsync(app);

        var refused = await ConfirmAsync(app, preKickoff.Id, null, TestActivities.Adele);

        Assert.Contains("Only Guarded Ltd's CSM or a Manager", refused.CardText());
        // Holding the CSM role is not enough: it must be this customer's CSM.
        await app.GrantAsync(TestActivities.Nestor, Role.Csm);
        Assert.Contains("Only Guarded Ltd's CSM or a Manager", (await ConfirmAsync(app, preKickoff.Id, null, TestActivities.Nestor)).CardText());
        Assert.Equal(PhaseStatus.AwaitingConfirmation, await app.QueryAsync(db => db.PlanPhases.Where(p => p.Id == preKickoff.Id).Select(p => p.Status).SingleAsync()));
        Assert.Empty(await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "phase-confirmed").ToListAsync()));

        await app.GrantAsync(TestActivities.Megan, Role.Manager);
        var confirmed = await ConfirmAsync(app, preKickoff.Id, null, TestActivities.Megan);
        Assert.Contains("confirmed complete by Megan Bowen", confirmed.CardText());
    }

    [Fact]
    public async Task A_target_met_by_the_data_needs_no_reason()
    {
        await using var app = new OnboardingApplication();
        await app.InitializeAsync();
        await app.GrantAsync(Alex, Role.Csm);
        var (customerId, _, plan) = await app.NewPlanAsync("Healthy Inc", Alex.AadObjectId, kind: Engagements.Delivery.ProjectKinds.ProfessionalServices);
        // Professional services: "Project execution" ends on day 60 with one target, technical progress 75%.
        var phases = plan.Phases.OrderBy(p => p.Order).ToList();
        app.MoveTo(plan.KickoffDate.AddDays(-1));
        await SendDueCardsAsync(app);
        await ConfirmAsync(app, phases[0].Id, null);
        await app.ExecuteAsync(async db =>
        {
            foreach (var item in await db.ChecklistItems.Where(i => i.Phase.PlanId == plan.Id && i.Phase.Order <= 1).ToListAsync())
            {
                item.DoneAt = app.Clock.GetUtcNow();
            }
            await db.SaveChangesAsync();
        });
        app.MoveTo(plan.KickoffDate.AddDays(59));
        await SendDueCardsAsync(app);

        var card = Assert.Single(await app.OutboxAsync(m => m.IdempotencyKey == PhaseConfirmations.ConfirmCardKey(phases[1].Id)));
        Assert.Contains("✅ Met", OnboardingApplication.CardText(card));
        var confirmed = await ConfirmAsync(app, phases[1].Id, null);
        Assert.Contains("confirmed complete", confirmed.CardText());
        Assert.Equal(LifecycleStage.Onboarding, await app.QueryAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.Lifecycle).SingleAsync()));
    }

    private static Task<PhaseCardsSent> SendDueCardsAsync(OnboardingApplication app) =>
        app.WithServiceAsync<PhaseConfirmations, PhaseCardsSent>(s => s.SendDueCardsAsync(default));

    private static Task<JsonObject> ConfirmAsync(OnboardingApplication app, Guid phaseId, string? reason, TestUser? user = null)
    {
        var data = new JsonObject { ["phaseId"] = phaseId.ToString() };
        if (reason is not null)
        {
            data["reason"] = reason;
        }
        return InvokeAsync(app, "confirmPhase", data, user, $"card-{phaseId:N}");
    }

    internal static async Task<JsonObject> InvokeAsync(OnboardingApplication app, string verb, JsonObject data, TestUser? user = null, string replyToId = "card-activity")
    {
        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, verb, data.DeepClone().AsObject(), replyToId, user, "a:1personal-" + (user ?? Alex).AadObjectId));
        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body!["type"]);
        return body["value"]!.AsObject();
    }
}
