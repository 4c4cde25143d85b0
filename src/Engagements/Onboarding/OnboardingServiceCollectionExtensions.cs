using Engagements.Assignments;
using Engagements.Scheduling;

namespace Engagements.Onboarding;

public static class OnboardingServiceCollectionExtensions
{
    /// <summary>Plan templates (validated at startup), plan services, card and command handlers, and the three jobs.</summary>
    public static IHostApplicationBuilder AddOnboarding(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TriggerOptions>().BindConfiguration("Onboarding:Triggers").ValidateDataAnnotations().ValidateOnStart();
        // The factory picks the embedded files; DI would otherwise choose the widest constructor with an empty list.
        services.AddSingleton(_ => new PlanTemplateCatalog());
        services.AddSingleton<OnboardingCommunications>();
        services.AddHostedService<PlanTemplateStartupCheck>();
        services.AddScoped<OnboardingService>();
        services.AddScoped<TargetEvaluator>();
        services.AddScoped<PhaseConfirmations>();
        services.AddScoped<TriggerAlerts>();
        services.AddScoped<OnboardingTriggers>();
        services.AddScoped<WeeklyStatusUpdates>();
        services.AddScoped<IAssignmentApprovedHandler, OnboardingPlanOnAssignment>();
        services.AddScoped<OnboardingTurns>();
        // Quartz reads the injected TimeProvider, so tests that move the fake clock past these times would run the
        // jobs in the background; "Onboarding:Schedule:*" lets them (and operators) choose other times.
        var schedule = builder.Configuration.GetSection("Onboarding:Schedule");
        services.AddScheduledJob<OnboardingDailyJob>(schedule["PhaseEnds"] ?? "0 0 7 * * ?", schedule["TimeZone"]);
        services.AddScheduledJob<OnboardingTriggersJob>(schedule["Triggers"] ?? "0 30 7 * * ?", schedule["TimeZone"]);
        services.AddScheduledJob<WeeklyStatusJob>(schedule["WeeklyStatus"] ?? "0 0 8 ? * MON", schedule["TimeZone"]);
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
