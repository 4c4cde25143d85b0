namespace Engagements.Links;

public static class LinksServiceCollectionExtensions
{
    public static IServiceCollection AddSignedLinks(this IServiceCollection services)
    {
        services.AddOptions<LinksOptions>().BindConfiguration("Links");
        services.AddSingleton<SignedLinks>();
        return services;
    }
}
