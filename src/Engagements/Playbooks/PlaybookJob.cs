using Quartz;

namespace Engagements.Playbooks;

[DisallowConcurrentExecution]
public sealed class PlaybookJob(PlaybookRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await runner.RunDueAsync(cancellationToken);
}
