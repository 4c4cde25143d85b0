using System.Globalization;

namespace Engagements.Benchmarks;

/// <summary>Command line of the orchestrator (bench/run.sh passes its arguments through).</summary>
public sealed class BenchSettings
{
    public bool Quick { get; private set; }

    /// <summary>turn, health, fanout, startup; all by default.</summary>
    public HashSet<string> Only { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string RepositoryRoot { get; private set; } = FindRepositoryRoot();

    public string WorkDirectory { get; private set; } = "";

    public string? ResultsFile { get; private set; }

    /// <summary>An existing PostgreSQL server; otherwise a throwaway cluster is started with scripts/postgres.sh.</summary>
    public string? PostgresConnectionString { get; private set; } = Environment.GetEnvironmentVariable("ENGAGEMENTS_BENCH_POSTGRES");

    public bool SkipPostgres { get; private set; }

    public TimeSpan TurnDuration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);

    public TimeSpan TurnWarmUp => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    public int[] Connections { get; } = [16, 64];

    public int TurnCustomers => Quick ? 1_000 : 10_000;

    public int[] SweepSizes => Quick ? [1_000, 3_000, 10_000] : [10_000, 30_000, 100_000];

    public int UsageDays => 30;

    public int FanOutAlerts => Quick ? 500 : 5_000;

    public int FanOutChannels => Quick ? 20 : 200;

    public int StartupCustomers => Quick ? 10_000 : 100_000;

    public int StartupRuns => Quick ? 1 : 3;

    public string BenchAssembly => typeof(BenchSettings).Assembly.Location;

    public bool Runs(string benchmark) => Only.Count == 0 || Only.Contains(benchmark);

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    settings.Quick = true;
                    break;
                case "--only":
                    foreach (var name in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        settings.Only.Add(name);
                    }

                    break;
                case "--results":
                    settings.ResultsFile = Path.GetFullPath(args[++i]);
                    break;
                case "--work":
                    settings.WorkDirectory = Path.GetFullPath(args[++i]);
                    break;
                case "--postgres":
                    settings.PostgresConnectionString = args[++i];
                    break;
                case "--no-postgres":
                    settings.SkipPostgres = true;
                    break;
                case "--repo":
                    settings.RepositoryRoot = Path.GetFullPath(args[++i]);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --quick, --only turn,health,fanout,startup, --results FILE, --work DIR, --postgres CONNSTR, --no-postgres.");
            }
        }

        if (settings.WorkDirectory.Length == 0)
        {
            settings.WorkDirectory = Path.Combine(Path.GetTempPath(), "engagements-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        return settings;
    }

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Engagements.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
