using Quartz;

namespace Engagements.AccountAccess;

[DisallowConcurrentExecution]
public sealed class AccountAccessJob(AccountAccessService service) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await service.RunDailyAsync(cancellationToken);
}
