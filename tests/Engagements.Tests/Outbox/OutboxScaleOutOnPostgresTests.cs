using System.Diagnostics;
using System.Globalization;
using Engagements.Bot;
using Engagements.Conversations;
using Engagements.Outbox;
using Engagements.Testing;
using Engagements.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Engagements.Tests.Outbox;

// Two real bot processes on one PostgreSQL database and one fake Connector that injects 429s and 503s; one process
// is SIGKILLed mid-run. Everything is asserted on what the fake Connector received.
[Collection(TimingSensitiveCollection.Name)]
public sealed class OutboxScaleOutOnPostgresTests(PostgresTestDatabase database, ITestOutputHelper output) : IClassFixture<PostgresTestDatabase>
{
    private const int Conversations = 50;
    private const int PerConversation = 40;
    private const int Tenants = 5;
    private const int Messages = Conversations * PerConversation;

    [Fact]
    public async Task Two_instances_deliver_every_message_once_in_order_within_Teams_limits_while_one_is_killed()
    {
        await using var connector = await FakeConnector.StartAsync();
        connector.EnforceTeamsLimits = true;
        var faults = new Random(20261123);
        var faultLock = new Lock();
        // About 3 % of posts answer 429 (Retry-After 1 s), 2 % answer 503 without keeping the message, and 2 % keep it
        // and answer 503 anyway, as Teams may behind a failing gateway. Only reading the chat back tells those apart.
        connector.OnRequest = request =>
        {
            if (request.Method != "POST")
            {
                return null;
            }

            lock (faultLock)
            {
                var roll = faults.NextDouble();
                return roll < 0.03 ? new FakeResponse(429, TimeSpan.FromSeconds(1), """{"error":{"code":"TooManyRequests","message":"slow down"}}""")
                    : roll < 0.05 ? new FakeResponse(503)
                    : roll < 0.07 ? new FakeResponse(503, Landed: true)
                    : null;
            }
        };
        await SeedConversationsAsync(connector.ServiceUrl);

        using var doomed = BotProcess.Start(Settings(connector.GraphBaseUrl));
        using var survivor = BotProcess.Start(Settings(connector.GraphBaseUrl));
        await Task.WhenAll(doomed.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)), survivor.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)));

        var clock = Stopwatch.StartNew();
        await WriteMessagesAsync();
        await WaitAsync(() => Task.FromResult(Delivered(connector).Count >= Messages / 4), TimeSpan.FromSeconds(60), "a quarter delivered", survivor);
        doomed.Kill();
        var deliveredAtKill = Delivered(connector).Count;
        await WaitAsync(async () => await PendingAsync() == 0, TimeSpan.FromSeconds(90), "all delivered", survivor);
        var duration = clock.Elapsed;
        survivor.Kill();

        await using var db = database.CreateDb();
        var rows = await db.OutboxMessages.AsNoTracking().ToListAsync();
        var delivered = Delivered(connector);
        var requests = connector.Requests;
        var duplicates = delivered.GroupBy(r => Text(r)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var ambiguous = rows.Where(m => m.LastError?.StartsWith("ambiguous", StringComparison.Ordinal) == true).ToList();
        var settled = rows.Count(m => m.LastError?.StartsWith("read back", StringComparison.Ordinal) == true);
        var landedBehind503 = requests.Count(r => r.Landed && r.ResponseStatus == 503);
        var takenOver = rows.Where(m => m.LastError?.Contains("the lease expired while held by", StringComparison.Ordinal) == true).ToList();
        output.WriteLine(
            $"{Messages} messages in {duration.TotalSeconds:F1} s; {deliveredAtKill} delivered when one instance was killed; " +
            $"{requests.Count(r => r.ResponseStatus == 429)} answered 429, {requests.Count(r => r.ResponseStatus == 503)} answered 503 ({landedBehind503} of them landed); " +
            $"{requests.Count(r => r.Route.StartsWith("Graph", StringComparison.Ordinal))} Graph reads; {settled} row(s) settled by read-back; " +
            $"{takenOver.Count} taken over from the killed instance, {takenOver.Count(m => m.LastError!.Contains("had landed", StringComparison.Ordinal))} of them already in Teams; " +
            $"{duplicates.Count} duplicate(s); {ambiguous.Count} row(s) still flagged ambiguous; " +
            $"owners: {string.Join(", ", rows.GroupBy(m => m.LeaseOwner).Select(g => $"{g.Key}={g.Count()}"))}");

        Assert.All(rows, m => Assert.Equal(OutboxState.Sent, m.State));
        // Exactly once: posts that landed behind a 503, and the one in flight when the instance was killed, were found by
        // reading the chat back and recorded with the id Teams gave them instead of being posted again.
        Assert.Empty(duplicates);
        Assert.Equal(Messages, delivered.Count);
        Assert.Empty(ambiguous);
        Assert.True(landedBehind503 > 0 && settled >= landedBehind503, $"{settled} settled by read-back, {landedBehind503} landed behind a 503");
        Assert.NotEmpty(takenOver);
        var recorded = rows.ToDictionary(m => Text(m.PayloadJson), m => m.ResultActivityId);
        Assert.All(delivered, r => Assert.Equal(r.PostedActivityId, recorded[Text(r)]));

        foreach (var conversation in delivered.GroupBy(r => r.ConversationId))
        {
            Assert.Equal(Enumerable.Range(0, PerConversation), conversation.Select(r => Index(Text(r))));
        }

        Assert.True(rows.Select(m => m.LeaseOwner).Distinct().Count() >= 2, "both instances delivered");
        var owners = rows.ToDictionary(m => Text(m.PayloadJson), m => $"{m.LeaseOwner?[^8..]} {m.LastError?[..Math.Min(30, m.LastError.Length)]}");
        AssertWithinTeamsLimits(requests.Where(r => r.Method == "POST").ToList(), owners);
    }

    // Teams' limits (notes §6.1) over every POST the fake received, faults included: per conversation 7/1 s, 8/2 s,
    // 60/30 s; per tenant 50/1 s. Each instance paces its own sends at half the tenant budget (Bot:TenantRequestsPerSecond).
    private static void AssertWithinTeamsLimits(List<ConnectorRequest> posts, Dictionary<string, string> owners)
    {
        foreach (var conversation in posts.GroupBy(r => r.ConversationId))
        {
            var ordered = conversation.OrderBy(r => r.Timestamp).ToList();
            var times = ordered.Select(r => r.Timestamp).ToList();
            var detail = string.Join("; ", ordered.Select(r => $"{(r.Timestamp - times[0]).TotalMilliseconds:F0}ms {Text(r)} {r.ResponseStatus} {owners.GetValueOrDefault(Text(r))}"));
            AssertWindow(times, 7, TimeSpan.FromSeconds(1), conversation.Key + " " + detail);
            AssertWindow(times, 8, TimeSpan.FromSeconds(2), conversation.Key + " " + detail);
            AssertWindow(times, 60, TimeSpan.FromSeconds(30), conversation.Key);
        }

        foreach (var tenant in posts.GroupBy(r => r.Body?["conversation"]?["tenantId"]?.GetValue<string>()))
        {
            Assert.NotNull(tenant.Key);
            AssertWindow([.. tenant.Select(r => r.Timestamp).Order()], 50, TimeSpan.FromSeconds(1), tenant.Key);
        }
    }

    private static void AssertWindow(List<DateTimeOffset> times, int limit, TimeSpan window, string? key)
    {
        for (var i = 0; i + limit < times.Count; i++)
        {
            Assert.True(times[i + limit] - times[i] >= window, $"{key}: {limit + 1} requests within {(times[i + limit] - times[i]).TotalMilliseconds:F0} ms (limit {limit} per {window.TotalSeconds} s)");
        }
    }

    private Dictionary<string, string> Settings(string graphBaseUrl) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = database.ConnectionString,
        ["Demo:Enabled"] = "false",
        ["Bot:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        ["Bot:RetryBaseDelay"] = "00:00:00.200",
        // Two instances share each tenant's 50 requests per second.
        ["Bot:TenantRequestsPerSecond"] = "25",
        // A killed instance's conversations are taken over after LeaseDuration: shorter than the 60 s default so the test
        // stays short, long enough that a live instance on a busy 2-core machine keeps renewing its leases.
        ["Outbox:LeaseDuration"] = "00:00:10",
        ["Outbox:HandoffDelay"] = "00:00:03",
        ["Outbox:PollInterval"] = "00:00:00.100",
        // A 503 hands the post back to the outbox, which reads the chat back after this long before posting again.
        ["Outbox:RetryBaseDelay"] = "00:00:01",
        ["Outbox:ReadBack:GraphBaseUrl"] = graphBaseUrl,
        ["Outbox:MaxConcurrentConversations"] = "32",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private async Task SeedConversationsAsync(string serviceUrl)
    {
        await using var db = database.CreateDb();
        for (var c = 0; c < Conversations; c++)
        {
            db.Conversations.Add(new StoredConversation
            {
                ConversationId = ConversationId(c),
                ServiceUrl = serviceUrl,
                TenantId = $"tenant-{c % Tenants}",
                ConversationType = "groupChat",
                BotId = "28:engagements-bot",
                CreatedAt = TimeProvider.System.GetUtcNow(),
                UpdatedAt = TimeProvider.System.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync();
    }

    // One transaction, interleaved across conversations, as many features writing at once would.
    private async Task WriteMessagesAsync()
    {
        await using var db = database.CreateDb();
        var writer = new OutboxWriter(db, TimeProvider.System);
        for (var i = 0; i < PerConversation; i++)
        {
            for (var c = 0; c < Conversations; c++)
            {
                writer.SendToConversation(ConversationId(c), Engagements.Bot.Messages.Text($"c{c:00}-{i:00}"), $"scale:{c}:{i}");
            }
        }

        await db.SaveChangesAsync();
    }

    private async Task<int> PendingAsync()
    {
        await using var db = database.CreateDb();
        return await db.OutboxMessages.CountAsync(m => m.State == OutboxState.Pending);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, BotProcess process)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < timeout, $"timed out waiting for {what}:{Environment.NewLine}{process.Tail}");
            await Task.Delay(100);
        }
    }

    // What Teams holds: every post the fake kept, whatever it answered.
    private static List<ConnectorRequest> Delivered(FakeConnector connector) =>
        [.. connector.Requests.Where(r => r.Route == "SendToConversation" && r.Landed)];

    private static string ConversationId(int c) => $"19:scale-{c:00}@thread.v2";

    private static string Text(ConnectorRequest request) => request.Body?["text"]?.GetValue<string>() ?? "";

    private static string Text(string payloadJson) =>
        System.Text.Json.Nodes.JsonNode.Parse(payloadJson)?["text"]?.GetValue<string>() ?? "";

    private static int Index(string text) => int.Parse(text[^2..], CultureInfo.InvariantCulture);
}
