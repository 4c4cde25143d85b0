using System.Text.Json;
using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Tests.Schema;

public sealed class ActivityExtensionsTests
{
    private const string BotId = "28:bot-app-id";

    [Fact]
    public void Bot_mention_is_removed_case_insensitively_and_the_text_trimmed()
    {
        var activity = Activity("<at>Engagements</at> assign ACME to me ", Mention(BotId, "Engagements", "<AT>engagements</AT>"));

        Assert.Equal("assign ACME to me", activity.RemoveRecipientMention());
    }

    [Fact]
    public void Mentions_of_other_people_stay_in_the_text()
    {
        var activity = Activity("<at>Engagements</at> assign ACME to <at>Ada</at>",
            Mention(BotId, "Engagements", "<at>Engagements</at>"),
            Mention("29:ada", "Ada", "<at>Ada</at>"));

        Assert.Equal("assign ACME to <at>Ada</at>", activity.RemoveRecipientMention());
    }

    [Fact]
    public void Mention_without_text_is_removed_by_the_bot_name()
    {
        var activity = Activity("<at>Engagements</at> help", Mention(BotId, "Engagements", text: null));

        Assert.Equal("help", activity.RemoveRecipientMention());
    }

    [Fact]
    public void Text_that_only_looks_like_a_mention_is_left_alone_when_no_entity_names_the_bot()
    {
        var activity = Activity("<at>Engagements</at> help");

        Assert.Equal("<at>Engagements</at> help", activity.RemoveRecipientMention());
    }

    [Fact]
    public void Activity_without_text_gives_null() => Assert.Null(Activity(null).RemoveRecipientMention());

    private static Activity Activity(string? text, params Entity[] entities) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Recipient = new ChannelAccount { Id = BotId, Name = "Engagements" },
        Entities = entities,
    };

    // Round-trip through JSON so the entity looks like one that arrived on the wire.
    private static Entity Mention(string id, string name, string? text) =>
        JsonSerializer.Deserialize<Entity>(
            JsonSerializer.Serialize(new Mention { Mentioned = new ChannelAccount { Id = id, Name = name }, Text = text }, BotJson.Options),
            BotJson.Options)!;
}
