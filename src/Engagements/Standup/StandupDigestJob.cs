using Quartz;

namespace Engagements.Standup;

[DisallowConcurrentExecution]
public sealed class StandupDigestJob(StandupDigestService digest) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await digest.PostDigestAsync(cancellationToken);
}
