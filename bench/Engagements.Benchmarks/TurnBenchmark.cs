using System.Globalization;
using System.Text;
using Engagements.Testing;

namespace Engagements.Benchmarks;

/// <summary>
/// `status &lt;customer&gt;` turns against our bot (Release, auth ON, SQLite, demo data at 10k customers), the same load
/// against the Bot Framework JS SDK echo bot and a bare ASP.NET Core endpoint, all replying to one loopback FakeConnector.
/// </summary>
public static class TurnBenchmark
{
    public const string AppId = "00000000-0000-0000-0000-0000000be7c0";
    private const string Name = "turn";
    private const string AlexAadObjectId = "00000000-0000-0000-0000-0000000000020";

    // Users talk to the bot from many chats in many tenants: Teams' per-conversation (7/s) and per-tenant (50/s)
    // limits are physical limits of one chat and one tenant, not of the bot, so the load is spread wide enough that
    // the bot's own pacing (still in the path) does not decide the result (2,000 chats × 7/s, 400 tenants × 50/s: at
    // least 14,000 turns/s). The fan-out benchmark measures the limits. Chats that already talked to the bot, as in a
    // working day: the warm-up reaches nearly all of them, so the measured turns are not each a chat's first message
    // (which stores the conversation reference, a write).
    private const int Conversations = 2_000;
    private const int Tenants = 400;

    public static async Task RunAsync(BenchSettings settings, ResultTable table, CancellationToken cancellationToken)
    {
        await using var identity = await LoopbackIdentityProvider.StartAsync();
        await using var connector = await FakeConnector.StartAsync();
        var token = "Bearer " + identity.MintToken(TokenSpec.ForChannel(AppId, connector.ServiceUrl, TimeProvider.System.GetUtcNow()));
        var customers = Enumerable.Range(1, settings.TurnCustomers - 9).Select(n => "Customer " + n.ToString("D5", CultureInfo.InvariantCulture)).ToArray();
        var bodies = new ActivityBodies(connector.ServiceUrl, customers);

        var results = new Dictionary<(string Server, int Connections), (LoadResult Load, long? PeakRss)>();

        var statusAvailable = true;

        // 1. Our bot.
        var database = Path.Combine(settings.WorkDirectory, "turn.db");
        DeleteDatabase(database);
        Console.WriteLine($"[turn] starting our bot (Release, auth on, SQLite, demo data {settings.TurnCustomers:N0} customers)...");
        await using (var bot = await ChildProcess.StartAsync("dotnet", BotArguments(settings, identity, database), timeout: TimeSpan.FromMinutes(5)))
        {
            var probe = await ProbeAsync(bot, bodies, token, connector, cancellationToken);
            if (probe.Note.Length > 0)
            {
                table.Info(Name, "status reply check", probe.Ok ? "card reply" : "no reply", probe.Note);
            }

            await MeasureAsync("engagements status", bot, bodies.Ours, token);
            if (!probe.Ok || probe.Note.Contains(Seams.StatusNotImplementedMarker, StringComparison.Ordinal))
            {
                statusAvailable = false;
                table.NotAvailable(Name, "status turn vs targets", "status command not on this build: the placeholder reply was measured; its figures are shown, not judged");
            }
        }

        // 2. The Bot Framework JS SDK echo bot.
        var baselineDirectory = Path.Combine(settings.RepositoryRoot, "bench", "baseline");
        if (File.Exists(Path.Combine(baselineDirectory, "node_modules", "botbuilder", "package.json")))
        {
            Console.WriteLine("[turn] starting the botbuilder (JS SDK) echo bot...");
            await using var baseline = await ChildProcess.StartAsync("node", ["index.js"], new Dictionary<string, string> { ["PORT"] = "0", ["NODE_ENV"] = "production" }, baselineDirectory);
            await MeasureAsync("botbuilder echo", baseline, bodies.Plain, null);
        }
        else
        {
            table.NotAvailable(Name, "botbuilder echo", "bench/baseline not installed (run `npm ci` there; bench/run.sh does)");
        }

        // 3. The bare ASP.NET Core endpoint.
        Console.WriteLine("[turn] starting the bare ASP.NET Core endpoint...");
        await using (var bare = await ChildProcess.StartAsync("dotnet", [settings.BenchAssembly, "host-bare"]))
        {
            await MeasureAsync("bare endpoint", bare, bodies.Plain, null);
        }

        foreach (var ((server, connections), (load, rss)) in results)
        {
            var metric = $"{server} @{connections}";
            table.Info(Name, metric + " rps", load.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture));
            table.Info(Name, metric + " p50 / p99", $"{load.P50Ms:0.0} / {load.P99Ms:0.0} ms");
            table.Info(Name, metric + " non-2xx / errors", $"{load.NonSuccess} / {load.Errors}", $"{load.Requests:N0} requests in {load.Duration.TotalSeconds:0.0} s");
            table.Info(Name, metric + " peak RSS", ProcessMemory.Megabytes(rss));
        }

