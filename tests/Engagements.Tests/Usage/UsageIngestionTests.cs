using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Engagements.Alerts;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Engagements.Tests.Usage;

public class UsageIngestionTests(UsageApplication app, ITestOutputHelper output) : IClassFixture<UsageApplication>
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static object Event(string crmId, string user, string feature, DateTimeOffset at, string? id = null) =>
        new { eventId = id, customerCrmId = crmId, userId = user, feature, occurredAt = at, productVersion = "2025.2" };

    [Fact]
    public async Task Requests_without_a_valid_api_key_are_refused_and_store_nothing()
    {
        var batch = new { events = new[] { Event("DEMO-CONTOSO", "u1@contoso.com", "Key check", Morning) } };

        var missing = await app.PostUsageAsync("/api/usage/events", batch, apiKey: null);
        var wrong = await app.PostUsageAsync("/api/usage/events", batch, apiKey: UsageApplication.ApiKey + "x");
        var signals = await app.PostUsageAsync("/api/signals", new { signals = Array.Empty<object>() }, apiKey: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signals.StatusCode);
        Assert.False(await app.QueryAsync(db => db.UsageEvents.AnyAsync(e => e.Feature == "Key check")));
    }

    [Fact]
    public async Task A_batch_with_one_bad_item_is_rejected_whole_naming_the_index_and_field()
    {
        var batch = new
        {
            events = new object[]
            {
                Event("DEMO-CONTOSO", "u1@contoso.com", "Validation A", Morning),
                Event("DEMO-CONTOSO", "u2@contoso.com", "Validation A", Morning),
                new { customerCrmId = "DEMO-CONTOSO", userId = "u3@contoso.com", occurredAt = Morning },
            },
        };

        var response = await app.PostUsageAsync("/api/usage/events", batch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]?["events[2].feature"]);
        Assert.Equal(2, problem["index"]!.GetValue<int>());
        Assert.False(await app.QueryAsync(db => db.UsageEvents.AnyAsync(e => e.Feature == "Validation A")));
    }

    [Fact]
    public async Task An_unknown_customer_is_named_by_index_and_nothing_is_written()
    {
        var batch = new[]
        {
            Event("DEMO-CONTOSO", "u1@contoso.com", "Validation B", Morning),
            Event("NO-SUCH-CUSTOMER", "u1@nowhere.com", "Validation B", Morning),
        };

        var response = await app.PostUsageAsync("/api/usage/events", batch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("events[1].customerCrmId", await response.Content.ReadAsStringAsync());
        Assert.False(await app.QueryAsync(db => db.UsageEvents.AnyAsync(e => e.Feature == "Validation B")));
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request()
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/usage/events") { Content = new StringContent("{\"events\": [", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", UsageApplication.ApiKey);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused()
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/usage/seats") { Content = new StringContent("[" + new string(' ', 1024 * 1024 + 10) + "]", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", UsageApplication.ApiKey);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Re_sent_events_are_not_counted_twice_with_or_without_sender_ids()
    {
        var batch = new
        {
            events = new[]
            {
                Event("DEMO-LITWARE", "a@litware.com", "Idempotency", Morning, id: "evt-1"),
                Event("DEMO-LITWARE", "b@litware.com", "Idempotency", Morning.AddMinutes(1)),
                Event("DEMO-LITWARE", "c@litware.com", "Idempotency", Morning.AddMinutes(2)),
            },
        };

        var first = JsonNode.Parse(await (await app.PostUsageAsync("/api/usage/events", batch)).Content.ReadAsStringAsync())!;
        var again = await app.PostUsageAsync("/api/usage/events", batch);
        var second = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3, first["accepted"]!.GetValue<int>());
        Assert.Equal(0, second["accepted"]!.GetValue<int>());
        Assert.Equal(3, second["duplicates"]!.GetValue<int>());
        Assert.Equal(3, await app.QueryAsync(db => db.UsageEvents.CountAsync(e => e.Feature == "Idempotency")));
    }

    [Fact]
    public async Task Ten_thousand_events_are_accepted_in_one_request_quickly()
    {
        var events = Enumerable.Range(0, 10_000)
            .Select(i => Event("DEMO-TAILSPIN-TOYS", $"user{i % 400}@tailspintoys.com", $"Bulk {i % 7}", Morning.AddSeconds(-i)))
            .ToArray();
        var body = JsonContent(new { events });
        Assert.True(body.Length < 8 * 1024 * 1024, $"10k events take {body.Length} bytes, over the documented 8 MB cap");

        var stopwatch = Stopwatch.StartNew();
        var response = await app.PostUsageAsync("/api/usage/events", new { events });
        stopwatch.Stop();
        var resend = Stopwatch.StartNew();
        var again = await app.PostUsageAsync("/api/usage/events", new { events });
        resend.Stop();

        output.WriteLine($"10,000 events ({body.Length / 1024} KB): first post {stopwatch.ElapsedMilliseconds} ms, re-send {resend.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(10_000, await app.QueryAsync(db => db.UsageEvents.CountAsync(e => e.Feature.StartsWith("Bulk "))));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task First_use_of_a_feature_alerts_the_usage_channel_once_per_customer_and_feature()
    {
        var before = (await app.OutboxAsync(UsageApplication.UsageChannel)).Count;

        await app.PostUsageAsync("/api/usage/events", new[] { Event("DEMO-CONTOSO", "u1@contoso.com", "Sandbox Mode", Morning) });
        await app.PostUsageAsync("/api/usage/events", new[] { Event("DEMO-CONTOSO", "u2@contoso.com", "Sandbox Mode", Morning.AddMinutes(5)) });
        await app.PostUsageAsync("/api/usage/events", new[] { Event("DEMO-FABRIKAM", "u1@fabrikam.com", "Sandbox Mode", Morning) });

        var alerts = await app.QueryAsync(db => db.Alerts.Include(a => a.Customer).Where(a => a.Reason == "First use of Sandbox Mode").ToListAsync());
        Assert.Equal(["Contoso", "Fabrikam"], alerts.Select(a => a.Customer.Name).Order());
        Assert.All(alerts, a => Assert.Equal(1, a.Count));
        var posts = (await app.OutboxAsync(UsageApplication.UsageChannel)).Skip(before).ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal(OutboxKind.SendToConversation, p.Kind));
        var contoso = alerts.Single(a => a.Customer.Name == "Contoso");
        var contosoPost = Assert.Single(posts, p => p.IdempotencyKey == AlertService.PostKey(contoso.Id));
        Assert.Contains("First use of Sandbox Mode", UsageApplication.CardText(contosoPost));
        Assert.Contains("acknowledgeAlert", UsageApplication.CardText(contosoPost));
        Assert.Contains("snoozeAlert", UsageApplication.CardText(contosoPost));
    }

    [Fact]
    public async Task Seat_utilization_below_the_low_threshold_alerts_and_a_refire_updates_the_same_card()
    {
        // Northwind Traders: 400 seats.
        await app.PostUsageAsync("/api/usage/seats", new { customerCrmId = "DEMO-NORTHWIND-TRADERS", activeSeats = 120, at = Morning });
        await app.PostUsageAsync("/api/usage/seats", new[] { new { customerCrmId = "DEMO-NORTHWIND-TRADERS", activeSeats = 150, at = Morning.AddHours(0.5) } });

        var alert = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Kind == AlertKind.LowUtilization && a.Customer.Name == "Northwind Traders"));
        Assert.Equal(2, alert.Count);
        Assert.Equal(AlertState.Open, alert.State);
        Assert.StartsWith("Seat utilization 38% (below 50%)", alert.Reason);
        var rows = await app.QueryAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.IdempotencyKey == AlertService.PostKey(alert.Id) || m.UpdatesIdempotencyKey == AlertService.PostKey(alert.Id))
            .OrderBy(m => m.Sequence).ToListAsync());
        Assert.Equal([OutboxKind.SendToConversation, OutboxKind.UpdateActivity], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(UsageApplication.UsageChannel, r.ConversationId));
        Assert.Contains("2 time(s)", UsageApplication.CardText(rows[1]));
        Assert.Contains("38%", UsageApplication.CardText(rows[1]));
    }

    [Fact]
    public async Task Seat_utilization_above_the_expansion_threshold_alerts_and_resolves_the_low_alert()
    {
        // Adventure Works: 150 seats.
        await app.PostUsageAsync("/api/usage/seats", new { customerCrmId = "DEMO-ADVENTURE-WORKS", activeSeats = 30, at = Morning });
        await app.PostUsageAsync("/api/usage/seats", new { customerCrmId = "DEMO-ADVENTURE-WORKS", activeSeats = 100, at = Morning.AddHours(0.2) });
        var inRange = await app.QueryAsync(db => db.Alerts.Where(a => a.Customer.Name == "Adventure Works" && (a.Kind == AlertKind.LowUtilization || a.Kind == AlertKind.ExpansionOpportunity)).ToListAsync());
        await app.PostUsageAsync("/api/usage/seats", new { customerCrmId = "DEMO-ADVENTURE-WORKS", activeSeats = 140, at = Morning.AddHours(0.4) });

        Assert.Equal(AlertState.Resolved, Assert.Single(inRange).State);
        var expansion = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Customer.Name == "Adventure Works" && a.Kind == AlertKind.ExpansionOpportunity));
        Assert.Equal(AlertState.Open, expansion.State);
        Assert.StartsWith("Seat utilization 93% (above 90%)", expansion.Reason);
    }

    [Fact]
    public async Task Signals_are_validated_and_a_stakeholder_change_raises_an_early_warning_in_the_health_channel()
    {
        var bad = await app.PostUsageAsync("/api/signals", new { signals = new object[]
        {
            new { customerCrmId = "DEMO-LITWARE", kind = "meeting-attendance", value = 80, at = Morning },
            new { customerCrmId = "DEMO-LITWARE", kind = "meeting-attendance", value = 180, at = Morning },
        } });
        var good = await app.PostUsageAsync("/api/signals", new { signals = new object[]
        {
            new { signalId = "sig-litware-1", customerCrmId = "DEMO-LITWARE", kind = "stakeholder-change", detail = "New CIO", at = Morning },
            new { signalId = "sig-litware-2", customerCrmId = "DEMO-LITWARE", kind = "support-tickets", value = 3, at = Morning },
        } });
        var resent = await app.PostUsageAsync("/api/signals", new { signals = new object[]
        {
            new { signalId = "sig-litware-2", customerCrmId = "DEMO-LITWARE", kind = "support-tickets", value = 3, at = Morning },
        } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("signals[1].value", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal(2, await app.QueryAsync(db => db.Signals.CountAsync(s => s.Customer.Name == "Litware")));
        var warning = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Customer.Name == "Litware" && a.Kind == AlertKind.EarlyWarning));
        Assert.Equal("Key stakeholder change: New CIO", warning.Reason);
        Assert.Contains(await app.OutboxAsync(UsageApplication.HealthChannel), m => m.IdempotencyKey == AlertService.PostKey(warning.Id));
    }

    private static byte[] JsonContent(object value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, System.Text.Json.JsonSerializerOptions.Web);
}
