using System.Diagnostics;
using System.Net.Http.Headers;

namespace Engagements.Benchmarks;

public sealed record LoadResult(int Connections, TimeSpan Duration, long Requests, long NonSuccess, long Errors, double P50Ms, double P99Ms, double MaxMs)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
}

/// <summary>
/// Closed-loop load: <c>connections</c> workers, each with its own keep-alive connection, each sending the next request
/// as soon as the previous answer arrived. Chosen over wrk because the requests need fresh activity ids (the bot drops
/// redeliveries) and a bearer token minted by the loopback identity provider in this process, and because .NET's
/// SocketsHttpHandler is what we measure everywhere else; its own cost is the same for all three servers.
/// Latency is measured per request (send to full response) and kept exactly; percentiles are nearest-rank.
/// </summary>
public static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(
        Uri endpoint, int connections, TimeSpan warmUp, TimeSpan duration, Func<long, byte[]> body, string? authorization, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var sequence = 0L;

        // Warm-up: same load, not counted (JIT, tiered compilation, connection setup, caches, SQLite pages).
        await RunPhaseAsync(client, endpoint, connections, warmUp, body, authorization, () => Interlocked.Increment(ref sequence), cancellationToken);
        var measured = await RunPhaseAsync(client, endpoint, connections, duration, body, authorization, () => Interlocked.Increment(ref sequence), cancellationToken);
        return measured;
    }

    private static async Task<LoadResult> RunPhaseAsync(
        HttpClient client, Uri endpoint, int connections, TimeSpan duration, Func<long, byte[]> body, string? authorization, Func<long> next,
        CancellationToken cancellationToken)
    {
        var workers = new Worker[connections];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var tasks = new Task[connections];
        for (var i = 0; i < connections; i++)
        {
            var worker = workers[i] = new Worker();
            tasks[i] = Task.Run(() => worker.RunAsync(client, endpoint, stopAt, body, authorization, next, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            connections,
            elapsed,
            latencies.Length,
            workers.Sum(w => w.NonSuccess),
            workers.Sum(w => w.Errors),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : ToMs(latencies[^1]));
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : ToMs(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(16 * 1024);

        public long NonSuccess { get; private set; }

        public long Errors { get; private set; }

        public async Task RunAsync(
            HttpClient client, Uri endpoint, long stopAt, Func<long, byte[]> body, string? authorization, Func<long> next, CancellationToken cancellationToken)
        {
            var authorizationHeader = authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                using var content = new ByteArrayContent(body(next()));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
                request.Headers.Authorization = authorizationHeader;
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    var ticks = Stopwatch.GetTimestamp() - start;
                    Latencies.Add(ticks);
                    if (!response.IsSuccessStatusCode)
                    {
                        NonSuccess++;
                    }
                }
                catch (HttpRequestException)
                {
                    Errors++;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Client timeout.
                    Errors++;
                }
            }
        }
    }
}
