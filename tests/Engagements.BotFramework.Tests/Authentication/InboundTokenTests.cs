using System.Net;
using Engagements.BotFramework.Schema;
using Engagements.BotFramework.Tests.Hosting;
using Engagements.Testing;

namespace Engagements.BotFramework.Tests.Authentication;

/// <summary>The bad-token checklist of notes §8.1–§8.3, applied to Bot Connector (channel) tokens, through the real endpoint.</summary>
public sealed class InboundTokenTests : IAsyncLifetime
{
    private LoopbackIdentityProvider _identity = null!;
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _identity = await LoopbackIdentityProvider.StartAsync();
        _host = await BotTestHost.StartAsync(BotTestHost.Settings(_identity));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _identity.DisposeAsync();
    }

    private static TokenSpec Valid => TokenSpec.ForChannel(BotTestHost.AppId, BotTestHost.ServiceUrl, BotTestHost.Now);

    [Fact]
    public async Task Valid_Connector_token_is_accepted_and_the_bot_called_once()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Single(_host.Bot.Turns);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task Tokens_signed_with_RS384_and_RS512_are_accepted(string algorithm)
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid with { Algorithm = algorithm }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Bot.Turns);
    }

    [Fact]
    public async Task Request_without_an_Authorization_header_is_refused()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), token: null);

        await AssertRefusedAsync(response);
    }

    [Theory]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("Potato {0}")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("{0}")]
    [InlineData("Bearer {0} extra")]
    [InlineData("Bearer  {0}")]
    [InlineData("")]
    public async Task Authorization_header_that_is_not_exactly_Bearer_and_a_token_is_refused(string format)
    {
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, _identity.MintToken(Valid));

        using var response = await _host.PostRawAsync(Json(BotTestHost.Message()), header);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Garbage_bearer_token_is_refused()
    {
        using var response = await _host.PostRawAsync(Json(BotTestHost.Message()), "Bearer not.a.jwt");

        await AssertRefusedAsync(response);
    }

    [Theory]
    [InlineData("https://api.botframework.com/")]
    [InlineData("https://API.botframework.com")]
    [InlineData("https://api.BotFramework.com")]
    [InlineData("http://api.botframework.com")]
    [InlineData("https://api.botframework.us")]
    [InlineData("")]
    public async Task Token_from_any_issuer_but_exactly_api_botframework_com_is_refused(string issuer)
    {
        await AssertRefusedAsync(Valid with { Issuer = issuer });
    }

    [Fact]
    public async Task Token_without_an_issuer_is_refused() => await AssertRefusedAsync(Valid with { Issuer = null });

    [Fact]
    public async Task Token_without_aud_is_refused() => await AssertRefusedAsync(Valid with { Audience = null });

    [Fact]
    public async Task Token_with_an_empty_aud_is_refused() => await AssertRefusedAsync(Valid with { Audience = "" });

    [Theory]
    [InlineData("abc")]
    [InlineData("6F1C2A4E-0D3B-4C55-9A7E-2B8F1E0C9D11")]
    [InlineData("https://api.botframework.com")]
    public async Task Token_for_another_audience_is_refused(string audience) =>
        await AssertRefusedAsync(Valid with { Audience = audience });

    [Fact]
    public async Task Token_whose_aud_array_holds_the_app_id_among_others_is_refused() =>
        await AssertRefusedAsync(Valid with { Audience = new[] { BotTestHost.AppId, "https://api.botframework.com" } });

    [Fact]
    public async Task Token_whose_aud_array_holds_only_the_app_id_is_accepted()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid with { Audience = new[] { BotTestHost.AppId } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Bot.Turns);
    }

    [Fact]
    public async Task Token_without_a_serviceurl_claim_is_refused() => await AssertRefusedAsync(Valid with { ServiceUrl = null });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Token_with_a_blank_serviceurl_claim_is_refused(string serviceUrl) =>
        await AssertRefusedAsync(Valid with { ServiceUrl = serviceUrl });

    [Fact]
    public async Task Token_whose_serviceurl_names_another_service_is_refused() =>
        await AssertRefusedAsync(Valid with { ServiceUrl = "https://attacker.example/amer/" });

    [Fact]
    public async Task Serviceurl_that_differs_only_by_a_trailing_slash_is_refused_because_urls_are_not_normalised() =>
        await AssertRefusedAsync(Valid with { ServiceUrl = BotTestHost.ServiceUrl.TrimEnd('/') });

    [Fact]
    public async Task Serviceurl_that_differs_only_by_case_is_accepted()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid with { ServiceUrl = BotTestHost.ServiceUrl.ToUpperInvariant() }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Activity_without_a_serviceUrl_is_refused_even_with_a_valid_token() =>
        await AssertRefusedAsync(Valid, BotTestHost.Message(serviceUrl: null));

    [Fact]
    public async Task Expired_token_beyond_the_five_minute_skew_is_refused() =>
        await AssertRefusedAsync(Valid with { NotBefore = BotTestHost.Now.AddHours(-2), Expires = BotTestHost.Now.AddMinutes(-5).AddSeconds(-1) });

    [Fact]
    public async Task Expired_token_within_the_five_minute_skew_is_accepted()
    {
        var token = _identity.MintToken(Valid with { NotBefore = BotTestHost.Now.AddHours(-2), Expires = BotTestHost.Now.AddMinutes(-4) });

        using var response = await _host.PostAsync(BotTestHost.Message(), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_accepted_now_is_refused_once_the_clock_passes_its_expiry_plus_skew()
    {
        var token = _identity.MintToken(Valid);
        using (var first = await _host.PostAsync(BotTestHost.Message(), token))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        _host.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var second = await _host.PostAsync(BotTestHost.Message(), token);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Single(_host.Bot.Turns);
    }

    [Fact]
    public async Task Token_without_exp_is_refused() => await AssertRefusedAsync(Valid with { Expires = null });

    [Fact]
    public async Task Token_not_valid_until_beyond_the_five_minute_skew_is_refused() =>
        await AssertRefusedAsync(Valid with { NotBefore = BotTestHost.Now.AddMinutes(5).AddSeconds(1) });

    [Fact]
    public async Task Token_not_valid_until_within_the_five_minute_skew_is_accepted()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid with { NotBefore = BotTestHost.Now.AddMinutes(4) }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unsigned_token_with_alg_none_is_refused() => await AssertRefusedAsync(Valid with { Algorithm = "none" });

    [Fact]
    public async Task Token_with_alg_HS256_keyed_with_the_public_key_is_refused() => await AssertRefusedAsync(Valid with { Algorithm = "HS256" });

    [Fact]
    public async Task Agents_Playground_dummy_HS256_token_is_refused()
    {
        var playground = new TokenSpec
        {
            Issuer = null,
            Algorithm = "HS256",
            ServiceUrl = BotTestHost.ServiceUrl,
            ExtraClaims = new Dictionary<string, object> { ["iat"] = BotTestHost.Now.ToUnixTimeSeconds() },
        };

        await AssertRefusedAsync(playground);
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_under_a_published_kid_is_refused()
    {
        using var forged = LoopbackIdentityProvider.CreateKey(_identity.TeamsKey.Kid, "msteams");

        await AssertRefusedAsync(Valid with { SigningKey = forged });
    }

    [Fact]
    public async Task Token_without_a_kid_is_refused() => await AssertRefusedAsync(Valid with { KeyId = "" });

    [Fact]
    public async Task Unknown_kid_refreshes_the_keys_once_and_is_then_refused()
    {
        await WarmUpKeysAsync();
        using var stranger = LoopbackIdentityProvider.CreateKey("stranger", "msteams");

        await AssertRefusedAsync(Valid with { SigningKey = stranger });

        Assert.Equal(2, _identity.JwksFetchCount);
    }

    [Fact]
    public async Task Unknown_kids_force_at_most_one_key_refresh_per_five_minutes()
    {
        await WarmUpKeysAsync();
        using var stranger = LoopbackIdentityProvider.CreateKey("stranger", "msteams");
        await AssertRefusedAsync(Valid with { SigningKey = stranger });
        await AssertRefusedAsync(Valid with { SigningKey = stranger });
        Assert.Equal(2, _identity.JwksFetchCount);

        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await AssertRefusedAsync(Valid with { SigningKey = stranger, NotBefore = _host.Time.GetUtcNow(), Expires = _host.Time.GetUtcNow().AddHours(1) });

        Assert.Equal(3, _identity.JwksFetchCount);
    }

    [Fact]
    public async Task Rolled_over_key_is_accepted_after_the_keys_are_refreshed()
    {
        await WarmUpKeysAsync();
        _identity.Publish(_identity.UnpublishedKey);

        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid with { SigningKey = _identity.UnpublishedKey }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _identity.JwksFetchCount);
        Assert.Equal(2, _host.Bot.Turns.Count);
    }

    [Fact]
    public async Task Token_signed_by_a_key_endorsed_only_for_another_channel_is_refused() =>
        await AssertRefusedAsync(Valid with { SigningKey = _identity.OtherChannelKey });

    [Fact]
    public async Task Token_signed_by_a_key_without_endorsements_is_refused() =>
        await AssertRefusedAsync(Valid with { SigningKey = _identity.UnendorsedKey });

    [Fact]
    public async Task Token_signed_by_a_key_with_an_empty_endorsement_list_is_refused()
    {
        using var empty = LoopbackIdentityProvider.CreateKey("empty-endorsements");
        _identity.Publish(empty);

        await AssertRefusedAsync(Valid with { SigningKey = empty });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("emulator")]
    [InlineData("MSTEAMS")]
    public async Task Activity_whose_channel_the_Teams_key_is_not_endorsed_for_is_refused(string? channelId) =>
        await AssertRefusedAsync(Valid, BotTestHost.Message(channelId: channelId));

    [Fact]
    public async Task Emulator_style_Entra_token_is_refused()
    {
        var tenant = Guid.NewGuid().ToString();
        var entra = Valid with
        {
            Issuer = $"https://login.microsoftonline.com/{tenant}/v2.0",
            ServiceUrl = null,
            ExtraClaims = new Dictionary<string, object>
            {
                ["ver"] = "2.0",
                ["azp"] = BotTestHost.AppId,
                ["appid"] = BotTestHost.AppId,
                ["tid"] = tenant,
            },
        };

        await AssertRefusedAsync(entra);
    }

    [Fact]
    public async Task Refusals_are_logged_with_a_reason_but_never_with_the_token()
    {
        var token = _identity.MintToken(Valid with { Audience = "abc" });

        using var response = await _host.PostAsync(BotTestHost.Message(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_host.Logs.Lines, line => line.Contains("aud is not exactly the app id", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains(token.Split('.')[1], StringComparison.Ordinal));
    }

    private async Task WarmUpKeysAsync()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), _identity.MintToken(Valid));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _identity.JwksFetchCount);
    }

    private async Task AssertRefusedAsync(TokenSpec spec, Activity? activity = null)
    {
        var turnsBefore = _host.Bot.Turns.Count;
        using var response = await _host.PostAsync(activity ?? BotTestHost.Message(), _identity.MintToken(spec));

        await AssertRefusedAsync(response, turnsBefore);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, int turnsBefore = 0)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(turnsBefore, _host.Bot.Turns.Count);
    }

    private static string Json(Activity activity) => System.Text.Json.JsonSerializer.Serialize(activity, BotJson.Options);
}
