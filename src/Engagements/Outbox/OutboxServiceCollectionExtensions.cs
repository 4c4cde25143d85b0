namespace Engagements.Outbox;

public static class OutboxServiceCollectionExtensions
{
    // The outbox sender (OutboxWriter itself is registered with the bot, which every feature uses).
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1) && o.MaxAttempts >= 1 && o.MaxConcurrentConversations >= 1 && o.MessagesPerClaim >= 1,
                "Outbox: LeaseDuration >= 1 s, MaxAttempts, MaxConcurrentConversations and MessagesPerClaim >= 1")
            .Validate(o => PostReadBack.IsAllowedGraphBase(o.ReadBack.GraphBaseUrl) && o.ReadBack.MaxPages >= 1,
                "Outbox:ReadBack: GraphBaseUrl must be https (plain http only for loopback), MaxPages >= 1")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSender>();
        builder.Services.AddScoped<OutboxDelivery>();
        builder.Services.AddHttpClient<PostReadBack>(http => http.Timeout = TimeSpan.FromSeconds(30));
        // Always registered; it reads Outbox:BackgroundDelivery when it starts (test hosts set it late).
        builder.Services.AddHostedService<OutboxBackgroundService>();

        return builder;
    }
}
