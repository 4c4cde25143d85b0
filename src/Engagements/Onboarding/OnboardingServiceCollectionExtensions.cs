using Engagements.Scheduling;

namespace Engagements.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>Plan templates (validated at startup), plan services, card and command handlers, and the three jobs.</summary>
    public static IHostApplicationBuilder AddOnboarding(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TriggerOptions>().BindConfiguration("Onboarding:Triggers").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PlanTemplateCatalog>();
        services.AddSingleton<OnboardingCommunications>();
        services.AddHostedService<PlanTemplateStartupCheck>();
        services.AddScoped<OnboardingService>();
        services.AddScoped<TargetEvaluator>();
        services.AddScoped<PhaseConfirmations>();
        services.AddScoped<TriggerAlerts>();
        services.AddScoped<OnboardingTriggers>();
        services.AddScoped<WeeklyStatusUpdates>();
        services.AddScoped<OnboardingPlanOnAssignment>();
        services.AddScoped<OnboardingTurns>();
        services.AddScheduledJob<OnboardingDailyJob>("0 0 7 * * ?");
        services.AddScheduledJob<OnboardingTriggersJob>("0 30 7 * * ?");
        services.AddScheduledJob<WeeklyStatusJob>("0 0 8 ? * MON");
        return builder;
    }
}

// Loading the catalogs validates every template: a bad file stops the host with the file and field in the message.
internal sealed class PlanTemplateStartupCheck(PlanTemplateCatalog templates, OnboardingCommunications communications) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = templates.All.Count + communications.Templates.WelcomeSequence.Count;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
