using System.Diagnostics;

namespace Engagements.Benchmarks;

/// <summary>A throwaway PostgreSQL cluster from scripts/postgres.sh (the tests' own), or a server given on the command line.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _script;
    private readonly string? _directory;

    private PostgresServer(string connectionString, string? script, string? directory)
    {
        ConnectionString = connectionString;
        _script = script;
        _directory = directory;
    }

    public string ConnectionString { get; }

    public string ForDatabase(string name) =>
        string.Join(';', ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("Database=", StringComparison.OrdinalIgnoreCase))
            .Append("Database=" + name));

    public static async Task<PostgresServer> StartAsync(BenchSettings settings)
    {
        if (settings.PostgresConnectionString is { Length: > 0 } given)
        {
            return new PostgresServer(given, null, null);
        }

        var script = Path.Combine(settings.RepositoryRoot, "scripts", "postgres.sh");
        var directory = Path.Combine(Path.GetTempPath(), "engagements-bench-pg-" + Guid.NewGuid().ToString("N")[..8], "pg");
        var output = await RunAsync(script, "start", directory);
        return new PostgresServer(output.Trim(), script, directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is not null && _directory is not null)
        {
            await RunAsync(_script, "stop", _directory);
        }
    }

    private static async Task<string> RunAsync(string script, string command, string directory)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(directory);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} failed: {await stderr}");
        }

        return await stdout;
    }
}
