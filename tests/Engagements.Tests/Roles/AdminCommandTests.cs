using System.Text.Json.Nodes;
using Engagements.BotFramework.Schema;
using Engagements.Conversations;
using Engagements.Roles;
using Engagements.Tests.Intake;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Roles;

public class AdminCommandTests(IntakeApplication app) : IClassFixture<IntakeApplication>
{
    private static string CardText(Engagements.Testing.ConnectorRequest request) =>
        request.Body?["attachments"]?[0]?["content"].CardText() ?? "";

    /// <summary>A channel message mentioning the bot and a user, as Teams sends it: the user's mention carries the 29: id only.</summary>
    private JsonObject MentioningMessage(string text, TestUser from, TestUser mentioned, string? entityText = null, string channelId = TestActivities.ApprovalsChannelId)
    {
        var message = TestActivities.ChannelMessage(app.ServiceUrl, text, from, channelId);
        message["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["mentioned"] = new JsonObject { ["id"] = mentioned.TeamsId, ["name"] = mentioned.Name },
            ["text"] = entityText ?? $"<at>{mentioned.Name}</at>",
        });
        return message;
    }

    private async Task<string> ReplyToAsync(JsonObject message)
    {
        var thread = message["conversation"]!["id"]!.GetValue<string>();
        await app.PostActivityAsync(message);
        return CardText(await app.Connector.WaitForAsync(r => r.ConversationId == thread && r.Method == "POST"));
    }

    private Task<List<Role>> RolesOf(TestUser user) =>
        app.QueryAsync(db => db.RoleAssignments.Where(r => r.AadObjectId == user.AadObjectId).Select(r => r.Role).ToListAsync());

    private void RegisterMember(TestUser user, string channelId = TestActivities.ApprovalsChannelId) =>
        app.Connector.AddMembers(channelId, new ChannelAccount { Id = user.TeamsId, Name = user.Name, AadObjectId = user.AadObjectId });

    [Fact]
    public async Task An_admin_grants_a_role_to_the_mentioned_user_resolved_through_the_member_API()
    {
        var user = new TestUser("29:1grant-" + Guid.NewGuid().ToString("N")[..8], "Isaiah Langer", Guid.NewGuid().ToString());
        RegisterMember(user);

        var reply = await ReplyToAsync(MentioningMessage($"grant TL to <at>{user.Name}</at>", TestActivities.Alex, user));

        Assert.Contains("Role granted", reply);
        Assert.Contains("Isaiah Langer now has the Team lead role", reply);
        Assert.Equal([Role.TeamLead], await RolesOf(user));
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "role-granted" && a.EntityId == user.AadObjectId));
        Assert.Equal(TestActivities.Alex.AadObjectId, audit.ActorAadObjectId);
        Assert.Contains("TeamLead", audit.AfterJson);
    }

    [Fact]
    public async Task An_admin_revokes_a_role_and_it_is_audited()
    {
        var user = new TestUser("29:1revoke-" + Guid.NewGuid().ToString("N")[..8], "Diego Siciliani", Guid.NewGuid().ToString());
        RegisterMember(user);
        await ReplyToAsync(MentioningMessage($"grant presales to <at>{user.Name}</at>", TestActivities.Alex, user));

        var reply = await ReplyToAsync(MentioningMessage($"REVOKE PresalesEngineer from <at>{user.Name}</at>", TestActivities.Alex, user));

        Assert.Contains("Role revoked", reply);
        Assert.Empty(await RolesOf(user));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "role-revoked" && a.EntityId == user.AadObjectId)));
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_cannot_grant_or_revoke()
    {
        var user = new TestUser("29:1refused-" + Guid.NewGuid().ToString("N")[..8], "Pradeep Gupta", Guid.NewGuid().ToString());
        RegisterMember(user);

        var grant = await ReplyToAsync(MentioningMessage($"grant admin to <at>{user.Name}</at>", TestActivities.Lee, user));
        var revoke = await ReplyToAsync(MentioningMessage($"revoke admin from <at>{TestActivities.Alex.Name}</at>", TestActivities.Lee, TestActivities.Alex));

        Assert.Contains("Only an admin", grant);
        Assert.Contains("Only an admin", revoke);
        Assert.Empty(await RolesOf(user));
        Assert.Contains(Role.Admin, await RolesOf(TestActivities.Alex));
    }

    [Fact]
    public async Task The_user_comes_from_the_mention_entity_not_from_the_typed_text()
    {
        var victim = new TestUser("29:1victim-" + Guid.NewGuid().ToString("N")[..8], "Grady Archie", Guid.NewGuid().ToString());
        RegisterMember(victim);
        // The text names one person, but no mention entity backs that text.
        var message = MentioningMessage("grant admin to <at>Grady Archie</at>", TestActivities.Alex, victim, entityText: "<at>Someone Else</at>");

        var reply = await ReplyToAsync(message);

        Assert.Contains("@mention the person", reply);
        Assert.Empty(await RolesOf(victim));
    }

    [Fact]
    public async Task An_unknown_role_name_is_explained()
    {
        var reply = await ReplyToAsync(MentioningMessage("grant overlord to <at>Lee Gu</at>", TestActivities.Alex, TestActivities.Lee));

        Assert.Contains("not a role", reply);
    }

    [Fact]
    public async Task An_admin_binds_a_channel_to_a_purpose_and_it_is_audited()
    {
        const string channelId = "19:delivery-health@thread.tacv2";

        var reply = await ReplyToAsync(TestActivities.ChannelMessage(app.ServiceUrl, "use this channel for alerts-health", TestActivities.Alex, channelId));

        Assert.Contains("This channel now receives alerts-health posts", reply);
        var binding = await app.QueryAsync(db => db.ChannelBindings.SingleAsync(b => b.Purpose == ChannelPurpose.AlertsHealth));
        Assert.Equal(channelId, binding.ConversationId);
        Assert.Equal(TestActivities.Alex.AadObjectId, binding.BoundByAadObjectId);
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "channel-bound" && a.EntityId == "alerts-health")));
    }

    [Fact]
    public async Task Binding_the_purpose_to_another_channel_moves_it()
    {
        await ReplyToAsync(TestActivities.ChannelMessage(app.ServiceUrl, "use this channel for standup", TestActivities.Alex, "19:standup-old@thread.tacv2"));

        await ReplyToAsync(TestActivities.ChannelMessage(app.ServiceUrl, "use this channel for standup", TestActivities.Alex, "19:standup-new@thread.tacv2"));

        var binding = await app.QueryAsync(db => db.ChannelBindings.SingleAsync(b => b.Purpose == ChannelPurpose.Standup));
        Assert.Equal("19:standup-new@thread.tacv2", binding.ConversationId);
        var moved = await app.QueryAsync(db => db.AuditEntries.OrderBy(a => a.Id).LastAsync(a => a.Action == "channel-bound" && a.EntityId == "standup"));
        Assert.Contains("standup-old", moved.BeforeJson);
        Assert.Contains("standup-new", moved.AfterJson);
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_cannot_bind_a_channel()
    {
        var reply = await ReplyToAsync(TestActivities.ChannelMessage(app.ServiceUrl, "use this channel for escalations", TestActivities.Nestor, "19:nestor-channel@thread.tacv2"));

        Assert.Contains("Only an admin", reply);
        Assert.False(await app.QueryAsync(db => db.ChannelBindings.AnyAsync(b => b.ConversationId == "19:nestor-channel@thread.tacv2")));
    }

    public static TheoryData<string, string> CommandsForAdminsAndManagers => new()
    {
        { "grant admin to <at>Lee Gu</at>", "Only an admin can grant roles. Nothing was changed." },
        { "revoke manager from <at>Lee Gu</at>", "Only an admin can revoke roles. Nothing was changed." },
        { "use this channel for approvals", "Only an admin can choose what a channel is used for. Nothing was changed." },
        { "new engagement", "Only a manager can start an engagement by hand. Nothing was created." },
    };

    [Theory]
    [MemberData(nameof(CommandsForAdminsAndManagers))]
    public async Task A_command_typed_in_a_channel_by_someone_without_the_role_is_refused_in_its_thread_and_changes_nothing(string command, string refusal)
    {
        var outsider = new TestUser("29:1outsider-" + Guid.NewGuid().ToString("N")[..8], "Grady Archie", Guid.NewGuid().ToString());
        const string channelId = "19:delivery-outsiders@thread.tacv2";
        var message = MentioningMessage(command, outsider, TestActivities.Lee, channelId: channelId);
        var thread = message["conversation"]!["id"]!.GetValue<string>();
        var before = await app.QueryAsync(async db => (
            Audit: await db.AuditEntries.CountAsync(), Roles: await db.RoleAssignments.CountAsync(), Bindings: await db.ChannelBindings.CountAsync(),
            Customers: await db.Customers.CountAsync()));

        await app.PostActivityAsync(message);
        var reply = await app.Connector.WaitForAsync(r => r.Method == "POST" && r.ConversationId == thread);

        // In the thread the command was typed in (its ";messageid=" conversation), not as a new post in the channel.
        Assert.Equal("SendToConversation", reply.Route);
        var text = CardText(reply);
        Assert.Contains("Not allowed", text);
        Assert.Contains(refusal, text);
        // Says nothing about who does hold the role, and offers nothing to click.
        Assert.DoesNotContain(TestActivities.Alex.Name, text);
        Assert.DoesNotContain("Lee Gu", text);
        Assert.DoesNotContain("Action.Execute", reply.Body!.ToJsonString());
        Assert.DoesNotContain(app.Connector.Requests, r => r.Route == "GetConversationMember" && r.ConversationId == thread);
        Assert.Equal(before, await app.QueryAsync(async db => (
            Audit: await db.AuditEntries.CountAsync(), Roles: await db.RoleAssignments.CountAsync(), Bindings: await db.ChannelBindings.CountAsync(),
            Customers: await db.Customers.CountAsync())));
    }

    [Fact]
    public async Task Binding_from_a_personal_chat_is_refused()
    {
        var conversationId = "a:1bind-personal-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "use this channel for escalations", TestActivities.Alex, conversationId));

        var reply = CardText(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId));

        Assert.Contains("Run this in the channel", reply);
        Assert.False(await app.QueryAsync(db => db.ChannelBindings.AnyAsync(b => b.ConversationId == conversationId)));
    }
}
