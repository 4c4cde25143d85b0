using Engagements.BotFramework.Connector;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Engagements.BotFramework.Authentication;

/// <summary>
/// Client-credentials token for the Bot Connector (notes §2). Owns the one <see cref="IConfidentialClientApplication"/>
/// of the process: MSAL's app token cache lives in that instance, so re-creating it would fetch a token per call.
/// </summary>
public sealed class OutboundTokenProvider
{
    private readonly ConnectorOptions _options;
    private readonly Lazy<IConfidentialClientApplication> _application;

    /// <param name="msalHttpClientFactory">
    /// Null in production (MSAL's own HttpClient). Tests pass a factory whose handler answers the token endpoint,
    /// because MSAL refuses non-https authorities and so cannot be pointed at a local server.
    /// </param>
    public OutboundTokenProvider(IOptions<ConnectorOptions> options, IMsalHttpClientFactory? msalHttpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _application = new Lazy<IConfidentialClientApplication>(() => CreateApplication(_options, msalHttpClientFactory));
    }

    public bool IsEnabled => !_options.IsAnonymous;

    public IConfidentialClientApplication Application => _application.Value;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            throw new InvalidOperationException("No Bot:AppId is configured; outbound calls are anonymous.");
        }

        // AcquireTokenForClient consults the app token cache first and only calls Entra near expiry.
        var result = await Application.AcquireTokenForClient([_options.OAuthScope])
            .ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }

    internal static IConfidentialClientApplication CreateApplication(ConnectorOptions options, IMsalHttpClientFactory? httpClientFactory)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(options.AppId)
            .WithClientSecret(options.AppPassword)
            // validateAuthority: false so sovereign-cloud or custom authorities work without instance discovery.
            .WithAuthority(options.ResolveAuthority(), validateAuthority: false);

        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        return builder.Build();
    }
}
