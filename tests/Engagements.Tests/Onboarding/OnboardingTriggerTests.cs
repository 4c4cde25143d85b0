using Engagements.Alerts;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Health;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Onboarding;

// Each rule on its own customer: quiet while the condition does not hold, one alert and one post when it does, and a
// re-fire (count, no second row, no second post) while the alert stays open.
public class OnboardingTriggerTests : IAsyncLifetime
{
    private const string HealthChannel = "19:alerts-health@thread.tacv2";
    private const string EscalationsChannel = "19:escalations@thread.tacv2";
    private OnboardingApplication app = new();

    public async Task InitializeAsync()
    {
        await app.InitializeAsync();
        await app.ExecuteAsync(async db =>
        {
            db.ChannelBindings.AddRange(
                new ChannelBinding { Purpose = ChannelPurpose.AlertsHealth, ConversationId = HealthChannel, BoundAt = app.Clock.GetUtcNow() },
                new ChannelBinding { Purpose = ChannelPurpose.Escalations, ConversationId = EscalationsChannel, BoundAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Engagement_score_below_70_fires_once_and_re_fires_without_a_second_alert()
    {
        var (customerId, plan) = await InFoundationAsync("Score Co");
        await AddSnapshotAsync(customerId, 72);
        await AssertQuietAsync(customerId, TriggerRules.EngagementScoreBelow);

        await AddSnapshotAsync(customerId, 65, daysFromToday: 1);
        await AssertFiresOnceAsync(customerId, TriggerRules.EngagementScoreBelow, "Engagement score below 70", HealthChannel);
    }

    [Fact]
    public async Task A_blocker_fires_only_after_it_has_been_open_for_more_than_3_days()
    {
        var (customerId, plan) = await InFoundationAsync("Blocked Co");
        var now = app.Clock.GetUtcNow();
        var deliverableId = await AddDeliverableAsync(plan, "API connections established", d => d.Block("Firewall change pending", now.AddDays(-2)));
        await AssertQuietAsync(customerId, TriggerRules.BlockerOpenDays);

        app.Clock.Advance(TimeSpan.FromDays(2));
        await AssertFiresOnceAsync(customerId, TriggerRules.BlockerOpenDays, "Technical blocker open for more than 3 days", HealthChannel);
        Assert.NotEqual(Guid.Empty, deliverableId);
    }

    [Fact]
    public async Task A_milestone_overdue_by_more_than_a_week_escalates_to_the_escalations_channel()
    {
        var (customerId, plan) = await InFoundationAsync("Late Co", dayOfPlan: 3);
        // Kickoff Meeting is due on day 3; marking the other early items done keeps them out of the way.
        await app.ExecuteAsync(async db =>
        {
            foreach (var item in await db.ChecklistItems.Where(i => i.Phase.PlanId == plan.Id && i.Title != "Kickoff Meeting").ToListAsync())
            {
                item.DoneAt = app.Clock.GetUtcNow();
            }
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromDays(7));
        await AssertQuietAsync(customerId, TriggerRules.MilestoneMissedDays);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var alert = await AssertFiresOnceAsync(customerId, TriggerRules.MilestoneMissedDays, "Milestone missed by more than 7 days", EscalationsChannel);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains("Kickoff Meeting", alert.Reason);
        var post = Assert.Single(await app.OutboxAsync(m => m.RelatedEntityId == alert.Id.ToString() && m.Kind == OutboxKind.SendToConversation));
        Assert.Contains("Escalation for Late Co", OnboardingApplication.CardText(post));
    }

    [Fact]
    public async Task Meeting_attendance_below_80_percent_fires()
    {
        var (customerId, _) = await InFoundationAsync("Absent Co");
        await AddSignalAsync(customerId, SignalKind.MeetingAttendance, 85, hoursAgo: 5);
        await AssertQuietAsync(customerId, TriggerRules.AttendanceBelow);

        await AddSignalAsync(customerId, SignalKind.MeetingAttendance, 65, hoursAgo: 1);
        await AssertFiresOnceAsync(customerId, TriggerRules.AttendanceBelow, "Meeting or training attendance below 80%", HealthChannel);
    }

    [Fact]
    public async Task Usage_below_expectation_fires_in_the_launch_phase_only()
    {
        var (customerId, plan) = await InFoundationAsync("Quiet Users Co", seats: 10);
        await AddUsageAsync(customerId, users: 2);
        // Low usage during Foundation is expected: the rule is a Launch trigger.
        await AssertQuietAsync(customerId, TriggerRules.UsageBelowExpectation);

        await app.ExecuteAsync(async db =>
        {
            foreach (var phase in await db.PlanPhases.Where(p => p.PlanId == plan.Id).ToListAsync())
            {
                phase.Status = phase.Name == "Launch" ? PhaseStatus.Active : PhaseStatus.Completed;
            }
            await db.SaveChangesAsync();
        });
        await AddUsageAsync(customerId, users: 6, prefix: "enough");
        await AssertQuietAsync(customerId, TriggerRules.UsageBelowExpectation);

        app.Clock.Advance(TimeSpan.FromDays(8));
        await AddUsageAsync(customerId, users: 3, prefix: "later");
        await AssertFiresOnceAsync(customerId, TriggerRules.UsageBelowExpectation, "Usage below expectation", HealthChannel);
    }

    [Fact]
    public async Task A_support_ticket_spike_fires_in_the_launch_phase()
    {
        var (customerId, plan) = await InFoundationAsync("Tickets Co");
        await app.ExecuteAsync(async db =>
        {
            foreach (var phase in await db.PlanPhases.Where(p => p.PlanId == plan.Id).ToListAsync())
            {
                phase.Status = phase.Name == "Launch" ? PhaseStatus.Active : PhaseStatus.Completed;
            }
            await db.SaveChangesAsync();
        });
        await AddSignalAsync(customerId, SignalKind.SupportTickets, 4, hoursAgo: 72);
        await AddSignalAsync(customerId, SignalKind.SupportTickets, 6, hoursAgo: 48);
        await AssertQuietAsync(customerId, TriggerRules.SupportTicketSpike);

        await AddSignalAsync(customerId, SignalKind.SupportTickets, 15, hoursAgo: 1);
        await AssertFiresOnceAsync(customerId, TriggerRules.SupportTicketSpike, "Support ticket volume spike", HealthChannel);
    }

    [Fact]
    public async Task A_key_stakeholder_change_fires_and_an_old_one_does_not()
    {
        var (customerId, _) = await InFoundationAsync("Turnover Co");
        await AddSignalAsync(customerId, SignalKind.StakeholderChange, null, hoursAgo: 24 * 20);
        await AssertQuietAsync(customerId, TriggerRules.StakeholderChange);

        await AddSignalAsync(customerId, SignalKind.StakeholderChange, null, hoursAgo: 3, detail: "Executive sponsor left");
        var alert = await AssertFiresOnceAsync(customerId, TriggerRules.StakeholderChange, "Key stakeholder change", HealthChannel);
        Assert.Contains("Executive sponsor left", alert.Reason);
    }

    [Fact]
    public async Task A_competitor_evaluation_fires()
    {
        var (customerId, _) = await InFoundationAsync("Shopping Around Co");
        await AssertQuietAsync(customerId, TriggerRules.CompetitorEvaluation);

        await AddSignalAsync(customerId, SignalKind.CompetitorEvaluation, null, hoursAgo: 2, detail: "Trial of a competing product");
        await AssertFiresOnceAsync(customerId, TriggerRules.CompetitorEvaluation, "Competitor evaluation activity", HealthChannel);
    }

    [Fact]
    public async Task A_resolved_alert_does_not_stop_the_rule_from_raising_a_new_one()
    {
        var (customerId, _) = await InFoundationAsync("Again Co");
        await AddSignalAsync(customerId, SignalKind.CompetitorEvaluation, null, hoursAgo: 2);
        await EvaluateAsync();
        await app.ExecuteAsync(async db =>
        {
            var alert = await db.Alerts.SingleAsync(a => a.CustomerId == customerId);
            alert.State = AlertState.Resolved;
            alert.ResolvedAt = app.Clock.GetUtcNow();
            await db.SaveChangesAsync();
        });

        await EvaluateAsync();

        Assert.Equal(2, await app.QueryAsync(db => db.Alerts.CountAsync(a => a.CustomerId == customerId)));
    }

    [Fact]
    public async Task Thresholds_and_switched_off_rules_come_from_Onboarding_Triggers_configuration()
    {
        // Settings apply when the host is built, so this test swaps in an app built with them.
        var configured = new OnboardingApplication();
        configured.Settings["Onboarding:Triggers:EngagementScoreBelow"] = "60";
        configured.Settings["Onboarding:Triggers:Disabled:0"] = TriggerRules.CompetitorEvaluation;
        await app.DisposeAsync();
        app = configured;
        await InitializeAsync();
        var (customerId, _) = await InFoundationAsync("Configured Co");
        await AddSnapshotAsync(customerId, 65);
        await AddSignalAsync(customerId, SignalKind.CompetitorEvaluation, null, hoursAgo: 1);

        Assert.DoesNotContain(await EvaluateAsync(), f => f.CustomerId == customerId);

        await AddSnapshotAsync(customerId, 55, daysFromToday: 1);
        var firing = Assert.Single(await EvaluateAsync(), f => f.CustomerId == customerId);
        Assert.Equal(TriggerRules.EngagementScoreBelow, firing.Rule);
        Assert.Contains("Engagement score below 60", await app.QueryAsync(db => db.Alerts.Where(a => a.CustomerId == customerId).Select(a => a.Reason).SingleAsync()));
    }

    private async Task<(Guid CustomerId, OnboardingPlan Plan)> InFoundationAsync(string name, int dayOfPlan = 5, int seats = 100)
    {
        var (customerId, _, plan) = await app.NewPlanAsync(name, TestActivities.Alex.AadObjectId, seats: seats);
        // Pre-Kickoff confirmed and its items done, so only the rule under test can hold.
        await app.ExecuteAsync(async db =>
        {
            foreach (var phase in await db.PlanPhases.Include(p => p.Items).Where(p => p.PlanId == plan.Id).ToListAsync())
            {
                phase.Status = phase.Order == 0 ? PhaseStatus.Completed : phase.Order == 1 ? PhaseStatus.Active : PhaseStatus.Upcoming;
            }
            var stored = await db.OnboardingPlans.SingleAsync(p => p.Id == plan.Id);
            stored.KickoffDate = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(1 - dayOfPlan);
            foreach (var item in await db.ChecklistItems.Where(i => i.Phase.PlanId == plan.Id && i.Phase.Order == 0).ToListAsync())
            {
                item.DoneAt = app.Clock.GetUtcNow();
            }
            await db.SaveChangesAsync();
        });
        return (customerId, plan);
    }

    private async Task AssertQuietAsync(Guid customerId, string rule)
    {
        var firings = await EvaluateAsync();
        Assert.DoesNotContain(firings, f => f.CustomerId == customerId && f.Rule == rule);
        var key = Alert.DedupeKeyFor(customerId, AlertKind.EarlyWarning, TriggerRules.TitleOf(rule, new TriggerOptions()));
        Assert.False(await app.QueryAsync(db => db.Alerts.AnyAsync(a => a.DedupeKey == key)));
    }

    private async Task<Alert> AssertFiresOnceAsync(Guid customerId, string rule, string title, string channel)
    {
        var first = await EvaluateAsync();
        Assert.Equal([TriggerAlertOutcome.Raised], first.Where(f => f.CustomerId == customerId && f.Rule == rule).Select(f => f.Outcome));

        var second = await EvaluateAsync();
        Assert.Equal([TriggerAlertOutcome.Refired], second.Where(f => f.CustomerId == customerId && f.Rule == rule).Select(f => f.Outcome));

        var key = Alert.DedupeKeyFor(customerId, AlertKind.EarlyWarning, title);
        var alert = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.DedupeKey == key));
        Assert.Equal(Alert.DedupeKeyFor(customerId, AlertKind.EarlyWarning, title), alert.DedupeKey);
        Assert.Equal(AlertState.Open, alert.State);
        Assert.Equal(2, alert.Count);
        var messages = await app.OutboxAsync(m => m.RelatedEntityType == nameof(Alert) && m.RelatedEntityId == alert.Id.ToString());
        // One post; the re-fire updates that card in place instead of posting again.
        var post = Assert.Single(messages, m => m.Kind == OutboxKind.SendToConversation);
        Assert.All(messages.Where(m => m != post), m => Assert.Equal(OutboxKind.UpdateActivity, m.Kind));
        Assert.Equal(channel, post.ConversationId);
        Assert.Contains(title, OnboardingApplication.CardText(post));
        return alert;
    }

    private Task<IReadOnlyList<TriggerFiring>> EvaluateAsync() =>
        app.WithServiceAsync<OnboardingTriggers, IReadOnlyList<TriggerFiring>>(t => t.EvaluateAsync(default));

    private Task AddSnapshotAsync(Guid customerId, int score, int daysFromToday = 0) => app.ExecuteAsync(async db =>
    {
        db.HealthSnapshots.Add(new HealthSnapshot
        {
            CustomerId = customerId, Day = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(daysFromToday), Score = score,
            Band = HealthBand.Yellow, ComputedAt = app.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    });

    private Task AddSignalAsync(Guid customerId, SignalKind kind, double? value, int hoursAgo, string? detail = null) => app.ExecuteAsync(async db =>
    {
        var at = app.Clock.GetUtcNow().AddHours(-hoursAgo);
        db.Signals.Add(new Signal { CustomerId = customerId, Kind = kind, Value = value, Detail = detail, At = at, ReceivedAt = at });
        await db.SaveChangesAsync();
    });

    private Task AddUsageAsync(Guid customerId, int users, string prefix = "u") => app.ExecuteAsync(async db =>
    {
        var now = app.Clock.GetUtcNow();
        for (var i = 0; i < users; i++)
        {
            db.UsageEvents.Add(new UsageEvent
            {
                EventId = $"{customerId:N}-{prefix}-{i}", CustomerId = customerId, UserId = $"{prefix}{i}@example.com", Feature = "Reports",
                OccurredAt = now.AddHours(-1), ReceivedAt = now,
            });
        }
        await db.SaveChangesAsync();
    });

    private Task<Guid> AddDeliverableAsync(OnboardingPlan plan, string title, Action<Deliverable> change) => app.QueryAsync(async db =>
    {
        var deliverable = new Deliverable { ProjectId = plan.ProjectId, Title = title, Status = DeliverableStatus.InProgress, UpdatedAt = app.Clock.GetUtcNow() };
        change(deliverable);
        db.Deliverables.Add(deliverable);
        await db.SaveChangesAsync();
        return deliverable.Id;
    });
}
