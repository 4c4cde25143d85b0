using Engagements.Scheduling;

namespace Engagements.Alerts;

public static class AlertsServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration("Alerts");
        builder.Services.AddScoped<AlertService>();
        builder.Services.AddScoped<AlertActions>();
        var options = builder.Configuration.GetSection("Alerts").Get<AlertOptions>() ?? new AlertOptions();
        builder.Services.AddScheduledJob<AlertWakeJob>(options.WakeCron);
        if (options.Delivery == AlertDelivery.Daily)
        {
            builder.Services.AddScheduledJob<AlertDigestJob>(options.DigestCron);
        }

        return builder;
    }
}
