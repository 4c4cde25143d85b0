using Quartz;

namespace Engagements.Onboarding;

[DisallowConcurrentExecution]
public sealed class OnboardingDailyJob(PhaseConfirmations confirmations) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await confirmations.SendDueCardsAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class OnboardingTriggersJob(OnboardingTriggers triggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await triggers.EvaluateAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class WeeklyStatusJob(WeeklyStatusUpdates updates) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await updates.DraftAllAsync(cancellationToken);
}
