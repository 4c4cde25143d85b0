using System.Text.Json.Nodes;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Schema;
using Engagements.Testing;

namespace Engagements.BotFramework.Tests.Connector;

public sealed class ConnectorClientTests
{
    private const string ChannelThread = "19:abc@thread.tacv2;messageid=1700000000000";
    private const string EscapedChannelThread = "19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000";
    private const string Personal = "a:1qhNXx-Sj_Q@unq.gbl.spaces";
    private const string EscapedPersonal = "a%3A1qhNXx-Sj_Q%40unq.gbl.spaces";

    private static Activity Message(string text = "hi") => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Conversation = new ConversationAccount { TenantId = ConnectorHarness.TenantId },
    };

    private static string ServiceUrl(ConnectorHarness h, bool trailingSlash) =>
        trailingSlash ? h.Fake.ServiceUrl : h.Fake.ServiceUrlWithoutTrailingSlash;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Send_posts_to_the_escaped_conversation_under_the_service_url_path(bool trailingSlash)
    {
        await using var h = await ConnectorHarness.StartAsync();

        var result = await h.Client.SendAsync(ServiceUrl(h, trailingSlash), ChannelThread, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal("1:1", result.ActivityId);
        Assert.False(result.Ambiguous);
        var request = Assert.Single(h.Fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/amer/v3/conversations/{EscapedChannelThread}/activities", request.RawPath);
        Assert.Equal(ChannelThread, request.ConversationId);
        Assert.Equal("hi", request.Activity?.Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_route_hits_its_url_with_each_id_segment_escaped(bool trailingSlash)
    {
        await using var h = await ConnectorHarness.StartAsync();
        var url = ServiceUrl(h, trailingSlash);
        h.Fake.AddMembers(Personal, new ChannelAccount { Id = "29:user@x", Name = "Ada" });
        h.Fake.AddTeamChannels("19:team@thread.tacv2", new ChannelInfo { Id = "19:team@thread.tacv2" }, new ChannelInfo { Id = "19:ops@thread.tacv2", Name = "Ops" });

        Assert.True((await h.Client.ReplyAsync(url, Personal, "1:9;x", Message())).Succeeded);
        Assert.True((await h.Client.UpdateAsync(url, Personal, "1:9;x", Message("edited"))).Succeeded);
        Assert.True((await h.Client.DeleteAsync(url, Personal, "1:9;x")).Succeeded);
        Assert.Equal("Ada", (await h.Client.GetMemberAsync(url, Personal, "29:user@x"))?.Name);
        Assert.Single((await h.Client.GetPagedMembersAsync(url, Personal, 50)).Members);
        Assert.Equal(2, (await h.Client.GetTeamChannelsAsync(url, "19:team@thread.tacv2")).Count);
        Assert.True((await h.Client.CreateConversationAsync(url, TeamsConversations.Personal("28:bot", "29:user@x", ConnectorHarness.TenantId))).Succeeded);

        Assert.Equal(
            [
                $"POST /amer/v3/conversations/{EscapedPersonal}/activities/1%3A9%3Bx",
                $"PUT /amer/v3/conversations/{EscapedPersonal}/activities/1%3A9%3Bx",
                $"DELETE /amer/v3/conversations/{EscapedPersonal}/activities/1%3A9%3Bx",
                $"GET /amer/v3/conversations/{EscapedPersonal}/members/29%3Auser%40x",
                $"GET /amer/v3/conversations/{EscapedPersonal}/pagedmembers",
                "GET /amer/v3/teams/19%3Ateam%40thread.tacv2/conversations",
                "POST /amer/v3/conversations",
            ],
            h.Fake.Requests.Select(r => $"{r.Method} {r.RawPath}"));
        Assert.All(h.Fake.Requests.Take(3), r => Assert.Equal("1:9;x", r.ActivityId));
        Assert.Equal("1:9;x", h.Fake.Requests[0].Activity?.ReplyToId);
        Assert.Equal("?pageSize=50", h.Fake.Requests[4].Query);
    }

    [Fact]
    public async Task Personal_conversation_names_the_tenant_top_level_and_in_channel_data()
    {
        await using var h = await ConnectorHarness.StartAsync();
        var parameters = new ConversationParameters
        {
            Bot = new ChannelAccount { Id = "28:bot" },
            Members = [new ChannelAccount { Id = "29:user" }],
            TenantId = ConnectorHarness.TenantId,
        };

        var result = await h.Client.CreateConversationAsync(h.Fake.ServiceUrl, parameters);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.StartsWith("a:fake-conversation-", result.ConversationId, StringComparison.Ordinal);
        var body = Assert.Single(h.Fake.Requests).Body!;
        Assert.Equal(ConnectorHarness.TenantId, (string?)body["tenantId"]);
        Assert.Equal(ConnectorHarness.TenantId, (string?)body["channelData"]?["tenant"]?["id"]);
        Assert.Equal("28:bot", (string?)body["bot"]?["id"]);
        Assert.Equal("29:user", (string?)body["members"]?[0]?["id"]);
        Assert.Null(parameters.ChannelData);
    }

    [Fact]
    public async Task Channel_thread_is_created_with_its_first_activity()
    {
        await using var h = await ConnectorHarness.StartAsync();

        var result = await h.Client.CreateConversationAsync(
            h.Fake.ServiceUrl, TeamsConversations.ChannelThread("19:ops@thread.tacv2", ConnectorHarness.TenantId, Message("kick-off")));

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal($"19:ops@thread.tacv2;messageid={result.ActivityId}", result.ConversationId);
        var body = Assert.Single(h.Fake.Requests).Body!;
        Assert.True((bool?)body["isGroup"]);
        Assert.Equal("19:ops@thread.tacv2", (string?)body["channelData"]?["channel"]?["id"]);
        Assert.Equal(ConnectorHarness.TenantId, (string?)body["channelData"]?["tenant"]?["id"]);
        Assert.Equal("kick-off", (string?)body["activity"]?["text"]);
    }

    [Fact]
    public async Task All_members_are_read_page_by_page()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.AddMembers(Personal, [.. Enumerable.Range(0, 120).Select(i => new ChannelAccount { Id = $"29:u{i}" })]);

        var members = await h.Client.GetAllMembersAsync(h.Fake.ServiceUrl, Personal, pageSize: 50).ToListAsync();

        Assert.Equal(120, members.Count);
        Assert.Equal(3, h.Fake.Requests.Count);
        Assert.Equal("?pageSize=50&continuationToken=100", h.Fake.Requests[2].Query);
    }

    [Fact]
    public async Task Unknown_member_is_null()
    {
        await using var h = await ConnectorHarness.StartAsync();

        Assert.Null(await h.Client.GetMemberAsync(h.Fake.ServiceUrl, Personal, "29:nobody"));
    }

    [Fact]
    public async Task Accepted_without_an_id_is_sent()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondNext(202);

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Null(result.ActivityId);
        Assert.Equal(202, result.StatusCode);
    }

    [Fact]
    public async Task Throttled_send_waits_out_retry_after_then_is_sent()
    {
        var time = new InstantDelayTimeProvider();
        await using var h = await ConnectorHarness.StartAsync(time: time);
        h.Fake.RespondNext(429, retryAfter: TimeSpan.FromSeconds(3));

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.False(result.Ambiguous);
        Assert.Equal([429, 201], h.Fake.Requests.Select(r => r.ResponseStatus));
        Assert.Contains(TimeSpan.FromSeconds(3), time.Delays);
        Assert.True(h.Fake.Requests[1].Timestamp - h.Fake.Requests[0].Timestamp >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        var time = new InstantDelayTimeProvider();
        await using var h = await ConnectorHarness.StartAsync(time: time);
        var retryAt = time.GetUtcNow().AddSeconds(10).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        h.Fake.RespondNext(429, headers: new Dictionary<string, string> { ["Retry-After"] = retryAt });

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Contains(TimeSpan.FromSeconds(10), time.Delays);
    }

    [Fact]
    public async Task Throttled_beyond_the_retry_budget_reports_retry_after()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondAlways(429, retryAfter: TimeSpan.FromSeconds(2));

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), result.RetryAfter);
        Assert.False(result.Ambiguous);
        Assert.Equal(5, h.Fake.Requests.Count);
    }

    [Fact]
    public async Task A_retry_after_too_long_to_wait_in_process_is_handed_back_at_once()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondNext(429, retryAfter: TimeSpan.FromMinutes(5));

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(5), result.RetryAfter);
        Assert.Single(h.Fake.Requests);
    }

    [Fact]
    public async Task Unavailable_send_is_retried_with_growing_backoff_and_marked_ambiguous()
    {
        var time = new InstantDelayTimeProvider();
        await using var h = await ConnectorHarness.StartAsync(time: time);
        h.Fake.RespondNext(503, times: 2);

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        // The 503s may have landed: a caller recording possible duplicates needs to know.
        Assert.True(result.Ambiguous);
        Assert.Equal([503, 503, 201], h.Fake.Requests.Select(r => r.ResponseStatus));
        var backoff = time.Delays.Where(d => d > TimeSpan.Zero).ToList();
        Assert.Equal(2, backoff.Count);
        Assert.InRange(backoff[0], TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.InRange(backoff[1], TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
    }

    [Fact]
    public async Task Send_that_stays_unavailable_fails_as_ambiguous_after_the_retry_budget()
    {
        await using var h = await ConnectorHarness.StartAsync(new() { ["Bot:MaxRetries"] = "3" });
        h.Fake.RespondAlways(503);

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.True(result.Ambiguous);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(4, h.Fake.Requests.Count);
    }

    [Fact]
    public async Task A_caller_that_checks_for_itself_gets_the_first_ambiguous_answer_back_instead_of_a_second_post()
    {
        await using var h = await ConnectorHarness.StartAsync(time: new InstantDelayTimeProvider());
        h.Fake.RespondNext(503);

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message(), retryAmbiguous: false);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.True(result.Ambiguous);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal([503], h.Fake.Requests.Select(r => r.ResponseStatus));
    }

    [Fact]
    public async Task A_caller_that_checks_for_itself_still_gets_throttled_posts_retried_as_they_never_landed()
    {
        await using var h = await ConnectorHarness.StartAsync(time: new InstantDelayTimeProvider());
        h.Fake.RespondNext(429, TimeSpan.FromSeconds(1));
        h.Fake.RespondNext(412);

        var result = await h.Client.CreateConversationAsync(
            h.Fake.ServiceUrl, TeamsConversations.ChannelThread("19:abc@thread.tacv2", ConnectorHarness.TenantId, Message()), retryAmbiguous: false);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.False(result.Ambiguous);
        Assert.Equal([429, 412, 201], h.Fake.Requests.Select(r => r.ResponseStatus));
    }

    [Fact]
    public async Task Update_is_idempotent_so_a_5xx_is_not_ambiguous()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondAlways(502);

        var result = await h.Client.UpdateAsync(h.Fake.ServiceUrl, Personal, "1:1", Message());

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.False(result.Ambiguous);
        Assert.Equal(5, h.Fake.Requests.Count);
    }

    [Fact]
    public async Task Blocked_user_is_reported_once_and_never_retried()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondNextWritesBlocked(Personal);

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.WritesBlocked, result.Outcome);
        Assert.Equal("MessageWritesBlocked", result.ErrorCode);
        Assert.Equal(403, result.StatusCode);
        Assert.Single(h.Fake.Requests);
    }

    [Fact]
    public async Task Other_forbidden_is_a_plain_failure()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondNext(403, body: """{"error":{"code":"BotNotInConversationRoster","message":"nope"}}""");

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal("BotNotInConversationRoster", result.ErrorCode);
        Assert.Equal("nope", result.ErrorMessage);
        Assert.Single(h.Fake.Requests);
    }

    [Fact]
    public async Task Missing_conversation_means_the_recipient_is_gone()
    {
        await using var h = await ConnectorHarness.StartAsync();
        h.Fake.RespondNext(404, body: """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""");

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.RecipientGone, result.Outcome);
        Assert.Equal("ConversationNotFound", result.ErrorCode);
        Assert.Single(h.Fake.Requests);
    }

    [Fact]
    public async Task Timed_out_send_is_retried_and_marked_ambiguous()
    {
        await using var h = await ConnectorHarness.StartAsync(
            new() { ["Bot:RequestTimeout"] = "00:00:00.200", ["Bot:MaxRetries"] = "1", ["Bot:RetryBaseDelay"] = "00:00:00.010" }, TimeProvider.System);
        h.Fake.RespondNext(201, body: """{"id":"late"}""", stall: TimeSpan.FromSeconds(5));

        var result = await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message());

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.True(result.Ambiguous);
    }

    [Fact]
    public async Task Invalid_service_url_fails_without_a_request()
    {
        await using var h = await ConnectorHarness.StartAsync();

        var result = await h.Client.SendAsync("not a url", Personal, Message());

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal("InvalidServiceUrl", result.ErrorCode);
    }

    [Fact]
    public async Task A_burst_of_100_sends_to_one_conversation_stays_inside_every_teams_window()
    {
        var time = new InstantDelayTimeProvider();
        await using var h = await ConnectorHarness.StartAsync(time: time);
        h.Fake.EnforceTeamsLimits = true;

        // One flow at a time keeps the instant clock exact (see InstantDelayTimeProvider).
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(SendOutcome.Sent, (await h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message($"#{i}"))).Outcome);
        }

        Assert.All(h.Fake.Requests, r => Assert.Equal(201, r.ResponseStatus));
        Pacing.AssertWithinTeamsWindows(h.Fake.Requests.Select(r => r.Timestamp).ToList());
    }

    [Fact]
    public async Task Sends_are_paced_in_real_time_without_provoking_a_429()
    {
        await using var h = await ConnectorHarness.StartAsync(time: TimeProvider.System);
        h.Fake.EnforceTeamsLimits = true;
        // Warm the connection pool and both ends' JIT first: a cold first request arrives late, which squeezes the
        // measured gap to the 8th below what the limiter's safety margin absorbs.
        await Task.WhenAll(Enumerable.Range(0, 7).Select(i => h.Client.SendAsync(h.Fake.ServiceUrl, $"a:warm-up-{i}", Message())));
        var started = TimeProvider.System.GetTimestamp();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => h.Client.SendAsync(h.Fake.ServiceUrl, Personal, Message($"#{i}"))));

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.All(h.Fake.Requests, r => Assert.Equal(201, r.ResponseStatus));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1));
        Pacing.AssertWithinTeamsWindows(h.Fake.Requests.Where(r => r.ConversationId == Personal).Select(r => r.Timestamp).Order().ToList());
    }
}
