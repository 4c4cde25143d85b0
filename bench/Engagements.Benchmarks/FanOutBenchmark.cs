using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Engagements.BotFramework.Schema;
using Engagements.Conversations;
using Engagements.Outbox;
using Engagements.Testing;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Benchmarks;

/// <summary>
/// 5,000 alerts to 200 channels of one tenant, written straight into the outbox, drained by the app's own outbox sender
/// against a FakeConnector that enforces Teams' limits (429 + Retry-After past 7/1 s, 8/2 s, 60/30 s per conversation
/// and 50/s per tenant). Rate = deliveries from the first to the last, as the fake connector saw them.
/// </summary>
public static partial class FanOutBenchmark
{
    private const string Name = "fan-out";
    private const string TenantId = "8a1d4c7e-5b2f-4e3a-9c6d-00000000fa00";

    public static async Task RunAsync(BenchSettings settings, ResultTable table, CancellationToken cancellationToken)
    {
        if (!Seams.OutboxOnePass.IsAvailable)
        {
            table.NotAvailable(Name, "sustained msg/s", Seams.OutboxOnePass.Missing + " (the outbox sender is on branch feat/outbox)");
            return;
        }

        await using var connector = await FakeConnector.StartAsync();
        connector.EnforceTeamsLimits = true;
        var path = Path.Combine(settings.WorkDirectory, "fanout.db");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        var database = BenchDatabase.Sqlite(path);
        await BenchData.MigrateAsync(database, cancellationToken);
        await SeedAsync(database, connector.ServiceUrl, settings.FanOutAlerts, settings.FanOutChannels, cancellationToken);
        Console.WriteLine($"[fan-out] {settings.FanOutAlerts:N0} alerts to {settings.FanOutChannels} channels queued; starting the app's outbox sender...");

        List<string> arguments = [settings.BenchAssembly, "host-bot", "--drain-outbox"];
        foreach (var (key, value) in database.HostSettings().Concat(HealthBenchmark.QuietHost()).Concat(
            [new("Outbox:BackgroundDelivery", "true"), new("Bot:AllowedServiceUrlHosts:0", "127.0.0.1")]))
        {
            arguments.Add("--set");
            arguments.Add(key + "=" + value);
        }

        var expected = settings.FanOutAlerts;
        var deadline = TimeSpan.FromSeconds(expected / 40.0 + 120);
        await using (var child = await ChildProcess.StartAsync("dotnet", arguments))
        {
            var started = TimeProvider.System.GetTimestamp();
            var lastProgress = started;
            var delivered = 0;
            while (TimeProvider.System.GetElapsedTime(started) < deadline)
            {
                await Task.Delay(500, cancellationToken);
                var now = Delivered(connector).Count;
                if (now != delivered)
                {
                    delivered = now;
                    lastProgress = TimeProvider.System.GetTimestamp();
                }

                if (delivered >= expected || TimeProvider.System.GetElapsedTime(lastProgress) > TimeSpan.FromSeconds(30) || child.HasExited)
                {
                    break;
                }
            }

            Console.WriteLine($"[fan-out]   {delivered:N0} of {expected:N0} delivered; child says: {child.Tail(5).Replace('\n', ' ')}");
        }

        var requests = connector.Requests;
        var successes = Delivered(connector);
        var violations = requests.Count(r => r.ResponseStatus == 429);
        var distinct = successes.Select(r => AlertNumber(r)).Where(n => n >= 0).Distinct().Count();
        int notSent;
        await using (var db = database.Open())
        {
            notSent = await db.OutboxMessages.CountAsync(m => m.State != OutboxState.Sent, cancellationToken);
        }

        if (successes.Count >= 2)
        {
            var span = successes[^1].Timestamp - successes[0].Timestamp;
            var rate = (successes.Count - 1) / span.TotalSeconds;
            table.Check(Name, "sustained msg/s (first to last delivery)", rate, "0.0", 47, atLeast: true, "",
                $"{successes.Count:N0} in {span.TotalSeconds:0.0} s; Company Communicator reported 13-19 msg/s");
        }
        else
        {
            table.Add(new ResultRow(Name, "sustained msg/s (first to last delivery)", "-", ">= 47", Verdict.Fail, "fewer than two deliveries"));
        }

        table.Check(Name, "limit violations (429 answered)", violations, "0", 0, atLeast: false);
        table.Check(Name, "lost (alerts never delivered)", expected - distinct, "0", 0, atLeast: false, "", $"outbox rows not Sent: {notSent}");
        table.Info(Name, "duplicates", (successes.Count - distinct).ToString(CultureInfo.InvariantCulture));
    }

    private static List<ConnectorRequest> Delivered(FakeConnector connector) =>
        [.. connector.Requests.Where(r => r.Method == "POST" && r.ResponseStatus is >= 200 and < 300).OrderBy(r => r.Timestamp)];

    private static int AlertNumber(ConnectorRequest request) =>
        AlertMarker().Match(request.Body?.ToJsonString() ?? "") is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    private static async Task SeedAsync(BenchDatabase database, string serviceUrl, int alerts, int channels, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = database.Open();
        var loader = new BulkLoader(db);
        var conversations = Enumerable.Range(0, channels).Select(c => new StoredConversation
        {
            ConversationId = ChannelId(c), ServiceUrl = serviceUrl, TenantId = TenantId, ConversationType = "channel",
            TeamId = "19:bench-team@thread.tacv2", TeamsChannelId = ChannelId(c), BotId = "28:" + TurnBenchmark.AppId, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        await loader.InsertAsync(conversations, cancellationToken);

        var messages = Enumerable.Range(0, alerts).Select(n =>
        {
            var activity = new Activity
            {
                Type = ActivityTypes.Message,
                Summary = $"bench-alert-{n}",
                Attachments =
                [
                    Attachment.AdaptiveCard(new JsonObject
                    {
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.5",
                        ["body"] = new JsonArray(
                            new JsonObject { ["type"] = "TextBlock", ["text"] = $"Low seat utilization (bench-alert-{n})", ["weight"] = "Bolder" },
                            new JsonObject { ["type"] = "TextBlock", ["text"] = "Seat utilization 38% (below 50%)", ["wrap"] = true }),
                    }),
                ],
            };
            return new OutboxMessage
            {
                Kind = OutboxKind.SendToConversation, IdempotencyKey = $"bench-alert-{n}", ConversationId = ChannelId(n % channels), ServiceUrl = serviceUrl,
                TenantId = TenantId, PayloadJson = JsonSerializer.Serialize(activity, BotJson.Options), State = OutboxState.Pending,
                CreatedAt = now, NextAttemptAt = now,
            };
        }).ToList();
        await loader.InsertAsync(messages, cancellationToken);
    }

    private static string ChannelId(int n) => $"19:bench-channel-{n:D3}@thread.tacv2";

    [GeneratedRegex("bench-alert-([0-9]+)")]
    private static partial Regex AlertMarker();
}
