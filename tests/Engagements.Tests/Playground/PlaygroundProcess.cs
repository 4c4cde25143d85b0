using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using Engagements.Tests;

namespace Engagements.Tests.Playground;

/// <summary>
/// The real Microsoft 365 Agents Playground (npm, pinned in tests/e2e/package.json) as a child process, pointed at a bot
/// endpoint, with the repository's mock Teams context. It is anonymous: no AUTH_* variables reach it.
/// </summary>
public sealed partial class PlaygroundProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string workDirectory;

    private PlaygroundProcess(Process process, string workDirectory, Uri baseAddress)
    {
        this.process = process;
        this.workDirectory = workDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string ServiceUrl => new Uri(BaseAddress, "_connector").ToString();

    public static async Task<PlaygroundProcess> StartAsync(Uri botEndpoint, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot.Path;
        var cli = Path.Combine(root, "tests", "e2e", "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"The Agents Playground is not installed ({cli} missing): run scripts/install-prerequisites.sh node");
        }

        var workDirectory = Directory.CreateTempSubdirectory("playground-").FullName;
        File.Copy(Path.Combine(root, "playground", ".m365agentsplayground.yml"), Path.Combine(workDirectory, ".m365agentsplayground.yml"));
        // Through a wrapper that ends the Playground when our end of its stdin closes: a test host killed outright
        // (a hang timeout) would otherwise leave it running.
        var wrapper = Path.Combine(root, "tests", "e2e", "run-while-stdin-open.mjs");
        var start = new ProcessStartInfo("node", [wrapper, "node", cli, "-e", botEndpoint.ToString(), "-c", "msteams", "-p", FreePort().ToString(), "--dt"])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        start.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workDirectory, "playground.log");
        foreach (var name in new[] { "AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET", "AUTH_TENANT_ID", "BOT_ENDPOINT", "DEFAULT_CHANNEL_ID" })
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            // The Playground silently moves to a random port when the asked one is taken; its stdout says which.
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        int port;
        try
        {
            port = await listening.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The Agents Playground did not start:\n" + string.Join('\n', output));
        }

        var playground = new PlaygroundProcess(process, workDirectory, new Uri($"http://localhost:{port}/"));
        using var http = new HttpClient { BaseAddress = playground.BaseAddress };
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                if (await http.GetStringAsync("_debug/ping", timeout.Token) == "pong")
                {
                    return playground;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        await playground.DisposeAsync();
        throw new InvalidOperationException("The Agents Playground never answered /_debug/ping");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Listening on (\d+)")]
    private static partial Regex Listening();
}
