using Quartz;

namespace Engagements.Health;

[DisallowConcurrentExecution]
public sealed class HealthJob(HealthService health) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await health.ComputeAllAsync(cancellationToken);
}
