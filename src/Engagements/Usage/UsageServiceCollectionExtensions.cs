namespace Engagements.Usage;

public static class UsageServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddUsage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageOptions>().BindConfiguration("Usage");
        builder.Services.AddScoped<UsageIngestion>();
        return builder;
    }
}
