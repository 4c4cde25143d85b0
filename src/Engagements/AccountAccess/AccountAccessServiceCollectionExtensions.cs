using Engagements.Assignments;
using Engagements.Links;
using Engagements.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engagements.AccountAccess;

public static class AccountAccessServiceCollectionExtensions
{
    /// <summary>Account requests, the follow-up document and its export link, and the daily send/escalate job. Before AddScheduling.</summary>
    public static IHostApplicationBuilder AddAccountAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountAccessOptions>().BindConfiguration("AccountAccess");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSignedLinks();
        builder.Services.AddScoped<AccountAccessService>();
        builder.Services.AddScoped<AccountRequestMessages>();
        builder.Services.AddScoped<FollowUpDocument>();
        builder.Services.AddScoped<AccessListEditor>();
        builder.Services.AddScoped<AccountAccessCommands>();
        builder.Services.AddScoped<IAssignmentApprovedHandler, AccountRequestsOnAssignment>();
        var options = builder.Configuration.GetSection("AccountAccess").Get<AccountAccessOptions>() ?? new AccountAccessOptions();
        builder.Services.AddScheduledJob<AccountAccessJob>(options.Cron, options.TimeZone);
        return builder;
    }
}
