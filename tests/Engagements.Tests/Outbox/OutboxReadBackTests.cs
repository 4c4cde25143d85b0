using System.Text.Json.Nodes;
using Engagements.Bot;
using Engagements.Conversations;
using Engagements.Outbox;
using Engagements.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

using static Engagements.Tests.Outbox.OutboxHost;

namespace Engagements.Tests.Outbox;

// A post whose outcome was lost (a 5xx or timeout on the POST, or an instance that died holding it) may already be in
// Teams. Before sending it again the outbox reads the conversation back through Graph (the fake connector's Graph
// double lists exactly the posts it kept), so the message ends up in Teams once.
public sealed class OutboxReadBackTests
{
    private const string GroupChat = "19:group-chat@thread.v2";
    private const string Channel = "19:engagements-channel@thread.tacv2";

    [Fact]
    public async Task A_post_that_landed_behind_a_503_is_found_by_reading_the_chat_back_and_not_posted_again()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w =>
        {
            var post = w.SendToConversation(GroupChat, Messages.Text("**Contoso** kickoff is booked"), "kickoff");
            w.UpdatePosted(post, Messages.Text("Contoso kickoff moved to Tuesday"));
        });
        app.Connector.RespondNext(503, landed: true);

        var first = await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await app.DeliverOutboxAsync();

        Assert.Equal((0, 1), (first.Sent, first.Retrying));
        Assert.Equal(2, second.Sent);
        var landed = Assert.Single(app.Connector.Requests, r => r.Landed);
        Assert.Equal(503, landed.ResponseStatus);
        Assert.Single(app.Connector.Requests, r => r.Route == "SendToConversation");
        var read = Assert.Single(app.Connector.Requests, r => r.Route == "GraphChatMessages");
        Assert.Equal(GroupChat, read.ConversationId);
        Assert.Contains("$filter=lastModifiedDateTime%20gt%20", read.Query);

        var row = await app.QueryAsync(db => db.OutboxMessages.PostedWith("kickoff").SingleAsync());
        Assert.Equal((OutboxState.Sent, landed.PostedActivityId), (row.State, row.ResultActivityId));
        Assert.StartsWith("read back through Graph: it had landed as " + landed.PostedActivityId, row.LastError);
        Assert.Empty(await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().ToListAsync()));
        var update = Assert.Single(app.Connector.Requests, r => r.Route == "UpdateActivity");
        Assert.Equal(landed.PostedActivityId, update.ActivityId);
    }

    [Fact]
    public async Task A_post_that_did_not_land_is_sent_once_after_reading_back_proves_it_absent()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("Contoso usage dropped 40 %"), "usage"));
        app.Connector.RespondNext(503);

        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await app.DeliverOutboxAsync();

        Assert.Equal(1, second.Sent);
        Assert.Equal(["SendToConversation", "GraphChatMessages", "SendToConversation"], app.Connector.Requests.Select(r => r.Route));
        var landed = Assert.Single(app.Connector.Requests, r => r.Landed);
        var row = await app.QueryAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(landed.PostedActivityId, row.ResultActivityId);
        Assert.Equal("read back through Graph: it had not landed; sent now; before that, the post answered 503 and may have landed", row.LastError);
        Assert.Empty(await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().ToListAsync()));
    }

    [Fact]
    public async Task A_channel_card_taken_over_from_a_dead_instance_is_told_from_an_identical_card_by_its_marker()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, Channel, "channel");
        var card = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5", ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "Approve Alex for Contoso?" }) };
        await WriteAsync(app, w =>
        {
            w.SendToConversation(Channel, Messages.Card(card.DeepClone().AsObject()), "approval:1");
            w.SendToConversation(Channel, Messages.Card(card.DeepClone().AsObject()), "approval:2");
        });
        await app.DeliverOutboxAsync();
        // The second card reached Teams, but its instance died before recording it: the row is pending, its lease
        // expired, and what Teams holds is two identical cards but for their markers.
        var second = await app.QueryAsync(db => db.OutboxMessages.PostedWith("approval:2").SingleAsync());
        var landedActivityId = await PostBehindTheOutboxAsync(app, second);
        await app.ExecuteAsync(db => db.OutboxMessages.Where(m => m.Sequence == second.Sequence).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Pending)
            .SetProperty(m => m.ResultActivityId, (string?)null)
            .SetProperty(m => m.ResultConversationId, (string?)null)
            .SetProperty(m => m.SentAt, (DateTimeOffset?)null)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.LeaseOwner, "dead-instance")
            .SetProperty(m => m.LeaseUntil, app.Clock.GetUtcNow().AddSeconds(-1))));

        var takeover = await app.DeliverOutboxAsync();

        Assert.Equal(1, takeover.Sent);
        Assert.Equal(3, app.Connector.Requests.Count(r => r.Route == "CreateConversation"));
        var read = Assert.Single(app.Connector.Requests, r => r.Route == "GraphChannelMessagesDelta");
        Assert.Equal($"/v1.0/teams/{TeamGroupId}/channels/{Uri.EscapeDataString(Channel)}/messages/delta", read.RawPath);
        var row = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Sequence == second.Sequence));
        Assert.Equal(landedActivityId, row.ResultActivityId);
        Assert.Equal($"{Channel};messageid={landedActivityId}", row.ResultConversationId);
        Assert.StartsWith("read back through Graph: it had landed", row.LastError);
        Assert.EndsWith("; before that, the lease expired while held by dead-instance", row.LastError);
        var markers = app.Connector.Requests.Where(r => r.Route == "CreateConversation")
            .Select(r => r.Body?["activity"]?["attachments"]?[0]?["content"]?["id"]?.GetValue<string>()).ToList();
        Assert.Equal(PostReadBack.MarkerFor(second.Sequence), markers[^1]);
        Assert.NotEqual(markers[0], markers[^1]);
    }

    [Fact]
    public async Task Without_read_permission_the_post_is_sent_again_flagged_for_admins_and_the_fix_is_logged()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("Contoso is live"), "live"));
        app.Connector.RespondNext(503, landed: true);
        app.Connector.RespondNext(403, body: """{"error":{"code":"Forbidden","message":"Missing role permissions on the request."}}""");

        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.DeliverOutboxAsync();

        Assert.Equal(2, app.Connector.Requests.Count(r => r.Landed));
        var row = await app.QueryAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.StartsWith("ambiguous", row.LastError);
        Assert.Single(await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().ToListAsync()));
        Assert.Contains(app.Logs.Lines, line => line.Contains("Graph answered 403", StringComparison.Ordinal) && line.Contains("ChatMessage.Read.Chat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_Graph_cannot_be_reached_the_post_is_not_held_back_but_sent_again_and_flagged()
    {
        // Nothing listens on the discard port: every read fails to connect.
        await using var app = await StartAsync(("Outbox:ReadBack:GraphBaseUrl", "http://127.0.0.1:9/v1.0"));
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("Contoso health is red"), "health"));
        app.Connector.RespondNext(503);

        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await app.DeliverOutboxAsync();

        Assert.Equal(1, second.Sent);
        Assert.StartsWith("ambiguous", (await app.QueryAsync(db => db.OutboxMessages.SingleAsync())).LastError);
        Assert.Contains(app.Logs.Lines, line => line.Contains("Graph could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_1_to_1_chat_cannot_be_read_back_so_its_post_is_sent_again_and_flagged_as_before()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, "a:alex-chat", "personal", userAadObjectId: "00000000-0000-0000-0000-0000000000a1", userId: "29:alex");
        await WriteAsync(app, w => w.SendToUser("00000000-0000-0000-0000-0000000000a1", Messages.Text("Your Contoso account works?"), "ask"));
        app.Connector.RespondNext(503, landed: true);

        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await app.DeliverOutboxAsync();

        Assert.Equal(1, second.Sent);
        Assert.Equal([503, 201], app.Connector.Requests.Select(r => r.ResponseStatus));
        Assert.DoesNotContain(app.Connector.Requests, r => r.Route.StartsWith("Graph", StringComparison.Ordinal));
        Assert.StartsWith("ambiguous", (await app.QueryAsync(db => db.OutboxMessages.SingleAsync())).LastError);
        Assert.Single(await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().ToListAsync()));
    }

    [Fact]
    public async Task With_credentials_Graph_is_read_with_an_app_token_for_the_conversation_s_tenant()
    {
        var tokens = new FakeTokenEndpoint();
        await using var app = await StartAsync(new TokenApplication(tokens), ("Bot:AppId", "5e0c1b7a-2f3d-4c8e-9a1b-7d6e5f4a3b2c"), ("Bot:AppPassword", "test-secret"), ("Bot:TenantId", "8a1d4c7e-5b2f-4e3a-9c6d-1f0e2b3a4c5d"),
            ("Bot:AllowedServiceUrlHosts:0", "127.0.0.1"));
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("Contoso renewal is due"), "renewal"));
        app.Connector.RespondNext(503, landed: true);

        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.DeliverOutboxAsync();

        var read = Assert.Single(app.Connector.Requests, r => r.Route == "GraphChatMessages");
        Assert.StartsWith("Bearer ", read.Authorization);
        var graphToken = Assert.Single(tokens.TokenRequests, t => t["scope"] == "https://graph.microsoft.com/.default");
        Assert.Equal("client_credentials", graphToken["grant_type"]);
        Assert.Contains(tokens.TokenEndpointsCalled, uri => uri.AbsolutePath.StartsWith("/" + Tenant + "/", StringComparison.Ordinal));
        Assert.Single(app.Connector.Requests, r => r.Route == "SendToConversation");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_thread_is_read_page_by_page_and_a_post_not_proven_absent_within_MaxPages_is_re_sent_and_flagged(int maxPages)
    {
        await using var app = await StartAsync(("Outbox:ReadBack:MaxPages", maxPages.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await SeedConversationAsync(app, Channel, "channel");
        var thread = $"{Channel};messageid=1700000000000";
        using (var http = new HttpClient())
        {
            // 60 earlier replies by the bot in the thread: two pages of Graph's 50.
            for (var i = 0; i < 60; i++)
            {
                var reply = new JsonObject { ["type"] = "message", ["text"] = $"note {i}", ["from"] = new JsonObject { ["id"] = "28:engagements-bot" } };
                (await http.PostAsync($"{app.ServiceUrl}v3/conversations/{Uri.EscapeDataString(thread)}/activities", JsonContent(reply))).EnsureSuccessStatusCode();
            }
        }

        await WriteAsync(app, w => w.SendToConversation(thread, Messages.Text("Contoso kickoff notes are in"), "notes"));
        app.Connector.RespondNext(503);
        await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.DeliverOutboxAsync();

        var reads = app.Connector.Requests.Where(r => r.Route == "GraphThreadReplies").ToList();
        Assert.Equal(maxPages, reads.Count);
        Assert.Equal($"/v1.0/teams/{TeamGroupId}/channels/{Uri.EscapeDataString(Channel)}/messages/1700000000000/replies", reads[0].RawPath);
        var row = await app.QueryAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(OutboxState.Sent, row.State);
        if (maxPages == 1)
        {
            Assert.StartsWith("ambiguous", row.LastError);
        }
        else
        {
            Assert.Contains("skiptoken=50", reads[1].Query);
            Assert.StartsWith("read back through Graph: it had not landed; sent now", row.LastError);
        }
    }

    [Fact]
    public async Task A_plain_http_Graph_address_off_this_machine_stops_the_app_at_startup()
    {
        // The read-back carries a bearer token for the customer's tenant: never over plain http to another host.
        await using var app = new EngagementsApplication();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(app, ("Outbox:ReadBack:GraphBaseUrl", "http://graph.example.com/v1.0")));
        Assert.Contains("Outbox:ReadBack: GraphBaseUrl must be https", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p><strong>Contoso</strong> kickoff &amp; plan</p>", "**Contoso** kickoff & plan")]
    [InlineData("<p>Line one</p>\n<p>Line  two</p>", "Line one\nLine two")]
    public void Graph_HTML_and_the_markdown_sent_read_the_same(string html, string markdown) =>
        Assert.Equal(PostReadBack.PlainText(markdown), PostReadBack.PlainText(html));

    // What a dead instance did before it died: posted the row's activity, marker included, and never recorded it.
    private static async Task<string> PostBehindTheOutboxAsync(EngagementsApplication app, OutboxMessage row)
    {
        var activity = JsonNode.Parse(row.PayloadJson)!.AsObject();
        activity["attachments"]![0]!["content"]!["id"] = PostReadBack.MarkerFor(row.Sequence);
        using var http = new HttpClient();
        var response = await http.PostAsync(
            app.ServiceUrl + "v3/conversations",
            JsonContent(new JsonObject { ["isGroup"] = true, ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Channel } }, ["activity"] = activity }));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["activityId"]!.GetValue<string>();
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private sealed class TokenApplication(FakeTokenEndpoint tokens) : EngagementsApplication
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IMsalHttpClientFactory>(tokens));
        }
    }
}
