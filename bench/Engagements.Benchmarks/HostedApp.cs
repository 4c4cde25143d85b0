using System.Net;
using Engagements.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Identity.Client;

namespace Engagements.Benchmarks;

/// <summary>
/// The real app (Program.cs, Release build, real middleware and database) hosted by WebApplicationFactory on real
/// Kestrel (UseKestrel, .NET 10) on 127.0.0.1. In-process hosting is what lets us register FakeTokenEndpoint as MSAL's
/// HTTP client: MSAL insists on an https authority, so a separately started Release process could not get an outbound
/// token from a loopback fake. Each benchmark runs this in a child process of its own (see Program "host-bot").
/// </summary>
public sealed class HostedApp(IReadOnlyDictionary<string, string> settings, bool kestrel) : WebApplicationFactory<Program>
{
    public FakeTokenEndpoint Tokens { get; } = new();

    public string Address { get; private set; } = "";

    public void Start()
    {
        // WebApplicationFactory looks for the content root relative to the solution, and this project has its own
        // solution; point it at the app's folder (appsettings.json) explicitly.
        Environment.SetEnvironmentVariable(
            "ASPNETCORE_TEST_CONTENTROOT_ENGAGEMENTS", Path.Combine(BenchSettings.FindRepositoryRoot(), "src", "Engagements"));
        if (kestrel)
        {
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            StartServer();
            Address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        }
        else
        {
            // TestServer: the host and its hosted services start; no socket is opened.
            _ = Server;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(settings.GetValueOrDefault("Environment", "Production"));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<IMsalHttpClientFactory>(Tokens));
    }
}