        foreach (var connections in settings.Connections)
        {
            if (!results.TryGetValue(("engagements status", connections), out var ours))
            {
                continue;
            }

            if (results.TryGetValue(("botbuilder echo", connections), out var sdk))
            {
                Judge($"status rps / botbuilder echo rps @{connections}", ours.Load.RequestsPerSecond / sdk.Load.RequestsPerSecond, "0.00", 5, atLeast: true, "x");
            }

            if (results.TryGetValue(("bare endpoint", connections), out var bare))
            {
                Judge($"status rps / bare endpoint rps @{connections}", ours.Load.RequestsPerSecond / bare.Load.RequestsPerSecond, "0.00", 0.5, atLeast: true, "x");
            }

            if (connections == 16)
            {
                Judge("status p99 @16", ours.Load.P99Ms, "0.0", 10, atLeast: false, " ms");
            }

            Judge($"status non-2xx + errors @{connections}", ours.Load.NonSuccess + ours.Load.Errors, "0", 0, atLeast: false);
        }

        void Judge(string metric, double value, string format, double target, bool atLeast, string unit = "")
        {
            if (statusAvailable)
            {
                table.Check(Name, metric, value, format, target, atLeast, unit);
            }
            else
            {
                table.Add(new ResultRow(Name, metric, value.ToString(format, CultureInfo.InvariantCulture) + unit,
                    (atLeast ? ">= " : "<= ") + target.ToString(format, CultureInfo.InvariantCulture) + unit, Verdict.NotAvailable, "not judged: status not on this build"));
            }
        }

