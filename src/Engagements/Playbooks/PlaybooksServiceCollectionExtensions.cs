namespace Engagements.Playbooks;

public static class PlaybooksServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPlaybooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PlaybookReport>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPlaybookLinks(this IEndpointRouteBuilder app) => app;
}
