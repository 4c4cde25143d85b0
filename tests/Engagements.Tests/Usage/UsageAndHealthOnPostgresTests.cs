using System.Net;
using System.Text.Json.Nodes;
using Engagements.Alerts;
using Engagements.Health;
using Engagements.Playbooks;
using Engagements.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Usage;

/// <summary>The same app on PostgreSQL: the bulk insert, the GROUP BY aggregates and the playbook queries are provider-specific SQL.</summary>
public sealed class PostgresUsageApplication : UsageApplication
{
    protected override bool OnPostgres => true;
}

public class UsageAndHealthOnPostgresTests(PostgresUsageApplication app) : IClassFixture<PostgresUsageApplication>
{
    [Fact]
    public async Task Ingestion_health_alerts_and_playbooks_work_on_PostgreSQL()
    {
        var at = app.Clock.GetUtcNow().AddHours(-1);
        var events = Enumerable.Range(0, 2_000)
            .Select(i => new { customerCrmId = "DEMO-CONTOSO", userId = $"user{i % 50}", feature = i % 2 == 0 ? "Pg Feature" : "Dashboards", occurredAt = at.AddSeconds(-i) })
            .ToArray();

        var first = await app.PostUsageAsync("/api/usage/events", new { events });
        var again = JsonNode.Parse(await (await app.PostUsageAsync("/api/usage/events", new { events })).Content.ReadAsStringAsync())!;
        var seats = await app.PostUsageAsync("/api/usage/seats", new { customerCrmId = "DEMO-CONTOSO", activeSeats = 100, at });
        int scored, runs;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scored = await scope.ServiceProvider.GetRequiredService<HealthService>().ComputeAllAsync(CancellationToken.None);
            runs = await scope.ServiceProvider.GetRequiredService<PlaybookRunner>().RunDueAsync(CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, seats.StatusCode);
        Assert.Equal(2_000, await app.QueryAsync(db => db.UsageEvents.CountAsync(e => e.Customer.Name == "Contoso" && e.OccurredAt <= at && e.EventId.StartsWith("h:"))));
        Assert.Single(await app.QueryAsync(db => db.Alerts.Where(a => a.Reason == "First use of Pg Feature").ToListAsync()));
        Assert.True(await app.QueryAsync(db => db.Alerts.AnyAsync(a => a.Kind == AlertKind.LowUtilization && a.Customer.Name == "Contoso")));
        Assert.True(scored > 0);
        Assert.True(runs > 0);
        var contoso = await app.QueryAsync(db => db.HealthSnapshots.Where(s => s.Customer.Name == "Contoso").OrderByDescending(s => s.Day).FirstAsync());
        Assert.Contains(contoso.Components, c => c.Name == HealthComponents.ActiveUsers && c.Detail!.StartsWith("55 active users"));
    }
}
