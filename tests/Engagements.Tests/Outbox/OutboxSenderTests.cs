using System.Text.Json.Nodes;
using Engagements.Bot;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Engineers;
using Engagements.Mail;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;

using static Engagements.Tests.Outbox.OutboxHost;

namespace Engagements.Tests.Outbox;

// The single-instance sender on SQLite, through the real host: rows written with OutboxWriter, one pass at a time
// (background delivery off), outcomes read from the rows and from what the fake connector received.
public sealed class OutboxSenderTests
{
    private const string GroupChat = "19:group-chat@thread.v2";
    private const string Channel = "19:engagements-channel@thread.tacv2";
    private const string Alex = "00000000-0000-0000-0000-0000000000a1";

    [Fact]
    public async Task Messages_of_one_conversation_arrive_in_the_order_they_were_written()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await SeedConversationAsync(app, "19:other-chat@thread.v2", "groupChat");
        await WriteAsync(app, w =>
        {
            for (var i = 0; i < 6; i++)
            {
                w.SendToConversation(GroupChat, Messages.Text($"a{i}"), $"a{i}");
                w.SendToConversation("19:other-chat@thread.v2", Messages.Text($"b{i}"), $"b{i}");
            }
        });

        var counts = await app.DeliverOutboxAsync();

        Assert.Equal(12, counts.Sent);
        Assert.Equal(["a0", "a1", "a2", "a3", "a4", "a5"], TextsTo(app, GroupChat));
        Assert.Equal(["b0", "b1", "b2", "b3", "b4", "b5"], TextsTo(app, "19:other-chat@thread.v2"));
        var rows = await app.QueryAsync(db => db.OutboxMessages.OrderBy(m => m.Sequence).ToListAsync());
        Assert.All(rows, m =>
        {
            Assert.Equal(OutboxState.Sent, m.State);
            Assert.NotNull(m.ResultActivityId);
            Assert.Null(m.LeaseUntil);
        });
    }

    [Fact]
    public async Task A_channel_post_starts_a_thread_and_an_update_replaces_that_card()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, Channel, "channel");
        await WriteAsync(app, w =>
        {
            var post = w.SendToConversation(Channel, Messages.Text("approval needed"), "approval:1:card");
            w.UpdatePosted(post, Messages.Text("approved"));
        });

        await app.DeliverOutboxAsync();

        var create = Assert.Single(app.Connector.Requests, r => r.Route == "CreateConversation");
        Assert.Equal(Channel, create.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>());
        Assert.Equal("approval needed", create.Body?["activity"]?["text"]?.GetValue<string>());
        var post = await app.QueryAsync(db => db.OutboxMessages.PostedWith("approval:1:card").SingleAsync());
        Assert.StartsWith(Channel + ";messageid=", post.ResultConversationId);
        Assert.NotNull(post.ResultActivityId);
        var update = Assert.Single(app.Connector.Requests, r => r.Route == "UpdateActivity");
        Assert.Equal(post.ResultConversationId, update.ConversationId);
        Assert.Equal(post.ResultActivityId, update.ActivityId);
        Assert.Equal("approved", update.Body?["text"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_personal_message_reuses_the_stored_chat_or_creates_one_from_the_engineer_profile()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, "a:alex-chat", "personal", userAadObjectId: Alex, userId: "29:alex");
        await SeedConversationAsync(app, Channel, "channel");
        await app.ExecuteAsync(async db =>
        {
            db.Engineers.Add(new EngineerProfile { Name = "Megan Bowen", Email = "megan@example.com", AadObjectId = "megan-aad", TeamsUserId = "29:megan" });
            await db.SaveChangesAsync();
        });
        await WriteAsync(app, w =>
        {
            w.SendToUser(Alex, Messages.Text("hi Alex"), "alex:1");
            w.SendToUser("megan-aad", Messages.Text("hi Megan"), "megan:1");
            w.SendToUser("nobody-aad", Messages.Text("hi?"), "nobody:1");
        });

        var counts = await app.DeliverOutboxAsync();

        Assert.Equal((2, 1), (counts.Sent, counts.Failed));
        Assert.Equal(["hi Alex"], TextsTo(app, "a:alex-chat"));
        var create = Assert.Single(app.Connector.Requests, r => r.Route == "CreateConversation");
        Assert.Equal("29:megan", create.Body?["members"]?[0]?["id"]?.GetValue<string>());
        Assert.Equal("28:engagements-bot", create.Body?["bot"]?["id"]?.GetValue<string>());
        var megan = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.UserAadObjectId == "megan-aad"));
        Assert.Equal(("personal", Tenant), (megan.ConversationType, megan.TenantId));
        Assert.Equal(["hi Megan"], TextsTo(app, megan.ConversationId));
        var nobody = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == "nobody:1"));
        Assert.Equal(OutboxState.Failed, nobody.State);
        Assert.Contains("No Teams user id", nobody.LastError);
    }

    [Fact]
    public async Task A_throttled_message_waits_for_Retry_After_and_holds_back_the_rest_of_its_conversation()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w =>
        {
            w.SendToConversation(GroupChat, Messages.Text("first"), "first");
            w.SendToConversation(GroupChat, Messages.Text("second"), "second");
        });
        app.Connector.RespondNext(429, retryAfter: TimeSpan.FromSeconds(30));

        var firstPass = await app.DeliverOutboxAsync();
        var early = await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var later = await app.DeliverOutboxAsync();

        Assert.Equal((0, 1), (firstPass.Sent, firstPass.Retrying));
        Assert.Equal(0, early.Total);
        Assert.Equal(2, later.Sent);
        Assert.Equal(["first", "second"], TextsTo(app, GroupChat, delivered: true));
        var first = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == "first"));
        Assert.Equal(2, first.Attempts);
    }

    [Fact]
    public async Task A_gone_conversation_and_blocked_writes_are_final_and_never_retried()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await SeedConversationAsync(app, "a:blocked-chat", "personal", userAadObjectId: Alex, userId: "29:alex");
        await WriteAsync(app, w =>
        {
            w.SendToConversation(GroupChat, Messages.Text("gone"), "gone");
            w.SendToUser(Alex, Messages.Text("blocked"), "blocked");
        });
        app.Connector.RespondNext(404, body: """{"error":{"code":"ConversationNotFound","message":"gone"}}""", conversationId: GroupChat);
        app.Connector.RespondNextWritesBlocked("a:blocked-chat");

        var counts = await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromHours(1));
        var again = await app.DeliverOutboxAsync();

        Assert.Equal((1, 1), (counts.RecipientGone, counts.Blocked));
        Assert.Equal(0, again.Total);
        Assert.Equal(2, app.Connector.Requests.Count);
        var attention = await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().Select(m => m.IdempotencyKey).ToListAsync());
        Assert.Equal(["blocked", "gone"], attention.Order());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_Failed_after_MaxAttempts_and_visible_to_admins()
    {
        await using var app = await StartAsync(("Outbox:MaxAttempts", "3"));
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("doomed"), "doomed"));
        app.Connector.RespondAlways(500);

        for (var i = 0; i < 3; i++)
        {
            await app.DeliverOutboxAsync();
            app.Clock.Advance(TimeSpan.FromHours(1));
        }

        var row = await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().SingleAsync());
        Assert.Equal((OutboxState.Failed, 3), (row.State, row.Attempts));
        Assert.Contains("500", row.LastError);
        Assert.Equal(3, app.Connector.Requests.Count(r => r.Route == "SendToConversation"));
    }

    [Fact]
    public async Task Emails_are_recorded_not_sent_when_no_mail_sender_is_configured()
    {
        await using var app = await StartAsync();
        await WriteAsync(app, w => w.SendEmail(new EmailMessage(["customer@contoso.com"], [], "Kickoff", "<p>Hello</p>"), "mail:1"));

        var counts = await app.DeliverOutboxAsync();

        Assert.Equal(1, counts.Recorded);
        var row = await app.QueryAsync(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(OutboxState.Recorded, row.State);
        Assert.Empty(app.Connector.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lease_left_by_a_dead_instance_is_taken_over_after_it_expires_and_read_back_or_flagged(bool readBack)
    {
        await using var app = await StartAsync(("Outbox:ReadBack:Enabled", readBack ? "true" : "false"));
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w =>
        {
            w.SendToConversation(GroupChat, Messages.Text("in flight when it died"), "m1");
            w.SendToConversation(GroupChat, Messages.Text("next"), "m2");
        });
        await app.ExecuteAsync(db => db.OutboxMessages.Where(m => m.IdempotencyKey == "m1").ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LeaseOwner, "dead-instance")
            .SetProperty(m => m.LeaseUntil, app.Clock.GetUtcNow().AddSeconds(60))));

        var whileLeased = await app.DeliverOutboxAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var afterExpiry = await app.DeliverOutboxAsync();

        Assert.Equal(0, whileLeased.Total);
        Assert.Equal(2, afterExpiry.Sent);
        Assert.Equal(["in flight when it died", "next"], TextsTo(app, GroupChat));
        var taken = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == "m1"));
        var attention = await app.QueryAsync(db => db.OutboxMessages.NeedingAttention().ToListAsync());
        if (readBack)
        {
            // The chat holds no such post: proven absent, sent once, nothing left for an admin.
            Assert.Equal("read back through Graph: it had not landed; sent now; before that, the lease expired while held by dead-instance", taken.LastError);
            Assert.Empty(attention);
        }
        else
        {
            // Nobody can tell whether the dead instance posted it: sent, and flagged as a possible duplicate.
            Assert.StartsWith(OutboxLeases.AbandonedNote + "dead-instance", taken.LastError);
            Assert.Single(attention);
        }
    }

    [Fact]
    public async Task An_update_rendering_an_older_version_than_one_already_delivered_is_skipped()
    {
        await using var app = await StartAsync();
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w =>
        {
            var post = w.SendToConversation(GroupChat, Messages.Text("v1"), "card");
            // Two instances committed in the other order: version 3 got the lower sequence.
            w.UpdatePosted(post, Messages.Text("v3"), rendersVersion: 3);
            w.UpdatePosted(post, Messages.Text("v2"), rendersVersion: 2);
        });

        var counts = await app.DeliverOutboxAsync();

        Assert.Equal((2, 1), (counts.Sent, counts.Superseded));
        var update = Assert.Single(app.Connector.Requests, r => r.Route == "UpdateActivity");
        Assert.Equal("v3", update.Body?["text"]?.GetValue<string>());
    }

    [Fact]
    public async Task Delivery_through_the_background_loop_needs_no_help_from_the_test()
    {
        await using var app = await StartAsync(("Outbox:BackgroundDelivery", "true"));
        await SeedConversationAsync(app, GroupChat, "groupChat");
        await WriteAsync(app, w => w.SendToConversation(GroupChat, Messages.Text("by itself"), "auto"));

        await app.Connector.WaitForAsync(r => r.ConversationId == GroupChat);
        await app.DeliverOutboxAsync();

        Assert.Single(app.Connector.Requests);
    }

    private static List<string?> TextsTo(EngagementsApplication app, string conversationId, bool delivered = false) =>
        [.. app.Connector.Requests
            .Where(r => r.ConversationId == conversationId && r.Route == "SendToConversation" && (!delivered || r.ResponseStatus < 300))
            .Select(r => r.Body?["text"]?.GetValue<string>())];
}
