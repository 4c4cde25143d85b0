using Engagements.BotFramework.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engagements.BotFramework.Hosting;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>Binds <see cref="BotFrameworkOptions"/> from the <c>Bot</c> section and registers inbound authentication. The app registers its own <see cref="IBot"/>.</summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotFrameworkOptions>().Bind(configuration.GetSection(BotFrameworkOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(BotSigningKeys.HttpClientName);
        services.TryAddSingleton<BotSigningKeys>();
        services.TryAddSingleton<BotTokenValidator>();
        services.TryAddSingleton<AnonymousModeGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<AnonymousModeGuard>());
        return services;
    }

    /// <summary>Maps the Bot Framework messaging endpoint. Every HTTP method is routed here so that non-POST gets 405, not a fallback route.</summary>
    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages") =>
        endpoints.Map(pattern, BotMessagesEndpoint.HandleAsync);
}
