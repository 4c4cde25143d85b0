using System.Text.Json.Nodes;
using Engagements.Alerts;
using Engagements.Conversations;
using Engagements.Outbox;
using Engagements.Tests.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Alerts;

public class AlertHygieneTests(UsageApplication app) : IClassFixture<UsageApplication>
{
    private async Task<Alert> RaiseAsync(string customerName, string reason, AlertKind kind = AlertKind.EarlyWarning)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Engagements.Data.EngagementsDb>();
        var customer = await db.Customers.SingleAsync(c => c.Name == customerName);
        var alert = await scope.ServiceProvider.GetRequiredService<AlertService>()
            .RaiseAsync(kind, customer.Id, reason, AlertSeverity.Warning, ChannelPurpose.AlertsHealth, CancellationToken.None);
        await db.SaveChangesAsync();
        return alert;
    }

    private Task<List<OutboxMessage>> RowsForAsync(Guid alertId) => app.QueryAsync(db => db.OutboxMessages.AsNoTracking()
        .Where(m => m.IdempotencyKey == AlertService.PostKey(alertId) || m.UpdatesIdempotencyKey == AlertService.PostKey(alertId))
        .OrderBy(m => m.Sequence).ToListAsync());

    private Task<(int Status, JsonObject? Body)> ClickAsync(string verb, Guid alertId, TestUser? user = null, bool fromList = false)
    {
        var data = new JsonObject { ["alertId"] = alertId.ToString() };
        if (fromList)
        {
            data["view"] = "list";
        }

        return app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, verb, data, "1:alert-card", user, UsageApplication.HealthChannel));
    }

    [Fact]
    public void The_test_host_runs_no_quartz_triggers_so_jobs_run_only_when_a_test_calls_them() =>
        Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Namespace!.StartsWith("Quartz", StringComparison.Ordinal));

    [Fact]
    public async Task A_refiring_alert_posts_once_and_then_updates_the_same_card()
    {
        var first = await RaiseAsync("Contoso", "Competitor pilot spotted");
        var second = await RaiseAsync("Contoso", "Competitor pilot spotted");
        var third = await RaiseAsync("Contoso", "  COMPETITOR pilot spotted ");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, third.Id);
        var alert = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == first.Id));
        Assert.Equal(3, alert.Count);
        var rows = await RowsForAsync(first.Id);
        Assert.Equal([OutboxKind.SendToConversation, OutboxKind.UpdateActivity, OutboxKind.UpdateActivity], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(UsageApplication.HealthChannel, r.ConversationId));
        Assert.Contains("3 time(s)", UsageApplication.CardText(rows[^1]));
    }

    [Fact]
    public async Task A_refiring_alert_reaches_Teams_as_one_new_post_and_then_updates_of_that_post()
    {
        await app.ExecuteAsync(async db =>
        {
            if (!await db.Conversations.AnyAsync(c => c.ConversationId == UsageApplication.HealthChannel))
            {
                db.Conversations.Add(new StoredConversation
                {
                    ConversationId = UsageApplication.HealthChannel, ServiceUrl = app.ServiceUrl, TenantId = TestActivities.TenantId,
                    ConversationType = "channel", TeamsChannelId = UsageApplication.HealthChannel, TeamId = TestActivities.GeneralChannelId,
                    BotId = TestActivities.BotId, CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
                });
                await db.SaveChangesAsync();
            }
        });

        var alert = await RaiseAsync("Wide World Importers", "Sponsor left; no replacement named");
        await RaiseAsync("Wide World Importers", "Sponsor left; no replacement named");
        await RaiseAsync("Wide World Importers", "Sponsor left; no replacement named");
        for (var pass = 0; pass < 50 && (await RowsForAsync(alert.Id)).Any(r => r.State == OutboxState.Pending); pass++)
        {
            await app.DeliverOutboxAsync();
        }

        var post = Assert.Single(app.Connector.Requests, r => r.Route == "CreateConversation"
            && r.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>() == UsageApplication.HealthChannel
            && Engagements.Tests.Playground.PlaygroundFrames.CardText(r.Body?["activity"]?["attachments"]?[0]?["content"]).Contains("Sponsor left", StringComparison.Ordinal));
        var rows = await RowsForAsync(alert.Id);
        var thread = rows[0].ResultConversationId!;
        var updates = app.Connector.Requests.Where(r => r.Method == "PUT" && r.ConversationId == thread).ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Equal(rows[0].ResultActivityId, u.ActivityId));
        Assert.True(updates.All(u => u.Timestamp >= post.Timestamp));
        Assert.DoesNotContain(app.Connector.Requests, r => r.Route == "SendToConversation" && r.ConversationId == thread);
    }

    [Fact]
    public async Task Acknowledge_updates_the_card_in_place_and_is_recorded()
    {
        var alert = await RaiseAsync("Fabrikam", "Executive sponsor silent for 3 weeks");

        var (status, body) = await ClickAsync(AlertActions.AcknowledgeVerb, alert.Id);
        var again = await ClickAsync(AlertActions.AcknowledgeVerb, alert.Id);

        Assert.Equal(200, status);
        Assert.Equal(AdaptiveCardInvokeResponseType.Card, body!["type"]!.GetValue<string>());
        Assert.Contains("Acknowledged by Alex Wilber", body["value"]!.ToJsonString());
        Assert.DoesNotContain("acknowledgeAlert", body["value"]!.ToJsonString());
        Assert.Equal(200, again.Status);
        var stored = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id));
        Assert.Equal(AlertState.Acknowledged, stored.State);
        Assert.Equal(TestActivities.Alex.AadObjectId, stored.AcknowledgedByAadObjectId);
        var rows = await RowsForAsync(alert.Id);
        Assert.Equal([OutboxKind.SendToConversation, OutboxKind.UpdateActivity], rows.Select(r => r.Kind));
        Assert.Contains("Acknowledged by Alex Wilber", UsageApplication.CardText(rows[1]));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(e => e.EntityId == alert.Id.ToString() && e.Action == "alert.acknowledged")));
    }

    [Fact]
    public async Task Someone_without_an_alert_role_is_refused_and_nothing_changes()
    {
        var alert = await RaiseAsync("Northwind Traders", "Champion changed teams");

        var (status, body) = await ClickAsync(AlertActions.AcknowledgeVerb, alert.Id, TestActivities.Guest);
        var snooze = await ClickAsync(AlertActions.SnoozeVerb, alert.Id, TestActivities.Guest);

        Assert.Equal(200, status);
        Assert.Contains("Nothing was changed", body!["value"]!.ToJsonString());
        Assert.Contains("Nothing was changed", snooze.Body!["value"]!.ToJsonString());
        Assert.Equal(AlertState.Open, (await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id))).State);
        Assert.Single(await RowsForAsync(alert.Id));
    }

    [Fact]
    public async Task A_snoozed_alert_stays_quiet_until_the_snooze_ends()
    {
        var alert = await RaiseAsync("Litware", "Renewal budget frozen");
        var (status, body) = await ClickAsync(AlertActions.SnoozeVerb, alert.Id);
        Assert.Equal(200, status);
        Assert.Contains($"Snoozed until {AlertService.Format(app.Clock.GetUtcNow().AddDays(7))}", body!["value"]!.ToJsonString());
        var afterSnooze = (await RowsForAsync(alert.Id)).Count;

        app.Clock.Advance(TimeSpan.FromDays(3));
        await RaiseAsync("Litware", "Renewal budget frozen");
        var quiet = await RowsForAsync(alert.Id);
        var duringSnooze = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id));

        app.Clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromMinutes(1));
        await RaiseAsync("Litware", "Renewal budget frozen");
        var awake = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id));
        var rows = await RowsForAsync(alert.Id);

        Assert.Equal(afterSnooze, quiet.Count);
        Assert.Equal(AlertState.Snoozed, duringSnooze.State);
        Assert.Equal(2, duringSnooze.Count);
        Assert.Equal(AlertState.Open, awake.State);
        Assert.Equal(3, awake.Count);
        Assert.Equal(afterSnooze + 1, rows.Count);
        Assert.Equal(OutboxKind.UpdateActivity, rows[^1].Kind);
        Assert.Contains("3 time(s)", UsageApplication.CardText(rows[^1]));
    }

    [Fact]
    public async Task The_wake_job_reopens_alerts_whose_snooze_ended()
    {
        var alert = await RaiseAsync("Adventure Works", "Admin left the company");
        await ClickAsync(AlertActions.SnoozeVerb, alert.Id);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertService>().WakeSnoozedAsync(CancellationToken.None);
        }

        var stillSnoozed = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertService>().WakeSnoozedAsync(CancellationToken.None);
        }

        Assert.Equal(AlertState.Snoozed, stillSnoozed.State);
        Assert.Equal(AlertState.Open, (await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Id == alert.Id))).State);
        Assert.Contains("acknowledgeAlert", UsageApplication.CardText((await RowsForAsync(alert.Id))[^1]));
    }

    [Fact]
    public async Task Alerts_command_lists_unresolved_alerts_with_their_actions()
    {
        await RaiseAsync("Tailspin Toys", "Usage of reports halved");
        var conversationId = "a:1alerts-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "alerts", conversationId: conversationId));

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        var card = reply.Body!["attachments"]![0]!["content"]!.ToJsonString();
        Assert.Contains("Open alerts", card);
        Assert.Contains("Usage of reports halved", card);
        Assert.Contains("snoozeAlert", card);
    }

    private static class AdaptiveCardInvokeResponseType
    {
        public const string Card = "application/vnd.microsoft.card.adaptive";
    }
}

