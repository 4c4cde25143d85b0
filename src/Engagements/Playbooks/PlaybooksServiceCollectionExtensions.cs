using Engagements.Links;
using Engagements.Scheduling;

namespace Engagements.Playbooks;

public static class PlaybooksServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPlaybooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PlaybookOptions>().BindConfiguration("Playbooks");
        builder.Services.AddOptions<RenewalOptions>().BindConfiguration("Renewal");
        builder.Services.AddSignedLinks();
        builder.Services.AddSingleton<PlaybookCatalog>();
        builder.Services.AddScoped<PlaybookRunner>();
        builder.Services.AddScoped<PlaybookLinks>();
        builder.Services.AddScoped<PlaybookReport>();
        builder.Services.AddScheduledJob<PlaybookJob>(builder.Configuration["Playbooks:Cron"] ?? new PlaybookOptions().Cron);
        return builder;
    }

    public static IEndpointRouteBuilder MapPlaybookLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/survey/{token}", (string token, PlaybookLinks links, CancellationToken ct) => links.SurveyAsync(token, ct));
        app.MapGet("/unsubscribe/{token}", (string token, PlaybookLinks links, CancellationToken ct) => links.UnsubscribeAsync(token, ct));
        return app;
    }
}
