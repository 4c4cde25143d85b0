using Engagements.Conversations;
using Engagements.Outbox;

namespace Engagements.Tests.Outbox;

/// <summary>The single-instance outbox on SQLite, through the real host, one delivery pass at a time (background delivery off).</summary>
internal static class OutboxHost
{
    public const string Tenant = "tenant-1";

    // The Microsoft 365 group of the team the seeded channels belong to (Graph's name for the team).
    public const string TeamGroupId = "7c1d6e2a-4b3f-4a8e-9d0c-5e6f7a8b9c0d";

    public static Task<EngagementsApplication> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync(new EngagementsApplication(), settings);

    public static async Task<T> StartAsync<T>(T app, params (string Key, string Value)[] settings)
        where T : EngagementsApplication
    {
        app.Settings["Demo:Enabled"] = "false";
        app.Settings["Outbox:BackgroundDelivery"] = "false";
        // The connector's own retries would wait on the fake clock; here the outbox's retry-later is under test.
        app.Settings["Bot:MaxRetries"] = "0";
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }

        await app.InitializeAsync();
        _ = app.Server;
        return app;
    }

    public static Task SeedConversationAsync(EngagementsApplication app, string conversationId, string type, string? userAadObjectId = null, string? userId = null) =>
        app.ExecuteAsync(async db =>
        {
            db.Conversations.Add(new StoredConversation
            {
                ConversationId = conversationId,
                ServiceUrl = app.ServiceUrl,
                TenantId = Tenant,
                ConversationType = type,
                TeamsChannelId = type == "channel" ? conversationId : null,
                TeamAadGroupId = type == "channel" ? TeamGroupId : null,
                BotId = "28:engagements-bot",
                UserAadObjectId = userAadObjectId,
                UserId = userId,
                CreatedAt = app.Clock.GetUtcNow(),
                UpdatedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });

    public static Task WriteAsync(EngagementsApplication app, Action<OutboxWriter> write) =>
        app.ExecuteAsync(async db =>
        {
            write(new OutboxWriter(db, app.Clock));
            await db.SaveChangesAsync();
        });
}
