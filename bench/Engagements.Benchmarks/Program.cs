using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Engagements.Bench.Bare;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Engagements.Benchmarks;

// Named, not top-level statements: a top-level Program would clash with the app's own Program (WebApplicationFactory<Program>).
public static class BenchProgram
{
    // Orchestrator by default; the other modes are the child processes it starts (one server under test each).
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "host-bot" => await HostBotAsync(args[1..]),
        "host-bare" => await HostBareAsync(),
        "sweep" => await SweepAsync(args[1..]),
        _ => await OrchestrateAsync(args),
    };

    private static async Task<int> OrchestrateAsync(string[] args)
    {
        var settings = BenchSettings.Parse(args);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var machine = MachineDescription(settings);
        Console.WriteLine(machine);
        var table = new ResultTable();
        (string Path, int Customers)? largestSqlite = null;

        async Task Step(string name, Func<Task> run)
        {
            if (!settings.Runs(name))
            {
                return;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            Console.WriteLine($"=== {name} ===");
            try
            {
                await run();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                Console.WriteLine(e);
                table.Add(new ResultRow(name, "benchmark run", "error", "-", Verdict.Fail, e.GetType().Name + ": " + e.Message.Split('\n')[0]));
            }

            Console.WriteLine($"=== {name} took {clock.Elapsed.TotalSeconds:0} s ===");
        }

        await Step("turn", () => TurnBenchmark.RunAsync(settings, table, cancel.Token));
        await Step("health", async () => largestSqlite = await HealthBenchmark.RunAsync(settings, table, cancel.Token));
        await Step("fanout", () => FanOutBenchmark.RunAsync(settings, table, cancel.Token));
        await Step("startup", () => StartupBenchmark.RunAsync(settings, table, largestSqlite, cancel.Token));

        Console.WriteLine();
        Console.WriteLine(table.ToText());
        if (settings.ResultsFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "```\n" + machine + "\n```\n\n" + table.ToMarkdown());
            Console.WriteLine($"Results written to {file}");
        }

        // A missed target is a finding, not a crash: the exit code says whether every judged figure passed.
        return table.Rows.Any(r => r.Verdict == Verdict.Fail) ? 1 : 0;
    }

    private static string MachineDescription(BenchSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Engagements benchmarks{(settings.Quick ? " (--quick: harness smoke test, short runs and small sizes)" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        text.Append(CultureInfo.InvariantCulture, $"Load average at start: {Read("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b)}; work directory {settings.WorkDirectory}");
        return text.ToString();

        static string CpuModel() => Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

        static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "unknown";
    }

    private static Dictionary<string, string> ReadSettings(string[] args, out HashSet<string> flags)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--set")
            {
                var pair = args[++i].Split('=', 2);
                settings[pair[0]] = pair[1];
            }
            else
            {
                flags.Add(args[i]);
            }
        }

        return settings;
    }

    // Child: our bot on Kestrel (127.0.0.1, a free port). Prints READY <url>; stops when stdin closes.
    private static async Task<int> HostBotAsync(string[] args)
    {
        var settings = ReadSettings(args, out var flags);
        await using var app = new HostedApp(settings, kestrel: true);
        app.Start();
        using var stop = new CancellationTokenSource();
        Task? drain = null;
        if (flags.Contains("--drain-outbox"))
        {
            drain = DrainOutboxAsync(app.Services, stop.Token);
        }

        Console.WriteLine("READY " + app.Address);
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        if (drain is not null)
        {
            await drain;
        }

        return 0;
    }

    // The outbox's own background loop drains it when the build has one; otherwise call the one-pass method in a loop.
    private static async Task DrainOutboxAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Seams.HasHostedService(services, Seams.OutboxBackgroundService))
        {
            Console.WriteLine("INFO outbox drained by the app's background service");
            return;
        }

        Console.WriteLine("INFO outbox drained by calling " + Seams.OutboxOnePass.TypeName + "." + Seams.OutboxOnePass.MethodName + " in a loop");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Seams.OutboxOnePass.InvokeAsync(services, cancellationToken);
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Child: the bare ASP.NET Core endpoint.
    private static async Task<int> HostBareAsync()
    {
        await using var app = BareEndpointApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Console.WriteLine("READY " + address);
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    // Child: one full health + trigger evaluation in the app host (no socket); prints RESULT {json}.
    // Two passes: the first in a cold process (JIT, EF Core query compilation: what the job sees after a deploy), then,
    // with its output deleted, the same sweep warm (what the daily job sees in a long-running app). Warm is judged.
    private static async Task<int> SweepAsync(string[] args)
    {
        var settings = ReadSettings(args, out _);
        await using var app = new HostedApp(settings, kestrel: false);
        app.Start();
        var pid = Environment.ProcessId;
        ProcessMemory.ResetPeak(pid);
        var cold = await SweepOnceAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await BenchData.ResetSweepOutputAsync(scope.ServiceProvider.GetRequiredService<Engagements.Data.EngagementsDb>(), CancellationToken.None);
        }

        var warm = await SweepOnceAsync(app.Services);
        var peak = ProcessMemory.PeakRssBytes(pid) ?? 0;
        var result = new SweepResult(warm.Seconds, cold.Seconds, peak, warm.Detail);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
        return 0;
    }

    private static async Task<(double Seconds, string Detail)> SweepOnceAsync(IServiceProvider services)
    {
        var details = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var step in Seams.HealthSweep.Where(s => s.IsAvailable))
        {
            var stepClock = System.Diagnostics.Stopwatch.StartNew();
            await using var scope = services.CreateAsyncScope();
            var result = await step.InvokeAsync(scope.ServiceProvider, CancellationToken.None);
            var count = result switch
            {
                int n => n.ToString(CultureInfo.InvariantCulture),
                System.Collections.ICollection c => c.Count.ToString(CultureInfo.InvariantCulture),
                _ => "done",
            };
            details.Add($"{step.Description}: {count} in {stepClock.Elapsed.TotalSeconds:0.00} s");
        }

        return (clock.Elapsed.TotalSeconds, string.Join("; ", details));
    }
}
