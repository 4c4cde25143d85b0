using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Engagements.Data;

namespace Engagements.Benchmarks;

/// <summary>
/// One full health + trigger evaluation (Seams.HealthSweep) over 10k, 30k and 100k customers with 30 days of usage,
/// on SQLite and PostgreSQL. Data is bulk-loaded beforehand (not measured); each size grows the previous database and
/// clears the previous sweep's output, so every sweep starts from "no score today". The sweep runs in a child process
/// (the app host without a socket), so its time and peak RSS are the app's alone.
/// </summary>
public static class HealthBenchmark
{
    private const string Name = "health sweep";

    /// <summary>Returns the SQLite database with the most customers (the startup benchmark reuses it).</summary>
    public static async Task<(string Path, int Customers)?> RunAsync(BenchSettings settings, ResultTable table, CancellationToken cancellationToken)
    {
        var available = Seams.HealthSweep[0].IsAvailable;
        if (!available)
        {
            table.NotAvailable(Name, "all sizes", Seams.HealthSweep[0].Missing + "; data generation still runs (the startup benchmark uses it)");
        }

        foreach (var step in Seams.HealthSweep.Skip(1).Where(s => !s.IsAvailable))
        {
            table.Info(Name, "step skipped: " + step.Description, "-", step.Missing);
        }

        var sqlitePath = Path.Combine(settings.WorkDirectory, "health.db");
        foreach (var file in new[] { sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm" })
        {
            File.Delete(file);
        }

        await RunProviderAsync(settings, table, BenchDatabase.Sqlite(sqlitePath), available, cancellationToken);
        var largest = (sqlitePath, settings.SweepSizes[^1]);

        if (settings.SkipPostgres)
        {
            table.NotAvailable(Name, "PostgreSQL", "skipped (--no-postgres)");
            return largest;
        }

        try
        {
            await using var postgres = await PostgresServer.StartAsync(settings);
            await RunProviderAsync(settings, table, new BenchDatabase(DatabaseProvider.Postgres, postgres.ForDatabase("engagements_bench")), available, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            table.NotAvailable(Name, "PostgreSQL", "no PostgreSQL: " + e.Message.Split('\n')[0]);
        }

        return largest;
    }

    private static async Task RunProviderAsync(BenchSettings settings, ResultTable table, BenchDatabase database, bool available, CancellationToken cancellationToken)
    {
        await BenchData.MigrateAsync(database, cancellationToken);
        var results = new Dictionary<int, SweepResult>();
        var now = TimeProvider.System.GetUtcNow();
        var previous = 0;
        foreach (var size in settings.SweepSizes)
        {
            var generation = Stopwatch.StartNew();
            Console.WriteLine($"[health] {database.ProviderName}: generating customers {previous:N0}..{size:N0} with {settings.UsageDays} days of usage...");
            await BenchData.AddCustomersAsync(database, previous, size, settings.UsageDays, now, cancellationToken);
            await BenchData.VerifyAsync(database, size, cancellationToken);
            Console.WriteLine($"[health]   generated in {generation.Elapsed.TotalSeconds:0.0} s (not measured)");
            previous = size;
            if (!available)
            {
                continue;
            }

            await BenchData.ResetSweepOutputAsync(database, cancellationToken);
            var result = await SweepAsync(settings, database, cancellationToken);
            results[size] = result;
            var metric = $"{database.ProviderName} {size:N0} customers";
            Console.WriteLine($"[health]   sweep: warm {result.Seconds:0.00} s (cold {result.ColdSeconds:0.00} s), peak RSS {ProcessMemory.Megabytes(result.PeakRssBytes)}, {result.Detail}");
            table.Info(Name, metric + " time, cold process", result.ColdSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s", "first sweep after start: JIT and query compilation included");
            if (size == 100_000)
            {
                table.Check(Name, metric + " time (warm)", result.Seconds, "0.00", 10, atLeast: false, " s", result.Detail);
            }
            else
            {
                table.Info(Name, metric + " time (warm)", result.Seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s", result.Detail);
            }

            table.Check(Name, metric + " peak RSS", result.PeakRssBytes / 1024.0 / 1024.0, "0", 300, atLeast: false, " MB", "sweep process, both passes, host included");
        }

        if (results.Count >= 2)
        {
            var smallest = settings.SweepSizes[0];
            var largest = settings.SweepSizes[^1];
            var ratio = results[largest].Seconds / results[smallest].Seconds;
            var linear = (double)largest / smallest;
            table.Check(Name, $"{database.ProviderName} warm time {largest / 1000}k / {smallest / 1000}k", ratio, "0.0", linear * 1.2, atLeast: false, "x",
                $"linear would be {linear:0}x");
        }
    }

    private static async Task<SweepResult> SweepAsync(BenchSettings settings, BenchDatabase database, CancellationToken cancellationToken)
    {
        List<string> arguments = [settings.BenchAssembly, "sweep"];
        foreach (var (key, value) in database.HostSettings().Concat(QuietHost()))
        {
            arguments.Add("--set");
            arguments.Add(key + "=" + value);
        }

        await using var child = await ChildProcess.StartAsync("dotnet", arguments, waitForReady: false);
        var exit = await child.WaitForExitAsync(TimeSpan.FromMinutes(10));
        var line = child.Output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"The sweep process failed (exit {exit}):\n{child.Tail()}");
        }

        return JsonSerializer.Deserialize<SweepResult>(line["RESULT ".Length..], JsonSerializerOptions.Web)!;
    }

    /// <summary>Settings for an app host that only runs a job: Production, auth configured, no demo data, no background sends.</summary>
    public static IEnumerable<KeyValuePair<string, string>> QuietHost() =>
    [
        new("Bot:AppId", TurnBenchmark.AppId),
        new("Bot:AppPassword", "not-a-real-secret"),
        new("Bot:TenantId", "00000000-0000-0000-0000-0000000be7c1"),
        new("Links:SigningKey", "bench-signing-key-not-a-secret-0123456789"),
        new("Demo:Enabled", "false"),
        new("Outbox:BackgroundDelivery", "false"),
        new("Logging:LogLevel:Default", "Warning"),
    ];
}

public sealed record SweepResult(double Seconds, double ColdSeconds, long PeakRssBytes, string Detail);
