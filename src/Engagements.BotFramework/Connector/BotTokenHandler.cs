using System.Net.Http.Headers;
using Engagements.BotFramework.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Connector;

/// <summary>
/// Attaches the bot's Connector token, but only to allow-listed serviceUrl hosts. With an app id configured, a
/// request to any other host is refused outright rather than sent without a token: a serviceUrl off the list is
/// either a misconfiguration or a forged activity, and neither should get a request from the bot.
/// In anonymous mode (no app id) nothing is attached and nothing is refused, as there is no token to leak.
/// </summary>
public sealed partial class BotTokenHandler(
    OutboundTokenProvider tokenProvider,
    IOptions<ConnectorOptions> options,
    ILogger<BotTokenHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Whatever the caller set, the token decision is made here and only here.
        request.Headers.Authorization = null;

        if (!options.Value.IsAnonymous)
        {
            var uri = request.RequestUri ?? throw new InvalidOperationException("Request has no URI.");
            if (!ServiceUrlAllowList.IsAllowed(uri, options.Value))
            {
                LogRefused(logger, uri.Host);
                throw new ServiceUrlNotAllowedException(uri.Host);
            }

            var token = await tokenProvider.GetTokenAsync(cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Connector call to {Host}: not on Bot:AllowedServiceUrlHosts, the bot token is never sent there")]
    private static partial void LogRefused(ILogger logger, string host);
}

/// <summary>The serviceUrl's host may not receive the bot token, so the call was not made.</summary>
public sealed class ServiceUrlNotAllowedException(string host)
    : InvalidOperationException($"The serviceUrl host '{host}' is not on Bot:AllowedServiceUrlHosts; the call was not sent.")
{
    public string Host { get; } = host;
}