        async Task MeasureAsync(string server, ChildProcess child, Func<long, byte[]> body, string? authorization)
        {
            foreach (var connections in settings.Connections)
            {
                connector.RecordRequests = false;
                var before = connector.ReceivedCount;
                ProcessMemory.ResetPeak(child.Id);
                Console.WriteLine($"[turn] {server}: {connections} connections, {settings.TurnWarmUp.TotalSeconds:0} s warm-up + {settings.TurnDuration.TotalSeconds:0} s...");
                var load = await LoadDriver.RunAsync(new Uri(child.Url + "/api/messages"), connections, settings.TurnWarmUp, settings.TurnDuration, body, authorization, cancellationToken);
                results[(server, connections)] = (load, ProcessMemory.PeakRssBytes(child.Id));
                Console.WriteLine($"[turn]   {load.RequestsPerSecond:0} rps, p50 {load.P50Ms:0.0} ms, p99 {load.P99Ms:0.0} ms, non-2xx {load.NonSuccess}, errors {load.Errors}, replies seen {connector.ReceivedCount - before}");
                if (child.HasExited)
                {
                    throw new InvalidOperationException($"{server} exited during the run:\n{child.Tail()}");
                }
            }
        }
    }

    private static string[] BotArguments(BenchSettings settings, LoopbackIdentityProvider identity, string database) =>
    [
        settings.BenchAssembly, "host-bot",
        "--set", "Bot:AppId=" + AppId,
        "--set", "Bot:AppPassword=not-a-real-secret",
        "--set", "Bot:TenantId=00000000-0000-0000-0000-0000000be7c1",
        "--set", "Bot:OpenIdMetadataUrl=" + identity.MetadataUrl,
        "--set", "Bot:RequireHttpsMetadata=false",
        "--set", "Bot:TokenIssuer=" + identity.Issuer,
        "--set", "Bot:AllowedServiceUrlHosts:0=127.0.0.1",
        "--set", "Database:ConnectionString=Data Source=" + database,
        "--set", "Links:SigningKey=bench-signing-key-not-a-secret-0123456789",
        "--set", "Demo:Enabled=true",
        "--set", "Demo:Customers=" + settings.TurnCustomers.ToString(CultureInfo.InvariantCulture),
        // Console logging per request would measure the console; warnings and errors still show.
        "--set", "Logging:LogLevel:Default=Warning",
    ];

    /// <summary>One turn before the load: proves auth, routing and the reply path work, and tells what the reply was.</summary>
    private static async Task<(bool Ok, string Note)> ProbeAsync(ChildProcess bot, ActivityBodies bodies, string token, FakeConnector connector, CancellationToken cancellationToken)
    {
        var url = bot.Url;
        connector.RecordRequests = true;
        using var client = new HttpClient();
        using var content = new ByteArrayContent(bodies.Ours(0));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/messages") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", token);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The probe turn was refused: HTTP {(int)response.StatusCode}. Check the bot's auth settings. The bot's output:\n{bot.Tail()}");
        }

        try
        {
            var reply = await connector.WaitForAsync(r => r.Method == "POST", TimeSpan.FromSeconds(10));
            var text = reply.Body?.ToJsonString() ?? "";
            return text.Contains(Seams.StatusNotImplementedMarker, StringComparison.Ordinal)
                ? (true, "reply says `status` " + Seams.StatusNotImplementedMarker)
                : (true, "");
        }
        catch (TimeoutException)
        {
            return (false, "no reply reached the fake connector within 10 s");
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Message activities as Teams sends them; a fresh activity id each (the bot drops redeliveries).</summary>
    private sealed class ActivityBodies(string serviceUrl, string[] customers)
    {
        private readonly string _serviceUrl = serviceUrl;
        private readonly string[] _customers = customers;

        public byte[] Ours(long sequence) => Build(sequence, "status " + _customers[(int)(Mix(sequence) % (ulong)_customers.Length)]);

        public byte[] Plain(long sequence) => Ours(sequence);

        private byte[] Build(long sequence, string text)
        {
            var mixed = Mix(sequence);
            var conversation = (mixed >> 20) % Conversations;
            var tenant = conversation % Tenants;
            var json = new StringBuilder(1024)
                .Append("{\"type\":\"message\",\"id\":\"1:bench-").Append(sequence).Append("\",")
                .Append("\"timestamp\":\"2026-11-23T09:00:00.000Z\",\"channelId\":\"msteams\",\"serviceUrl\":\"").Append(_serviceUrl).Append("\",")
                .Append("\"from\":{\"id\":\"29:1alex-wilber-delivery-lead\",\"name\":\"Alex Wilber\",\"aadObjectId\":\"").Append(AlexAadObjectId).Append("\"},")
                .Append("\"conversation\":{\"conversationType\":\"personal\",\"tenantId\":\"").Append(TenantId(tenant)).Append("\",\"id\":\"a:bench-chat-").Append(conversation).Append("\"},")
                .Append("\"recipient\":{\"id\":\"28:").Append(AppId).Append("\",\"name\":\"Engagements\"},")
                .Append("\"textFormat\":\"plain\",\"locale\":\"en-US\",\"text\":\"").Append(text).Append("\",")
                .Append("\"entities\":[{\"type\":\"clientInfo\",\"locale\":\"en-US\",\"country\":\"US\",\"platform\":\"Web\",\"timezone\":\"UTC\"}],")
                .Append("\"channelData\":{\"tenant\":{\"id\":\"").Append(TenantId(tenant)).Append("\"}}}");
            return Encoding.UTF8.GetBytes(json.ToString());
        }

        private static string TenantId(ulong n) => "8a1d4c7e-5b2f-4e3a-9c6d-" + n.ToString("x12", CultureInfo.InvariantCulture);

        // SplitMix64: a cheap, well-spread pseudo-random pick from the sequence number, the same in every run.
        private static ulong Mix(long sequence)
        {
            var z = (ulong)sequence + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