public class AlertDigestTests : IAsyncLifetime
{
    private readonly UsageApplication app = new();

    public async Task InitializeAsync()
    {
        app.Settings["Alerts:Digest"] = "daily";
        await app.InitializeAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task With_the_daily_digest_alerts_are_not_posted_singly_but_once_a_day_together()
    {
        await app.PostUsageAsync("/api/usage/events", new[]
        {
            new { customerCrmId = "DEMO-CONTOSO", userId = "u1", feature = "Digest Feature", occurredAt = app.Clock.GetUtcNow() },
            new { customerCrmId = "DEMO-FABRIKAM", userId = "u1", feature = "Digest Feature", occurredAt = app.Clock.GetUtcNow() },
        });
        var single = await app.OutboxAsync(UsageApplication.UsageChannel);

        int posted, again;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            posted = await scope.ServiceProvider.GetRequiredService<AlertService>().PostDigestAsync(CancellationToken.None);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            again = await scope.ServiceProvider.GetRequiredService<AlertService>().PostDigestAsync(CancellationToken.None);
        }

        Assert.Empty(single);
        Assert.True(posted >= 1);
        Assert.Equal(0, again);
        var digest = Assert.Single(await app.OutboxAsync(UsageApplication.UsageChannel));
        Assert.Equal(OutboxKind.SendToConversation, digest.Kind);
        Assert.Contains("Alert digest", UsageApplication.CardText(digest));
        Assert.Contains("First use of Digest Feature", UsageApplication.CardText(digest));
    }
}
