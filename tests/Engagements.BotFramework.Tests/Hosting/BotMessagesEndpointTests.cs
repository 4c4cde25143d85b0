using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.BotFramework.Schema;
using Engagements.Testing;

namespace Engagements.BotFramework.Tests.Hosting;

public sealed class BotMessagesEndpointTests : IAsyncLifetime
{
    private LoopbackIdentityProvider _identity = null!;
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _identity = await LoopbackIdentityProvider.StartAsync();
        var settings = BotTestHost.Settings(_identity);
        settings["Bot:AllowedTenants:0"] = BotTestHost.TenantId;
        settings["Bot:MaxRequestBodyBytes"] = "4096";
        _host = await BotTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _identity.DisposeAsync();
    }

    private string Token => _identity.MintToken(TokenSpec.ForChannel(BotTestHost.AppId, BotTestHost.ServiceUrl, BotTestHost.Now));

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PATCH")]
    public async Task Methods_other_than_POST_get_405_and_never_reach_the_bot(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/messages");
        request.Headers.Add("Authorization", $"Bearer {Token}");
        if (method is "PUT" or "PATCH")
            request.Content = new StringContent(JsonSerializer.Serialize(BotTestHost.Message(), BotJson.Options), Encoding.UTF8, "application/json");

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Body_that_is_not_an_activity_gets_400(string body)
    {
        using var response = await _host.PostRawAsync(body, $"Bearer {Token}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Activity_without_a_type_gets_400()
    {
        var activity = BotTestHost.Message();
        activity.Type = null;

        using var response = await _host.PostAsync(activity, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Body_without_an_Authorization_header_is_refused_before_it_is_parsed()
    {
        using var response = await _host.PostRawAsync("{not json", authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_limit_by_Content_Length_gets_413()
    {
        var activity = BotTestHost.Message();
        activity.Text = new string('x', 5000);

        using var response = await _host.PostAsync(activity, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_gets_413()
    {
        var activity = BotTestHost.Message();
        activity.Text = new string('x', 5000);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(activity, BotJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StreamContent(new UnknownLengthStream(bytes)) };
        request.Headers.Add("Authorization", $"Bearer {Token}");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _host.Client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Message_gets_200_with_an_empty_body_after_the_turn()
    {
        using var response = await _host.PostAsync(BotTestHost.Message(), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var turn = Assert.Single(_host.Bot.Turns);
        Assert.Equal("help", turn.Text);
    }

    [Fact]
    public async Task Invoke_the_bot_does_not_answer_gets_501()
    {
        using var response = await _host.PostAsync(Invoke(), Token);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Single(_host.Bot.Turns);
    }

    [Fact]
    public async Task Invoke_response_status_and_body_are_written_as_Bot_Framework_JSON()
    {
        _host.Bot.Respond = _ => new InvokeResponse(200, AdaptiveCardInvokeResponse.Message("Saved"));

        using var response = await _host.PostAsync(Invoke(), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal(AdaptiveCardInvokeResponse.MessageType, (string?)body["type"]);
        Assert.Equal("Saved", (string?)body["value"]);
    }

    [Fact]
    public async Task Invoke_response_without_a_body_writes_only_the_status()
    {
        _host.Bot.Respond = _ => new InvokeResponse(202);

        using var response = await _host.PostAsync(Invoke(), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Activity_from_another_channel_with_a_genuine_token_is_acknowledged_and_ignored()
    {
        var token = _identity.MintToken(TokenSpec.ForChannel(BotTestHost.AppId, BotTestHost.ServiceUrl, BotTestHost.Now) with { SigningKey = _identity.OtherChannelKey });

        using var response = await _host.PostAsync(BotTestHost.Message(channelId: LoopbackIdentityProvider.OtherChannel), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Activity_from_a_tenant_outside_the_allow_list_is_acknowledged_and_ignored()
    {
        var activity = BotTestHost.Message();
        activity.Conversation!.TenantId = "00000000-0000-0000-0000-00000000bad0";

        using var response = await _host.PostAsync(activity, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Activity_without_any_tenant_is_ignored_when_an_allow_list_is_set()
    {
        var activity = BotTestHost.Message();
        activity.Conversation!.TenantId = null;

        using var response = await _host.PostAsync(activity, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_host.Bot.Turns);
    }

    [Fact]
    public async Task Tenant_from_channelData_counts_when_the_conversation_has_none()
    {
        var activity = BotTestHost.Message();
        activity.Conversation!.TenantId = null;
        activity.ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = BotTestHost.TenantId } };

        using var response = await _host.PostAsync(activity, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Bot.Turns);
    }

    private static Activity Invoke()
    {
        var activity = BotTestHost.Message(type: ActivityTypes.Invoke);
        activity.Name = InvokeNames.AdaptiveCardAction;
        activity.Text = null;
        return activity;
    }

    // A stream that cannot report its length, so HttpClient must send it chunked.
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
