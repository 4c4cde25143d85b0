using Engagements.BotFramework.Authentication;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Schema;
using Engagements.Testing;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Tests.Connector;

public sealed class OutboundAuthTests
{
    private static Activity Message() => new() { Type = ActivityTypes.Message, Text = "hi" };

    [Fact]
    public async Task Token_from_msal_is_attached_for_an_allow_listed_host_and_cached_across_sends()
    {
        await using var h = await ConnectorHarness.StartAuthenticatedAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(SendOutcome.Sent, (await h.Client.SendAsync(h.Fake.ServiceUrl, $"a:user-{i}", Message())).Outcome);
        }

        Assert.All(h.Fake.Requests, r => Assert.Equal("Bearer " + FakeTokenEndpoint.TokenNumber(1), r.Authorization));
        var tokenRequest = Assert.Single(h.Tokens.TokenRequests);
        Assert.Equal(ConnectorHarness.AppId, tokenRequest["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", tokenRequest["scope"]);
        Assert.Equal("client_credentials", tokenRequest["grant_type"]);
        Assert.Equal(
            new Uri($"https://login.microsoftonline.com/{ConnectorHarness.TenantId}/oauth2/v2.0/token"),
            Assert.Single(h.Tokens.TokenEndpointsCalled));
    }

    [Fact]
    public async Task Multi_tenant_bot_asks_botframework_com_for_its_token()
    {
        await using var h = await ConnectorHarness.StartAuthenticatedAsync(new() { ["Bot:AppType"] = "MultiTenant", ["Bot:TenantId"] = null });

        await h.Client.SendAsync(h.Fake.ServiceUrl, "a:user", Message());

        Assert.Equal("login.microsoftonline.com", Assert.Single(h.Tokens.TokenEndpointsCalled).Host);
        Assert.StartsWith("/botframework.com/", Assert.Single(h.Tokens.TokenEndpointsCalled).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_off_the_allow_list_gets_no_request_and_no_token_is_even_fetched()
    {
        // The Teams defaults only: the fake on 127.0.0.1 is not on the list.
        await using var h = await ConnectorHarness.StartAuthenticatedAsync(new() { ["Bot:AllowedServiceUrlHosts:0"] = "smba.trafficmanager.net" });

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, "a:user", Message());

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal("ServiceUrlNotAllowed", result.ErrorCode);
        Assert.Empty(h.Fake.Requests);
        Assert.Empty(h.Tokens.TokenRequests);
        await Assert.ThrowsAsync<ServiceUrlNotAllowedException>(() => h.Client.GetTeamChannelsAsync(h.Fake.ServiceUrl, "19:team"));
    }

    [Fact]
    public async Task Anonymous_mode_sends_no_authorization_header()
    {
        await using var h = await ConnectorHarness.StartAsync();

        await h.Client.SendAsync(h.Fake.ServiceUrl, "a:user", Message());

        Assert.Null(Assert.Single(h.Fake.Requests).Authorization);
        Assert.Empty(h.Tokens.TokenRequests);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "", true)]
    [InlineData("https://SMBA.trafficmanager.net/emea/", "", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", "", true)]
    [InlineData("https://evil.example/amer/", "", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/", "", false)]
    [InlineData("http://smba.trafficmanager.net/amer/", "", false)]
    [InlineData("http://localhost:56150/_connector", "", false)]
    [InlineData("https://eu.connector.contoso.com/", "*.contoso.com", true)]
    [InlineData("https://contoso.com/", "*.contoso.com", false)]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1", true)]
    public void Allow_list_with_an_app_id(string serviceUrl, string configured, bool allowed)
    {
        var options = new ConnectorOptions
        {
            AppId = ConnectorHarness.AppId,
            AllowedServiceUrlHosts = configured.Length == 0 ? null : [configured],
        };

        Assert.Equal(allowed, ServiceUrlAllowList.IsAllowed(new Uri(serviceUrl), options));
    }

    [Fact]
    public void Loopback_is_allowed_only_without_an_app_id()
    {
        var playground = new Uri("http://localhost:56150/_connector");

        Assert.True(ServiceUrlAllowList.IsAllowed(playground, new ConnectorOptions()));
        Assert.False(ServiceUrlAllowList.IsAllowed(playground, new ConnectorOptions { AppId = ConnectorHarness.AppId }));
    }

    [Fact]
    public void Single_tenant_bot_without_a_tenant_fails_validation()
    {
        var options = new ConnectorOptions { AppId = ConnectorHarness.AppId, AppPassword = "x" };

        Assert.Contains("Bot:TenantId is required for a SingleTenant bot.", options.Validate());
        Assert.Equal("https://login.microsoftonline.com/t1", new ConnectorOptions { TenantId = "t1" }.ResolveAuthority());
        Assert.Equal("https://login.microsoftonline.com/botframework.com", new ConnectorOptions { AppType = "MultiTenant" }.ResolveAuthority());
    }

    [Fact]
    public async Task Invalid_settings_fail_when_the_client_is_first_resolved()
    {
        await using var h = await ConnectorHarness.StartAsync(new() { ["Bot:AppId"] = ConnectorHarness.AppId });

        var failure = Assert.Throws<OptionsValidationException>(() => h.Get<IOptions<ConnectorOptions>>().Value);
        Assert.Contains("Bot:AppPassword is required when Bot:AppId is set.", failure.Failures);
    }

    [Fact]
    public async Task Token_provider_refuses_in_anonymous_mode()
    {
        var provider = new OutboundTokenProvider(Options.Create(new ConnectorOptions()));

        Assert.False(provider.IsEnabled);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetTokenAsync(CancellationToken.None));
    }
}
