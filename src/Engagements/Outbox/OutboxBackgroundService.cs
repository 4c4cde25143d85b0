using Microsoft.Extensions.Options;

namespace Engagements.Outbox;

// Keeps up to MaxConcurrentConversations conversations in delivery: claims more as soon as a worker frees up, and
// sleeps PollInterval only when nothing was due. Polling (not LISTEN/NOTIFY) keeps SQLite and PostgreSQL alike.
internal sealed partial class OutboxBackgroundService(OutboxSender sender, IOptions<OutboxOptions> options, ILogger<OutboxBackgroundService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.BackgroundDelivery)
        {
            LogDisabled(logger);
            return;
        }

        var running = new List<Task>();
        var tally = new OutboxSender.Tally();
        LogStarted(logger, sender.InstanceId);
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            IReadOnlyList<Task> started = [];
            try
            {
                started = await sender.StartAsync(settings.MaxConcurrentConversations - running.Count, tally, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database is down or restarting: keep polling, /readyz reports it.
                LogClaimFailed(logger, ex);
            }

            running.AddRange(started);
            if (started.Count > 0)
            {
                continue;
            }

            // Poll again after the interval, or sooner when a worker finishes (its conversation may have more due).
            try
            {
                var idle = Task.Delay(settings.PollInterval, stoppingToken);
                await (running.Count == 0 ? idle : Task.WhenAny(idle, Task.WhenAny(running)));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox delivery started as {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox:BackgroundDelivery is false; messages are delivered only when OutboxSender.DeliverDueAsync is called")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: claiming due messages failed; retrying")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);
}
