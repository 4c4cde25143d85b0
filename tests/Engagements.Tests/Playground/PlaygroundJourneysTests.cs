using System.Text.Json.Nodes;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Playground;

/// <summary>The card journeys of a delivery team, clicked in the real Agents Playground: approve, confirm a phase, acknowledge an alert.</summary>
[Collection(PlaygroundCollection.Name)]
public class PlaygroundJourneysTests(PlaygroundFixture playground) : IClassFixture<PlaygroundFixture>
{
    private PlaygroundClient Client => playground.Client;

    private static JsonArray BotMention() => new(new JsonObject
    {
        ["mentioned"] = new JsonObject { ["id"] = PlaygroundFixture.BotId, ["name"] = "Engagements" },
        ["text"] = "<at>Engagements</at>",
    });

    private Task<JsonObject> Frame(string action, string conversationId, string text) =>
        Client.WaitForAsync(
            f => f.Action() == action && (f["actionConversationId"]?.GetValue<string>() ?? "").StartsWith(conversationId, StringComparison.Ordinal)
                && f.Card().CardText().Contains(text, StringComparison.Ordinal),
            $"{action} of a card saying \"{text}\" in {conversationId}",
            TimeSpan.FromSeconds(30));

    private async Task BindAsync(string channelId, string purpose)
    {
        await Client.SendAsync(channelId, $"<at>Engagements</at> use this channel for {purpose}", PlaygroundFixture.CurrentUserId, BotMention());
        await Frame("createMessage", channelId, purpose);
    }

    [Fact]
    public async Task A_signed_closed_won_deal_puts_the_approval_card_in_the_channel_and_Approve_replaces_it_with_the_decision()
    {
        await BindAsync(PlaygroundFixture.ApprovalsChannelId, "approvals");
        var body = """
            {"opportunityId":"OPP-PLAYGROUND-1","kind":"new","stage":"Closed Won","closeDate":"2026-11-20","amount":98000,
             "contractReference":"CTR-PG-1","startDate":"2026-12-01","endDate":"2027-11-30",
             "customer":{"crmId":"ACC-BLUE-YONDER","name":"Blue Yonder Airlines","seats":420,"supportLevel":"Standard",
                         "csmEmail":"nestorw@contoso-delivery.example","contactName":"Jordan Miller","contactEmail":"jordan.miller@blueyonder.example"},
             "sow":{"reference":"SOW-BYA-01","projects":[{"name":"Blue Yonder onboarding","kind":"onboarding-90-day",
                    "deliverables":[{"title":"Environment assessment","doneCriterion":"Assessment reviewed with the customer"}]}]}}
            """;
        await playground.PostSignedCrmWebhookAsync(body);

        var posted = await Frame("createMessage", PlaygroundFixture.ApprovalsChannelId, "Blue Yonder Airlines");
        var card = posted.Card()!;
        Assert.Contains("Approve", card.CardText());
        var approve = FindAction(card, "assignEngineer")!;
        // Nestor Wilke is an engineer of the demo data and a user of the Playground's mock tenant.
        var engineer = FindChoiceSet(card)!["choices"]!.AsArray().Single(c => c!["title"]!.GetValue<string>().StartsWith("Nestor Wilke", StringComparison.Ordinal))!["value"]!.GetValue<string>();
        var data = approve["data"]!.DeepClone().AsObject();
        data["engineer"] = engineer;

        var answer = await Client.InvokeAsync(
            RootConversation(posted), posted.Message()!["messageId"]!.GetValue<string>(), PlaygroundFixture.CurrentUserId,
            new JsonObject { ["type"] = "Action.Execute", ["verb"] = "assignEngineer", ["data"] = data });

        Assert.Contains("Assigned to", answer["value"].CardText());
        await Frame("updateMessage", PlaygroundFixture.ApprovalsChannelId, "Assigned to");
        var welcome = await playground.Bot.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey!.EndsWith(":welcome-engineer")));
        // The background sender may hold the message right now; give it the time a person would.
        for (var attempt = 0; attempt < 50 && welcome.State == OutboxState.Pending; attempt++)
        {
            await Task.Delay(200);
            await playground.Bot.DeliverOutboxAsync();
            welcome = await playground.Bot.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Sequence == welcome.Sequence));
        }

        Assert.True(welcome.State == OutboxState.Sent, $"welcome {welcome.State} after {welcome.Attempts} attempts: {welcome.LastError}; choices {FindChoiceSet(card)!["choices"]!.ToJsonString()}");
    }

    [Fact]
    public async Task The_phase_confirmation_card_arrives_and_confirming_it_updates_it_in_place()
    {
        await Client.InstallAsync(PlaygroundFixture.PersonalChatId);
        await playground.SendDuePhaseConfirmationsAsync();

        var posted = await Frame("createMessage", PlaygroundFixture.PersonalChatId, "Pre-Kickoff");
        var confirm = FindAction(posted.Card()!, "confirmPhase")!;
        var data = confirm["data"]!.DeepClone().AsObject();
        data["reason"] = "Kickoff happened; the pulse check is scheduled for next week.";

        var answer = await Client.InvokeAsync(
            PlaygroundFixture.PersonalChatId, posted.Message()!["messageId"]!.GetValue<string>(), PlaygroundFixture.CurrentUserId,
            new JsonObject { ["type"] = "Action.Execute", ["verb"] = "confirmPhase", ["data"] = data });

        Assert.Contains("Confirmed", answer["value"].CardText(), StringComparison.OrdinalIgnoreCase);
        await Frame("updateMessage", PlaygroundFixture.PersonalChatId, "onfirmed");
    }

    [Fact]
    public async Task Usage_of_a_new_feature_brings_an_alert_card_to_the_usage_channel_and_Acknowledge_updates_it()
    {
        await BindAsync(PlaygroundFixture.TeamId, "alerts-customer-usage");
        await playground.PostUsageEventAsync("pg-evt-1", "DEMO-CONTOSO", "Workflow Designer");

        var posted = await Frame("createMessage", PlaygroundFixture.TeamId, "Workflow Designer");
        var acknowledge = FindAction(posted.Card()!, "acknowledgeAlert")!;

        var answer = await Client.InvokeAsync(
            RootConversation(posted), posted.Message()!["messageId"]!.GetValue<string>(), PlaygroundFixture.CurrentUserId,
            new JsonObject { ["type"] = "Action.Execute", ["verb"] = "acknowledgeAlert", ["data"] = acknowledge["data"]!.DeepClone() });

        Assert.Contains("Acknowledged", answer["value"].CardText(), StringComparison.OrdinalIgnoreCase);
        await Frame("updateMessage", PlaygroundFixture.TeamId, "cknowledged");
    }

    /// <summary>A post the bot starts in a channel is the root of its own thread, `channel;messageid=root`, where the Playground keeps it.</summary>
    private static string RootConversation(JsonObject frame) =>
        frame["actionConversationId"]!.GetValue<string>().Split(";messageid=")[0] + ";messageid=" + frame.Message()!["messageId"]!.GetValue<string>();

    private static JsonObject? FindAction(JsonNode? node, string verb) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == verb => o,
        JsonObject o => o.Select(p => FindAction(p.Value, verb)).FirstOrDefault(a => a is not null),
        JsonArray a => a.Select(n => FindAction(n, verb)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    private static JsonObject? FindChoiceSet(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Input.ChoiceSet" => o,
        JsonObject o => o.Select(p => FindChoiceSet(p.Value)).FirstOrDefault(a => a is not null),
        JsonArray a => a.Select(FindChoiceSet).FirstOrDefault(x => x is not null),
        _ => null,
    };
}
