using System.Text.Json.Nodes;

namespace Engagements.Tests.Playground;

/// <summary>End to end through the real Microsoft 365 Agents Playground: what a person in Teams would see.</summary>
[Collection(PlaygroundCollection.Name)]
public class PlaygroundBasicsTests(PlaygroundFixture playground) : IClassFixture<PlaygroundFixture>
{
    private PlaygroundClient Client => playground.Client;

    private Task<JsonObject> CardIn(string conversationId, string text) =>
        Client.WaitForAsync(
            f => f.Action() == "createMessage" && (f["actionConversationId"]?.GetValue<string>() ?? "").StartsWith(conversationId, StringComparison.Ordinal)
                && f.Card().CardText().Contains(text, StringComparison.Ordinal),
            $"a card saying \"{text}\" in {conversationId}");

    [Fact]
    public async Task Opening_the_personal_chat_installs_the_bot_and_the_welcome_arrives()
    {
        await Client.InstallAsync(PlaygroundFixture.PersonalChatId);

        var welcome = await CardIn(PlaygroundFixture.PersonalChatId, "help");

        Assert.Equal(PlaygroundFixture.BotId, welcome.Message()!["from"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Help_in_the_personal_chat_answers_with_the_help_card()
    {
        await Client.SendAsync(PlaygroundFixture.PersonalChatId, "help", PlaygroundFixture.CurrentUserId);

        var help = await CardIn(PlaygroundFixture.PersonalChatId, "What I can do");

        var text = help.Card().CardText();
        Assert.Contains("status {customer}", text);
        Assert.Contains("use this channel for {purpose}", text);
    }

    [Fact]
    public async Task Mentioning_the_bot_in_a_channel_gets_an_answer_in_the_thread()
    {
        var mention = new JsonArray(new JsonObject
        {
            ["mentioned"] = new JsonObject { ["id"] = PlaygroundFixture.BotId, ["name"] = "Engagements" },
            ["text"] = "<at>Engagements</at>",
        });

        await Client.SendAsync(PlaygroundFixture.ApprovalsChannelId, "<at>Engagements</at> help", PlaygroundFixture.CurrentUserId, mention);

        await CardIn(PlaygroundFixture.ApprovalsChannelId, "What I can do");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlaygroundCollection
{
    public const string Name = "Agents Playground";
}
