using System.Net;
using System.Text.Json.Nodes;
using Engagements.Bot;
using Engagements.Tests.Playground;
using Engagements.Tests.Standup;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Bot;

public class TurnTests(EngagementsApplication app) : IClassFixture<EngagementsApplication>
{
    private static string CardText(Engagements.Testing.ConnectorRequest request) =>
        request.Body?["attachments"]?[0]?["content"].CardText() ?? "";

    [Fact]
    public async Task Personal_install_posts_the_welcome_card_once_although_Teams_sends_two_events()
    {
        var conversationId = "a:1install-" + Guid.NewGuid().ToString("N");
        var install = TestActivities.PersonalInstall(app.ServiceUrl);
        install["conversation"]!["id"] = conversationId;
        var added = TestActivities.PersonalInstall(app.ServiceUrl);
        added["type"] = "conversationUpdate";
        added["conversation"]!["id"] = conversationId;
        added["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TestActivities.Alex.TeamsId }, new JsonObject { ["id"] = TestActivities.BotId });

        var responses = await Task.WhenAll(app.PostActivityAsync(install), app.PostActivityAsync(added));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var welcome = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        Assert.Contains("help", CardText(welcome), StringComparison.OrdinalIgnoreCase);
        await Task.Delay(300);
        Assert.Single(app.Connector.Requests, r => r.ConversationId == conversationId);
        var stored = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ConversationId == conversationId));
        Assert.Equal(app.ServiceUrl, stored.ServiceUrl);
        Assert.Equal(TestActivities.TenantId, stored.TenantId);
        Assert.Equal(TestActivities.Alex.AadObjectId, stored.UserAadObjectId);
        Assert.NotNull(stored.WelcomedAt);
    }

    [Fact]
    public async Task Installing_into_a_team_stores_the_channel_and_welcomes_it()
    {
        var response = await app.PostActivityAsync(TestActivities.TeamInstall(app.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var welcome = await app.Connector.WaitForAsync(r => r.ConversationId == TestActivities.GeneralChannelId);
        Assert.Equal("POST", welcome.Method);
        var stored = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ConversationId == TestActivities.GeneralChannelId));
        Assert.Equal("channel", stored.ConversationType);
        Assert.Equal(TestActivities.GeneralChannelId, stored.TeamId);
    }

    [Fact]
    public async Task Help_lists_the_commands_of_every_role_the_caller_holds()
    {
        var message = TestActivities.Message(app.ServiceUrl, "help");

        await app.PostActivityAsync(message);

        var reply = await app.Connector.WaitForAsync(r => r.Body?["attachments"] is not null && r.ConversationId == TestActivities.PersonalConversationId && CardText(r).Contains("What I can do"));
        var text = CardText(reply);
        Assert.Contains("status {customer}", text);
        Assert.Contains("grant {role} to @user", text);
        Assert.Contains("new engagement", text);
    }

    [Fact]
    public async Task Help_names_the_callers_roles_as_people_say_them()
    {
        var text = (await app.AskAsync("help")).Text();

        Assert.Contains("Your roles: Manager, Team lead, Engineer, CSM, Pre-sales engineer, Admin", text);
    }

    [Fact]
    public async Task Help_for_someone_without_roles_leaves_out_admin_and_manager_commands()
    {
        var stranger = new TestUser("29:1stranger", "Pat Stranger", Guid.NewGuid().ToString());
        var conversationId = "a:1stranger-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "HELP", stranger, conversationId));

        var text = CardText(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId));
        Assert.Contains("status {customer}", text);
        Assert.DoesNotContain("grant {role}", text);
        Assert.DoesNotContain("new engagement", text);
        Assert.DoesNotContain("blocked {item}", text);
    }

    // Teams and the Adaptive Cards renderer read "<customer>" as an HTML tag and drop it: users saw "board []".
    [Fact]
    public async Task No_help_text_or_usage_reply_writes_a_placeholder_in_angle_brackets()
    {
        var angleBracketed = new System.Text.RegularExpressions.Regex("<[^<>]+>");
        Assert.All(HelpCatalog.Entries, e => Assert.DoesNotMatch(angleBracketed, e.Usage + " " + e.Description));

        string[] asked = ["help", "what is the meaning of life", "kickoff Contoso tomorrow", "done Nothing that exists"];
        foreach (var text in asked)
        {
            var reply = (await app.AskAsync(text)).Text();
            Assert.DoesNotMatch(angleBracketed, reply);
            Assert.Contains("{", reply);
        }

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "manifest", "manifest.json")))!;
        var descriptions = manifest["bots"]![0]!["commandLists"]!.AsArray().SelectMany(l => l!["commands"]!.AsArray()).Select(c => (string)c!["description"]!);
        Assert.All(descriptions, d => Assert.DoesNotMatch(angleBracketed, d));
    }

    [Fact]
    public async Task Unknown_input_gets_the_help_card_instead_of_silence()
    {
        var conversationId = "a:1unknown-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "what is the meaning of life", conversationId: conversationId));

        var text = CardText(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId));
        Assert.Contains("didn't understand", text);
        Assert.Contains("what is the meaning of life", text);
        Assert.Contains("status {customer}", text);
    }

    [Fact]
    public async Task A_redelivered_activity_is_processed_once()
    {
        var conversationId = "a:1dup-" + Guid.NewGuid().ToString("N");
        var message = TestActivities.Message(app.ServiceUrl, "help", conversationId: conversationId);

        await app.PostActivityAsync(message);
        var second = await app.PostActivityAsync(message.DeepClone().AsObject());

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        await Task.Delay(300);
        Assert.Single(app.Connector.Requests, r => r.ConversationId == conversationId);
    }

    [Fact]
    public async Task Every_activity_refreshes_the_stored_service_url()
    {
        var conversationId = "a:1moved-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "help", conversationId: conversationId));

        await app.PostActivityAsync(TestActivities.Message(app.Connector.ServiceUrlWithoutTrailingSlash, "help", conversationId: conversationId));

        var stored = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ConversationId == conversationId));
        Assert.Equal(app.Connector.ServiceUrlWithoutTrailingSlash, stored.ServiceUrl);
    }

    [Fact]
    public async Task A_channel_post_is_answered_in_its_thread_with_the_mention_removed()
    {
        var message = TestActivities.ChannelMessage(app.ServiceUrl, "help");
        var thread = message["conversation"]!["id"]!.GetValue<string>();

        await app.PostActivityAsync(message);

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == thread);
        Assert.Contains("What I can do", CardText(reply));
        Assert.DoesNotContain("didn't understand", CardText(reply));
    }

    [Fact]
    public async Task A_card_action_with_an_unknown_verb_is_answered_with_an_error_the_user_sees()
    {
        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "launchRockets", new JsonObject(), "1795352092373"));

        Assert.Equal(200, status);
        Assert.Equal(400, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invoke_without_an_action_or_with_Action_Submit_is_refused_as_the_SDK_does()
    {
        var noValue = TestActivities.Invoke(app.ServiceUrl, "x", new JsonObject(), "1");
        noValue.Remove("value");
        var submit = TestActivities.Invoke(app.ServiceUrl, "x", new JsonObject(), "1");
        submit["value"]!["action"]!["type"] = "Action.Submit";

        var (noValueStatus, noValueBody) = await app.InvokeAsync(noValue);
        var (submitStatus, submitBody) = await app.InvokeAsync(submit);

        Assert.Equal(400, noValueStatus);
        Assert.Equal("Missing value property", noValueBody!["value"]!["message"]!.GetValue<string>());
        Assert.Equal(400, submitStatus);
        Assert.Equal("NotSupported", submitBody!["value"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invoke_the_bot_does_not_handle_gets_501()
    {
        var invoke = TestActivities.Invoke(app.ServiceUrl, "x", new JsonObject(), "1");
        invoke["name"] = "composeExtension/query";

        var (status, _) = await app.InvokeAsync(invoke);

        Assert.Equal(501, status);
    }
}
