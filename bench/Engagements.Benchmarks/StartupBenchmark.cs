using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Engagements.Benchmarks;

/// <summary>
/// `dotnet Engagements.dll` (the Release build, a real separate process, Production settings) from process start to
/// the first 200 on /readyz, with the customers already in the SQLite database (migrations already applied).
/// </summary>
public static class StartupBenchmark
{
    private const string Name = "startup";

    public static async Task RunAsync(BenchSettings settings, ResultTable table, (string Path, int Customers)? prepared, CancellationToken cancellationToken)
    {
        var app = Path.Combine(settings.RepositoryRoot, "src", "Engagements", "bin", "Release", "net10.0", "Engagements.dll");
        if (!File.Exists(app))
        {
            table.NotAvailable(Name, "process start to /readyz 200", $"{app} not built (dotnet build -c Release)");
            return;
        }

        var (path, customers) = prepared ?? (Path.Combine(settings.WorkDirectory, "startup.db"), settings.StartupCustomers);
        var database = BenchDatabase.Sqlite(path);
        if (prepared is null)
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            Console.WriteLine($"[startup] generating {customers:N0} customers...");
            await BenchData.MigrateAsync(database, cancellationToken);
            await BenchData.AddCustomersAsync(database, 0, customers, settings.UsageDays, TimeProvider.System.GetUtcNow(), cancellationToken);
        }

        var times = new List<double>();
        for (var run = 0; run < settings.StartupRuns; run++)
        {
            times.Add(await TimeOneStartAsync(app, database, cancellationToken));
            Console.WriteLine($"[startup]   run {run + 1}: {times[^1]:0.000} s");
        }

        times.Sort();
        var median = times[times.Count / 2];
        table.Check(Name, $"process start to /readyz 200, {customers:N0} customers (median of {times.Count})", median, "0.00", 2, atLeast: false, " s",
            "runs: " + string.Join(", ", times.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture))));
    }

    private static async Task<double> TimeOneStartAsync(string app, BenchDatabase database, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in database.HostSettings().Concat(HealthBenchmark.QuietHost()))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // Production defaults for the rest: the outbox loop and scheduler start as they would.
        environment.Remove("Outbox__BackgroundDelivery");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = new Uri($"http://127.0.0.1:{port}/readyz");
        var clock = Stopwatch.StartNew();
        await using var child = await ChildProcess.StartAsync("dotnet", [app], environment, Path.GetDirectoryName(app), waitForReady: false);
        try
        {
            return await PollReadyAsync(child, client, ready, clock, cancellationToken);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<double> PollReadyAsync(ChildProcess child, HttpClient client, Uri ready, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (child.HasExited)
            {
                throw new InvalidOperationException("The app exited during startup:\n" + child.Tail());
            }

            try
            {
                using var response = await client.GetAsync(ready, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException("/readyz did not answer 200 within 60 s:\n" + child.Tail());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
