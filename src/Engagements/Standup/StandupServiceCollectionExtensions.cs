using Engagements.Customers;
using Engagements.Scheduling;

namespace Engagements.Standup;

public static class StandupServiceCollectionExtensions
{
    /// <summary>Status by chat (status, my work, board, overdue, blockers), the daily digest and the GitHub webhook. Call before AddScheduling.</summary>
    public static IHostApplicationBuilder AddStandup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StandupOptions>().BindConfiguration("Standup");
        builder.Services.AddOptions<GitHubOptions>().BindConfiguration("GitHub");
        builder.Services.AddScoped<StatusService>();
        builder.Services.AddScoped<BoardService>();
        builder.Services.AddScoped<MyWorkService>();
        builder.Services.AddScoped<OverdueService>();
        builder.Services.AddScoped<BlockerService>();
        builder.Services.AddScoped<StandupCommands>();
        builder.Services.AddScoped<StandupDigestService>();
        builder.Services.AddScoped<GitHubIssueSync>();

        var standup = builder.Configuration.GetSection("Standup").Get<StandupOptions>() ?? new StandupOptions();
        builder.Services.AddScheduledJob<StandupDigestJob>(standup.Cron, standup.TimeZone);
        return builder;
    }
}
