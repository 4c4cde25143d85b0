using Engagements.BotFramework.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Connector;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IConnectorClient"/> with its token handler, the one MSAL app (inside
    /// <see cref="OutboundTokenProvider"/>) and the process-wide <see cref="TeamsRateLimiter"/>, all configured from "Bot".
    /// Register an <c>IMsalHttpClientFactory</c> before or after this call to route MSAL's HTTP (tests only).
    /// </summary>
    public static IServiceCollection AddBotConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ConnectorOptions>()
            .Bind(configuration.GetSection(ConnectorOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorOptions>, ConnectorOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        // Singletons: the limiter's windows and MSAL's token cache are only correct if the whole process shares them.
        services.TryAddSingleton<TeamsRateLimiter>();
        services.TryAddSingleton<OutboundTokenProvider>();
        services.TryAddTransient<BotTokenHandler>();

        services.AddHttpClient<IConnectorClient, ConnectorClient>((sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<ConnectorOptions>>().Value.RequestTimeout)
            .AddHttpMessageHandler<BotTokenHandler>();

        return services;
    }

    private sealed class ConnectorOptionsValidator : IValidateOptions<ConnectorOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConnectorOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
