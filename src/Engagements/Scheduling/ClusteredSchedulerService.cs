using Quartz;

namespace Engagements.Scheduling;

// Starts the clustered (PostgreSQL) scheduler once the app has started, and keeps trying while the database is
// unreachable: Quartz opens the database while it builds the scheduler, and a bot that cannot start would also
// stop answering /healthz and /readyz. SQLite's in-memory scheduler needs none of this (Quartz's hosted service).
internal sealed partial class ClusteredSchedulerService(
    ISchedulerFactory schedulers, IHostApplicationLifetime lifetime, ILogger<ClusteredSchedulerService> logger) : BackgroundService
{
    private IScheduler? _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                _scheduler = await schedulers.GetScheduler(stoppingToken);
                await _scheduler.Start(stoppingToken);
                LogStarted(logger, await _scheduler.GetSchedulerInstanceId(stoppingToken));
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is SchedulerException or Npgsql.NpgsqlException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, 2 * attempt));
                LogNotStarted(logger, ex, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_scheduler is { } scheduler)
        {
            // Let running jobs finish so the cluster does not have to recover them as failed.
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetResult());
        return started.Task;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clustered scheduler started as {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clustered scheduler could not start (database unreachable or Quartz tables missing); retrying in {Delay}")]
    private static partial void LogNotStarted(ILogger logger, Exception exception, TimeSpan delay);
}
