using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Engagements.Mail;

/// <summary>
/// App-only Graph token through MSAL client credentials, as Kiota asks for it. Azure.Identity would do the same but is
/// one more dependency; MSAL is already here for the Bot Connector. One MSAL app per process, so its token cache works.
/// </summary>
public sealed class GraphTokenProvider : IAccessTokenProvider
{
    private readonly Lazy<IConfidentialClientApplication> _application;

    /// <param name="msalHttpClientFactory">Null in production; tests route MSAL's HTTP to a fake token endpoint (MSAL refuses non-https authorities).</param>
    public GraphTokenProvider(IOptions<GraphOptions> options, IMsalHttpClientFactory? msalHttpClientFactory = null)
    {
        var graph = options.Value;
        var baseUri = new Uri(graph.BaseUrl);
        // The token is only ever sent to Graph itself: https, or plain http to a loopback test double.
        if (baseUri.Scheme != Uri.UriSchemeHttps && !baseUri.IsLoopback)
        {
            throw new InvalidOperationException("Graph:BaseUrl must be https (plain http is allowed only for a loopback test endpoint).");
        }
        AllowedHostsValidator = new AllowedHostsValidator(["graph.microsoft.com", baseUri.Host]);
        _application = new Lazy<IConfidentialClientApplication>(() =>
        {
            var builder = ConfidentialClientApplicationBuilder.Create(graph.ClientId)
                .WithClientSecret(graph.ClientSecret)
                .WithAuthority($"{graph.Instance.TrimEnd('/')}/{graph.TenantId}", validateAuthority: false);
            if (msalHttpClientFactory is not null)
            {
                builder = builder.WithHttpClientFactory(msalHttpClientFactory);
            }
            return builder.Build();
        });
    }

    public AllowedHostsValidator AllowedHostsValidator { get; }

    public async Task<string> GetAuthorizationTokenAsync(
        Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!AllowedHostsValidator.IsUrlHostValid(uri))
        {
            return "";
        }
        // AcquireTokenForClient answers from the app token cache until the token nears expiry.
        var result = await _application.Value.AcquireTokenForClient([GraphOptions.Scope]).ExecuteAsync(cancellationToken);
        return result.AccessToken;
    }
}
