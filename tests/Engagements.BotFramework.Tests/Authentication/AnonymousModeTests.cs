using System.Net;
using Engagements.BotFramework.Authentication;
using Engagements.BotFramework.Tests.Hosting;
using Engagements.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Engagements.BotFramework.Tests.Authentication;

/// <summary>No app id means no inbound authentication (notes §1.5); the host allows that only on loopback in Development.</summary>
public sealed class AnonymousModeTests
{
    private static Dictionary<string, string?> NoAppId => BotTestHost.Settings(identity: null, appId: "");

    [Fact]
    public async Task Empty_app_id_in_Production_stops_the_host_from_starting()
    {
        await using var app = BotTestHost.Build(NoAppId, environment: "Production");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Development", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    public async Task Empty_app_id_in_Development_listening_beyond_loopback_stops_the_host_from_starting(string url)
    {
        await using var app = BotTestHost.Build(NoAppId, environment: "Development", url: url);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_app_id_in_Development_on_loopback_accepts_a_request_without_a_header()
    {
        await using var host = await BotTestHost.StartAsync(NoAppId, environment: "Development");

        using var response = await host.PostAsync(BotTestHost.Message(), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Bot.Turns);
    }

    [Fact]
    public async Task Empty_app_id_in_Development_on_loopback_accepts_the_Playground_on_another_channel_id()
    {
        await using var host = await BotTestHost.StartAsync(NoAppId, environment: "Development");

        using var response = await host.PostAsync(BotTestHost.Message(channelId: "emulator"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Bot.Turns);
    }

    [Fact]
    public async Task Empty_app_id_in_Development_on_an_in_process_TestServer_accepts_a_request_without_a_header()
    {
        await using var app = BotTestHost.Build(NoAppId, environment: "Development", configureHost: web => web.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync("/api/messages", BotTestHost.Content(BotTestHost.Message()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Empty_app_id_still_validates_and_refuses_a_request_that_carries_a_token()
    {
        await using var identity = await LoopbackIdentityProvider.StartAsync();
        var settings = BotTestHost.Settings(identity, appId: "");
        await using var host = await BotTestHost.StartAsync(settings, environment: "Development");
        var token = identity.MintToken(TokenSpec.ForChannel("", BotTestHost.ServiceUrl, BotTestHost.Now));

        using var response = await host.PostAsync(BotTestHost.Message(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Bot.Turns);
    }

    [Fact]
    public async Task Configured_app_id_refuses_a_request_without_a_header_even_in_Development_on_loopback()
    {
        await using var host = await BotTestHost.StartAsync(BotTestHost.Settings(identity: null), environment: "Development");

        using var response = await host.PostAsync(BotTestHost.Message(), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Bot.Turns);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.8.9.10:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://localhost:3978", true)]
    [InlineData("https://LOCALHOST:3978", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://10.0.0.4:5000", false)]
    [InlineData("http://localhost.example.com:5000", false)]
    [InlineData("http://unix:/tmp/bot.sock", false)]
    public void Only_loopback_addresses_count_as_loopback(string address, bool expected) =>
        Assert.Equal(expected, AnonymousModeGuard.IsLoopback(address));
}
