using System.Text.Json.Nodes;

namespace Engagements.Tests.Playground;

/// <summary>The standup and account journeys, typed into the real Agents Playground against the demo data.</summary>
[Collection(PlaygroundCollection.Name)]
public class PlaygroundCommandsTests(PlaygroundFixture playground) : IClassFixture<PlaygroundFixture>
{
    private PlaygroundClient Client => playground.Client;

    private static JsonArray BotMention() => new(new JsonObject
    {
        ["mentioned"] = new JsonObject { ["id"] = PlaygroundFixture.BotId, ["name"] = "Engagements" },
        ["text"] = "<at>Engagements</at>",
    });

    private Task<JsonObject> CardIn(string conversationId, string text) =>
        Client.WaitForAsync(
            f => f.Action() == "createMessage" && (f["actionConversationId"]?.GetValue<string>() ?? "").StartsWith(conversationId, StringComparison.Ordinal)
                && f.Card().CardText().Contains(text, StringComparison.Ordinal),
            $"a card saying \"{text}\" in {conversationId}");

    [Fact]
    public async Task Status_Contoso_in_the_personal_chat_shows_the_customers_status_card()
    {
        await Client.SendAsync(PlaygroundFixture.PersonalChatId, "status Contoso", PlaygroundFixture.CurrentUserId);

        var card = (await CardIn(PlaygroundFixture.PersonalChatId, "Enterprise")).Card().CardText();

        Assert.Contains("Contoso", card);
        Assert.Contains("1. Onboarding", card);
        Assert.Contains("Yellow", card);
    }

    [Fact]
    public async Task Mentioning_the_bot_with_board_in_a_channel_shows_the_four_columns()
    {
        await Client.SendAsync(PlaygroundFixture.ApprovalsChannelId, "<at>Engagements</at> board Fabrikam", PlaygroundFixture.CurrentUserId, BotMention());

        var card = (await CardIn(PlaygroundFixture.ApprovalsChannelId, "Under Review")).Card().CardText();

        Assert.Contains("To-Do", card);
        Assert.Contains("In Progress", card);
        Assert.Contains("Completed", card);
        Assert.Contains("Fabrikam", card);
    }

    [Fact]
    public async Task An_engineer_saying_my_Contoso_account_works_gets_the_request_verified()
    {
        await Client.SendAsync(PlaygroundFixture.PersonalChatId, "my Contoso account works", PlaygroundFixture.CurrentUserId);

        var card = (await CardIn(PlaygroundFixture.PersonalChatId, "Verified")).Card().CardText();

        Assert.Contains("Contoso", card);
        var verified = await playground.Bot.QueryAsync(db => Task.FromResult(db.AccountRequests.Count(r => r.VerifiedAt != null)));
        Assert.True(verified > 0);
    }
}
