using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Identity.Client;

namespace Engagements.Testing;

/// <summary>
/// Stands in for login.microsoftonline.com behind MSAL. MSAL refuses non-https authorities, so instead of a
/// server this is the HttpClient MSAL uses: register it as <see cref="IMsalHttpClientFactory"/> and the real MSAL
/// client-credentials path (cache included) runs against it. Answers instance discovery, OpenID configuration
/// and the token endpoint; counts token requests so tests can prove the token is cached.
/// </summary>
public sealed class FakeTokenEndpoint : IMsalHttpClientFactory
{
    private readonly HttpClient _client;
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyDictionary<string, string>> _tokenRequests = [];
    private int _issued;

    public FakeTokenEndpoint()
    {
        _client = new HttpClient(new Handler(this));
    }

    /// <summary>Lifetime of issued tokens; MSAL refreshes ahead of expiry.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Form fields of each token request (client_id, scope, grant_type; the secret is left out).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _tokenRequests];
            }
        }
    }

    public IReadOnlyList<Uri> TokenEndpointsCalled { get; private set; } = [];

    public static string TokenNumber(int n) => "fake-bot-token-" + n.ToString(CultureInfo.InvariantCulture);

    public HttpClient GetHttpClient() => _client;

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var path = uri.AbsolutePath;
        var tenant = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "common";
        var authority = $"https://{uri.Host}/{tenant}";

        if (path.EndsWith("/discovery/instance", StringComparison.OrdinalIgnoreCase))
        {
            return Json(new
            {
                tenant_discovery_endpoint = $"{authority}/v2.0/.well-known/openid-configuration",
                api_version = "1.1",
                metadata = new[] { new { preferred_network = uri.Host, preferred_cache = uri.Host, aliases = new[] { uri.Host } } },
            });
        }

        if (path.EndsWith("/.well-known/openid-configuration", StringComparison.OrdinalIgnoreCase))
        {
            return Json(new
            {
                token_endpoint = $"{authority}/oauth2/v2.0/token",
                authorization_endpoint = $"{authority}/oauth2/v2.0/authorize",
                issuer = $"{authority}/v2.0",
            });
        }

        if (path.EndsWith("/token", StringComparison.OrdinalIgnoreCase) && request.Method == HttpMethod.Post)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            var fields = form.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Where(pair => pair[0] != "client_secret")
                .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "");
            int n;
            lock (_lock)
            {
                _tokenRequests.Add(fields);
                TokenEndpointsCalled = [.. TokenEndpointsCalled, uri];
                n = ++_issued;
            }

            return Json(new
            {
                token_type = "Bearer",
                expires_in = (int)TokenLifetime.TotalSeconds,
                ext_expires_in = (int)TokenLifetime.TotalSeconds,
                access_token = TokenNumber(n),
            });
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(object value) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(JsonSerializer.Serialize(value).Replace("api_version", "api-version", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
    };

    private sealed class Handler(FakeTokenEndpoint owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.AnswerAsync(request, cancellationToken);
    }
}
