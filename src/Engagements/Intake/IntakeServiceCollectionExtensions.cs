using Engagements.Assignments;
using Engagements.Scheduling;

namespace Engagements.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>Closed-won intake (webhook and form) and the Assign engineer approval it opens, with its follow-up job.</summary>
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrmOptions>().BindConfiguration("Crm");
        builder.Services.AddOptions<SegmentOptions>().BindConfiguration("Segments");
        builder.Services.AddOptions<AssignmentOptions>().BindConfiguration("Assignment");
        builder.Services.AddSingleton<SegmentRules>();
        builder.Services.AddScoped<IntakeService>();
        builder.Services.AddScoped<NewEngagementForm>();
        builder.Services.AddScoped<EngineerRanking>();
        builder.Services.AddScoped<AssignmentService>();
        builder.Services.AddScoped<AssignmentFollowUps>();
        builder.Services.AddScheduledJob<AssignmentFollowUpJob>(
            builder.Configuration["Assignment:FollowUpCron"] ?? new AssignmentOptions().FollowUpCron);
        return builder;
    }
}
