using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Authentication;

/// <summary>
/// Decides whether header-less requests may be accepted (no app id: notes §1.5) and stops the host when that would
/// expose an unauthenticated bot: only in Development, and only when every bound address is loopback.
/// </summary>
/// <remarks>
/// The addresses are checked in StartedAsync because Kestrel binds them (including port 0 and defaults) during
/// StartAsync. Until that check passes, <see cref="IsAnonymousAllowed"/> stays false, so a request that slips in
/// between binding and the check is refused rather than served anonymously.
/// </remarks>
public sealed partial class AnonymousModeGuard(
    IOptions<BotFrameworkOptions> options,
    IHostEnvironment environment,
    IServiceProvider services,
    ILogger<AnonymousModeGuard> logger) : IHostedLifecycleService
{
    private volatile bool _anonymousAllowed;

    public bool IsAnonymousAllowed => _anonymousAllowed;

    private bool IsAnonymous => string.IsNullOrEmpty(options.Value.AppId);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (IsAnonymous && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Bot:AppId is empty, which turns off inbound authentication; that is allowed only in the Development environment (this is '{environment.EnvironmentName}'). Configure Bot:AppId.");
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!IsAnonymous)
            return Task.CompletedTask;

        var server = services.GetService<IServer>();
        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0 || (addresses.Count == 0 && !IsInProcessTestServer(server)))
        {
            var shown = exposed.Count > 0 ? string.Join(", ", exposed) : "unknown addresses";
            throw new InvalidOperationException(
                $"Bot:AppId is empty, which turns off inbound authentication; that is allowed only when listening on loopback, but this host listens on {shown}. Bind to 127.0.0.1/localhost or configure Bot:AppId.");
        }

        _anonymousAllowed = true;
        LogAnonymousMode(string.Join(", ", addresses));
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static bool IsLoopback(string address)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(address).Host;
        }
        catch (FormatException)
        {
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return true;

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    // An in-memory TestServer has no sockets, so nothing on a network can reach it. Matched by name because this
    // library does not reference Microsoft.AspNetCore.TestHost; any other server without addresses is refused.
    private static bool IsInProcessTestServer(IServer? server) =>
        server?.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound authentication is OFF (no Bot:AppId); accepting header-less requests on {Addresses}")]
    private partial void LogAnonymousMode(string addresses);
}
