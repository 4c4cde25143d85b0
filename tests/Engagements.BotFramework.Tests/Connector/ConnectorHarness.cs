using Engagements.BotFramework.Connector;
using Engagements.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

namespace Engagements.BotFramework.Tests.Connector;

/// <summary>The production registration (<c>AddBotConnector</c>) pointed at a <see cref="FakeConnector"/>.</summary>
public sealed class ConnectorHarness : IAsyncDisposable
{
    public const string AppId = "00000000-0000-0000-0000-0000000000b0";
    public const string TenantId = "00000000-0000-0000-0000-0000000000c1";

    private readonly ServiceProvider _services;

    private ConnectorHarness(FakeConnector fake, ServiceProvider services, TimeProvider time, FakeTokenEndpoint tokens)
    {
        Fake = fake;
        _services = services;
        Time = time;
        Tokens = tokens;
    }

    public FakeConnector Fake { get; }
    public TimeProvider Time { get; }
    public FakeTokenEndpoint Tokens { get; }
    public IConnectorClient Client => _services.GetRequiredService<IConnectorClient>();
    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Anonymous by default, with an instant clock so retries and pacing cost no wall time.</summary>
    public static async Task<ConnectorHarness> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        time ??= new InstantDelayTimeProvider();
        var fake = await FakeConnector.StartAsync(time);
        var tokens = new FakeTokenEndpoint();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(time)
            .AddSingleton<IMsalHttpClientFactory>(tokens)
            .AddBotConnector(configuration)
            .BuildServiceProvider();
        return new ConnectorHarness(fake, services, time, tokens);
    }

    /// <summary>App id set and the fake's host allow-listed, so the real MSAL path and token handler run.</summary>
    public static Task<ConnectorHarness> StartAuthenticatedAsync(Dictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = AppId,
            ["Bot:AppPassword"] = "not-a-real-secret",
            ["Bot:TenantId"] = TenantId,
            ["Bot:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return StartAsync(settings, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
