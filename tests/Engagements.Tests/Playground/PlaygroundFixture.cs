using Microsoft.AspNetCore.Mvc.Testing;

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

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Playground.DisposeAsync();
        await Bot.DisposeAsync();
    }
}
