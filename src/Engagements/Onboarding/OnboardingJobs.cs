using Quartz;

namespace Engagements.Onboarding;

[DisallowConcurrentExecution]
public sealed class OnboardingDailyJob(PhaseConfirmations confirmations) : IJob
{
    public Task Execute(IJobExecutionContext context) => confirmations.SendDueCardsAsync(context.CancellationToken);
}

[DisallowConcurrentExecution]
public sealed class OnboardingTriggersJob(OnboardingTriggers triggers) : IJob
{
    public Task Execute(IJobExecutionContext context) => triggers.EvaluateAsync(context.CancellationToken);
}

[DisallowConcurrentExecution]
public sealed class WeeklyStatusJob(WeeklyStatusUpdates updates) : IJob
{
    public Task Execute(IJobExecutionContext context) => updates.DraftAllAsync(context.CancellationToken);
}
