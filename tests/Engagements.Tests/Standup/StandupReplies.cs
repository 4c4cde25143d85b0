using System.Text.Json.Nodes;
using Engagements.Tests.Playground;

namespace Engagements.Tests.Standup;

/// <summary>Posts a command in its own personal conversation and returns the card the bot answered with.</summary>
internal static class StandupReplies
{
    public static async Task<JsonObject> AskAsync(this EngagementsApplication app, string text, TestUser? from = null)
    {
        var conversationId = "a:1standup-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, text, from, conversationId));
        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        return reply.Body?["attachments"]?[0]?["content"] as JsonObject ?? throw new InvalidOperationException("The reply carried no card");
    }

    public static string Text(this JsonObject card) => card.CardText();

    // Wherever they sit: the card's own actions or an ActionSet in the body.
    public static IReadOnlyList<JsonObject> ExecuteActions(this JsonObject card) =>
        [.. Objects(card).Where(a => (string?)a["type"] == "Action.Execute")];

    static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Objects(p.Value)).Prepend(o),
        JsonArray a => a.SelectMany(Objects),
        _ => [],
    };
}
