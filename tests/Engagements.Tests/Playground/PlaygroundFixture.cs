using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Engagements.Data;
using Engagements.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Playground;

/// <summary>
/// The bot on a real loopback port (Kestrel; the Playground needs TCP) with demo data, and the real Agents Playground
/// pointed at it, as README command 1 runs them. One per test class: the Playground keeps its state in memory.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    public const string PersonalChatId = "a:1personal-chat-alex-wilber";
    public const string GroupChatId = "19:delivery-standup@thread.v2";
    public const string TeamId = "19:delivery-general@thread.tacv2";
    public const string ApprovalsChannelId = "19:delivery-approvals@thread.tacv2";
    public const string BotId = "28:00000000-0000-0000-0000-00000000e0e0";
    public const string CurrentUserId = "29:1alex-wilber-delivery-lead";

    public const string CrmSecret = "playground-crm-secret";
    public const string UsageApiKey = "playground-usage-key";

    public EngagementsApplication Bot { get; } = new();

    public PlaygroundProcess Playground { get; private set; } = null!;

    public PlaygroundClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Bot.InitializeAsync();
        Bot.Settings["Crm:WebhookSecret"] = CrmSecret;
        Bot.Settings["Usage:ApiKeys:0"] = UsageApiKey;
        Bot.UseKestrel(0);
        Bot.StartServer();
        var botAddress = Bot.ClientOptions.BaseAddress;
        Playground = await PlaygroundProcess.StartAsync(new Uri(botAddress, "api/messages"));
        Client = new PlaygroundClient(Playground.BaseAddress);
        await Client.ConnectAsync();
    }

    /// <summary>What the CRM does on a closed-won deal: the JSON body, signed with the shared secret.</summary>
    public async Task PostSignedCrmWebhookAsync(string body)
    {
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(CrmSecret), Encoding.UTF8.GetBytes(body)));
        using var http = new HttpClient { BaseAddress = Bot.ClientOptions.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crm/opportunities") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Engagements-Signature", "sha256=" + signature);
        var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the product's telemetry does: one usage event of a customer's user, with the usage API key.</summary>
    public async Task PostUsageEventAsync(string eventId, string customerCrmId, string feature)
    {
        using var http = new HttpClient { BaseAddress = Bot.ClientOptions.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", UsageApiKey);
        var events = new JsonObject
        {
            ["events"] = new JsonArray(new JsonObject
            {
                ["eventId"] = eventId, ["customerCrmId"] = customerCrmId, ["userId"] = "u-1", ["feature"] = feature,
                ["occurredAt"] = "2026-11-23T08:30:00Z", ["productVersion"] = "2025.2",
            }),
        };
        var response = await http.PostAsJsonAsync("/api/usage/events", events);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Runs the phase-end job once, after the bot has stored the personal chat: the Playground answers the install before
    /// the bot has processed it, and a card sent earlier would open a second 1:1 chat.
    /// </summary>
    public async Task SendDuePhaseConfirmationsAsync()
    {
        await WaitForBotAsync(db => db.Conversations.AnyAsync(c => c.ConversationId == PersonalChatId), "the bot to store the personal chat");
        await using var scope = Bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PhaseConfirmations>().SendDueCardsAsync(CancellationToken.None);
    }

    /// <summary>
    /// Waits until the bot's database shows that it processed something the Playground sent: the Playground acknowledges
    /// install and mocked activities before the bot has handled them.
    /// </summary>
    public async Task WaitForBotAsync(Func<EngagementsDb, Task<bool>> condition, string what)
    {
        for (var wait = 0; !await Bot.QueryAsync(condition); wait++)
        {
            if (wait == 100)
            {
                throw new TimeoutException($"Waited 10 s for {what}.");
            }

            await Task.Delay(100);
        }
    }

    // xunit disposes a fixture whose start failed half-way too; whatever did start must still stop (no orphan node).
    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        if (Playground is not null)
        {
            await Playground.DisposeAsync();
        }

        await Bot.DisposeAsync();
    }
}
