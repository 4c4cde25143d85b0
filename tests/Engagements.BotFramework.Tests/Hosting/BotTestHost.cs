using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Engagements.BotFramework.Hosting;
using Engagements.BotFramework.Schema;
using Engagements.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Engagements.BotFramework.Tests.Hosting;

/// <summary>The protocol layer on real Kestrel (loopback), so address binding and the anonymous-mode guard are the real thing.</summary>
public sealed class BotTestHost : IAsyncDisposable
{
    public const string AppId = "6f1c2a4e-0d3b-4c55-9a7e-2b8f1e0c9d11";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private BotTestHost(WebApplication app, RecordingBot bot, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        Bot = bot;
        Time = time;
        Logs = logs;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public RecordingBot Bot { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public static WebApplication Build(
        Dictionary<string, string?> settings,
        string environment = "Production",
        string url = "http://127.0.0.1:0",
        RecordingBot? bot = null,
        FakeTimeProvider? time = null,
        CapturingLoggerProvider? logs = null,
        Action<IWebHostBuilder>? configureHost = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls(url);
        configureHost?.Invoke(builder.WebHost);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(logs ?? new CapturingLoggerProvider());
        builder.Services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(Now));
        builder.Services.AddSingleton<IBot>(bot ?? new RecordingBot());
        builder.Services.AddBotFramework(builder.Configuration);
        var app = builder.Build();
        app.MapBotMessages();
        return app;
    }

    public static Dictionary<string, string?> Settings(LoopbackIdentityProvider? identity, string? appId = AppId) => new()
    {
        ["Bot:AppId"] = appId,
        ["Bot:OpenIdMetadataUrl"] = identity?.MetadataUrl ?? "http://127.0.0.1:9/unused",
        ["Bot:RequireHttpsMetadata"] = "false",
    };

    public static async Task<BotTestHost> StartAsync(
        Dictionary<string, string?> settings, string environment = "Production", string url = "http://127.0.0.1:0")
    {
        var bot = new RecordingBot();
        var time = new FakeTimeProvider(Now);
        var logs = new CapturingLoggerProvider();
        var app = Build(settings, environment, url, bot, time, logs);
        await app.StartAsync();
        return new BotTestHost(app, bot, time, logs);
    }

    public Task<HttpResponseMessage> PostAsync(Activity activity, string? token) =>
        PostRawAsync(JsonSerializer.Serialize(activity, BotJson.Options), token is null ? null : $"Bearer {token}");

    public static StringContent Content(Activity activity) =>
        new(JsonSerializer.Serialize(activity, BotJson.Options), Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> PostRawAsync(string json, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Client.SendAsync(request);
    }

    public static Activity Message(string? channelId = "msteams", string? serviceUrl = ServiceUrl, string type = ActivityTypes.Message) => new()
    {
        Type = type,
        Id = "1700000000000",
        ChannelId = channelId,
        ServiceUrl = serviceUrl,
        From = new ChannelAccount { Id = "29:user", Name = "Ada", AadObjectId = "0b5b2f0a-1111-4c2c-9a44-6a3d7b3c2e01" },
        Recipient = new ChannelAccount { Id = $"28:{AppId}", Name = "Engagements" },
        Conversation = new ConversationAccount { Id = "a:personal-chat", ConversationType = "personal", TenantId = TenantId },
        Text = "help",
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
