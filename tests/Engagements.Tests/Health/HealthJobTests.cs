using Engagements.Alerts;
using Engagements.Customers;
using Engagements.Health;
using Engagements.Tests.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Health;

public class HealthJobTests(UsageApplication app) : IClassFixture<UsageApplication>
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private async Task<int> ComputeAllAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HealthService>().ComputeAllAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_job_keeps_one_snapshot_per_customer_and_day_even_when_run_twice()
    {
        await ComputeAllAsync();
        var scored = await ComputeAllAsync();

        var notChurned = await app.QueryAsync(db => db.Customers.CountAsync(c => c.Lifecycle != LifecycleStage.Churned));
        Assert.Equal(notChurned, scored);
        var todays = await app.QueryAsync(db => db.HealthSnapshots.Where(s => s.Day == Today && s.Customer.Lifecycle != LifecycleStage.Churned).Select(s => s.CustomerId).ToListAsync());
        Assert.Equal(notChurned, todays.Count);
        Assert.Equal(todays.Count, todays.Distinct().Count());
    }

    [Fact]
    public async Task A_snapshot_explains_its_own_score_and_its_components_come_from_the_data()
    {
        await ComputeAllAsync();

        var contoso = await app.QueryAsync(db => db.HealthSnapshots.Include(s => s.Customer).SingleAsync(s => s.Customer.Name == "Contoso" && s.Day == Today));
        Assert.Equal((int)Math.Round(HealthCalculator.WeightedScore(contoso.Components), MidpointRounding.AwayFromZero), contoso.Score);
        Assert.Equal(new HealthOptions().BandOf(contoso.Score), contoso.Band);
        var seats = contoso.Components.Single(c => c.Name == HealthComponents.SeatUtilization);
        Assert.True(seats.Weight > 0);
        Assert.Contains("of 1200 seats active", seats.Detail);
    }

    [Fact]
    public async Task A_drop_to_a_lower_band_raises_a_health_alert_in_the_health_channel()
    {
        // Yesterday Wide World Importers was green; today's data can't score that high (38% of seats in use).
        await app.ExecuteAsync(async db =>
        {
            var yesterday = await db.HealthSnapshots.SingleAsync(s => s.Customer.Name == "Wide World Importers" && s.Day == Today.AddDays(-1));
            yesterday.Score = 90;
            yesterday.Band = HealthBand.Green;
            await db.HealthSnapshots.Where(s => s.Customer.Name == "Wide World Importers" && s.Day == Today).ExecuteDeleteAsync();
            await db.SaveChangesAsync();
        });

        await ComputeAllAsync();

        var today = await app.QueryAsync(db => db.HealthSnapshots.SingleAsync(s => s.Customer.Name == "Wide World Importers" && s.Day == Today));
        Assert.NotEqual(HealthBand.Green, today.Band);
        var alert = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Customer.Name == "Wide World Importers" && a.Kind == AlertKind.HealthBandDrop));
        Assert.StartsWith("Health dropped from green to", alert.Reason);
        Assert.Contains(await app.OutboxAsync(UsageApplication.HealthChannel), m => m.IdempotencyKey == AlertService.PostKey(alert.Id));
    }

    [Fact]
    public async Task The_trend_covers_eight_weeks_with_the_latest_score_of_each_week()
    {
        var customer = await app.CustomerAsync("Litware");
        await app.ExecuteAsync(async db =>
        {
            foreach (var weeksAgo in new[] { 3, 5 })
            {
                var day = Today.AddDays(-7 * weeksAgo);
                if (!await db.HealthSnapshots.AnyAsync(s => s.CustomerId == customer.Id && s.Day == day))
                {
                    db.HealthSnapshots.Add(new HealthSnapshot { CustomerId = customer.Id, Day = day, Score = 40 + weeksAgo, Band = HealthBand.Red, ComputedAt = app.Clock.GetUtcNow() });
                }
            }

            await db.SaveChangesAsync();
        });
        await ComputeAllAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var trend = await scope.ServiceProvider.GetRequiredService<HealthService>().TrendAsync(customer.Id, Today, CancellationToken.None);

        Assert.Equal(8, trend.Count);
        Assert.Equal(Today, trend[^1].WeekEnding);
        Assert.Equal(Today.AddDays(-49), trend[0].WeekEnding);
        Assert.Equal(45, trend[^6].Score);
        Assert.Equal(43, trend[^4].Score);
        Assert.Null(trend[0].Score);
        var todays = await app.QueryAsync(db => db.HealthSnapshots.SingleAsync(s => s.CustomerId == customer.Id && s.Day == Today));
        Assert.Equal(todays.Score, trend[^1].Score);
    }

    [Fact]
    public async Task Health_command_explains_components_weights_drags_and_trend_for_a_partial_name()
    {
        var conversationId = "a:1health-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "health fabri", conversationId: conversationId));

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        var card = reply.Body!["attachments"]![0]!["content"]!.ToJsonString();
        Assert.Contains("Fabrikam", card);
        Assert.Contains("Biggest drags", card);
        Assert.Contains("Seat utilization", card);
        Assert.Contains("Last 8 weeks", card);
        Assert.Contains("pts", card);
    }

    [Fact]
    public async Task Health_command_for_an_ambiguous_or_unknown_name_says_so()
    {
        var conversationId = "a:1health-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "health nosuchcustomer", conversationId: conversationId));

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        Assert.Contains("No customer named \"nosuchcustomer\"", Engagements.Tests.Playground.PlaygroundFrames.CardText(reply.Body!["attachments"]![0]!["content"]));
    }
}
