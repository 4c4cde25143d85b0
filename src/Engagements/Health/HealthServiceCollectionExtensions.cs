using Engagements.Scheduling;

namespace Engagements.Health;

public static class HealthServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration("Health");
        builder.Services.AddScoped<HealthService>();
        var cron = builder.Configuration["Health:Cron"] ?? new HealthOptions().Cron;
        builder.Services.AddScheduledJob<HealthJob>(cron);
        return builder;
    }
}
