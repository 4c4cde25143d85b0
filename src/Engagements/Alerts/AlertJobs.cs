using Quartz;

namespace Engagements.Alerts;

[DisallowConcurrentExecution]
public sealed class AlertWakeJob(AlertService alerts) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await alerts.WakeSnoozedAsync(cancellationToken);
}

// Registered only when Alerts:Digest=daily.
[DisallowConcurrentExecution]
public sealed class AlertDigestJob(AlertService alerts) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await alerts.PostDigestAsync(cancellationToken);
}
