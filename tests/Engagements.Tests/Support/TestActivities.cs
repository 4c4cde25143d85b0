using System.Text.Json.Nodes;

namespace Engagements.Tests;

/// <summary>Real Teams activity shapes (captured from the Agents Playground, ids of our mock tenant) with the parts a test varies.</summary>
public static class TestActivities
{
    public const string BotId = "28:00000000-0000-0000-0000-00000000e0e0";
    public const string TenantId = "8a1d4c7e-5b2f-4e3a-9c6d-1f0e2b3a4c5d";
    public const string PersonalConversationId = "a:1personal-chat-alex-wilber";
    public const string ApprovalsChannelId = "19:delivery-approvals@thread.tacv2";
    public const string GeneralChannelId = "19:delivery-general@thread.tacv2";

    /// <summary>
    /// The Playground's users (playground/.m365agentsplayground.yml). In demo mode Alex is the delivery lead with every role,
    /// Megan a manager, Adele a CSM, Lee and Nestor engineers (DemoDataLoader); the labels in their Teams ids are the Playground's.
    /// </summary>
    public static readonly TestUser Alex = new("29:1alex-wilber-delivery-lead", "Alex Wilber", "00000000-0000-0000-0000-0000000000020");
    public static readonly TestUser Megan = new("29:1megan-bowen-manager", "Megan Bowen", "00000000-0000-0000-0000-0000000000021");
    public static readonly TestUser Adele = new("29:1adele-vance-engineer", "Adele Vance", "00000000-0000-0000-0000-0000000000022");
    public static readonly TestUser Lee = new("29:1lee-gu-team-lead", "Lee Gu", "00000000-0000-0000-0000-0000000000023");
    public static readonly TestUser Nestor = new("29:1nestor-wilke-csm", "Nestor Wilke", "00000000-0000-0000-0000-0000000000024");

    /// <summary>A colleague in the tenant whom neither the demo data nor the configuration gives a role.</summary>
    public static readonly TestUser Guest = new("29:1grady-archie-guest", "Grady Archie", "00000000-0000-0000-0000-0000000000099");

    public static JsonObject Message(string serviceUrl, string text, TestUser? from = null, string? conversationId = null)
    {
        var activity = Load("message-personal", serviceUrl, from);
        activity["text"] = text;
        if (conversationId is not null)
        {
            activity["conversation"]!["id"] = conversationId;
        }

        return activity;
    }

    /// <summary>A channel post that @mentions the bot, as Teams delivers it (conversation id carries ;messageid=).</summary>
    public static JsonObject ChannelMessage(string serviceUrl, string text, TestUser? from = null, string channelId = ApprovalsChannelId)
    {
        var activity = Load("message-channel", serviceUrl, from);
        activity["text"] = "<at>Engagements</at> " + text;
        activity["conversation"]!["id"] = $"{channelId};messageid={Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999)}";
        activity["channelData"]!["channel"]!["id"] = channelId;
        activity["channelData"]!["teamsChannelId"] = channelId;
        return activity;
    }

    public static JsonObject PersonalInstall(string serviceUrl, TestUser? from = null) => Load("installationUpdate-personal", serviceUrl, from);

    public static JsonObject TeamInstall(string serviceUrl, TestUser? from = null) => Load("conversationUpdate-team", serviceUrl, from);

    public static JsonObject Invoke(string serviceUrl, string verb, JsonObject data, string replyToId, TestUser? from = null, string? conversationId = null)
    {
        var activity = Load("invoke-adaptiveCard-action", serviceUrl, from);
        activity["replyToId"] = replyToId;
        var action = activity["value"]!["action"]!;
        action["verb"] = verb;
        action["title"] = verb;
        action["data"] = data;
        if (conversationId is not null)
        {
            activity["conversation"]!["id"] = conversationId;
        }

        return activity;
    }

    private static JsonObject Load(string name, string serviceUrl, TestUser? from)
    {
        var activity = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Activities", name + ".json")))!.AsObject();
        activity["serviceUrl"] = serviceUrl;
        activity["id"] = Guid.NewGuid().ToString();
        var user = from ?? Alex;
        activity["from"] = new JsonObject { ["id"] = user.TeamsId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId };
        return activity;
    }
}

public sealed record TestUser(string TeamsId, string Name, string AadObjectId);
