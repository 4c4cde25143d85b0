using Engagements.Data;
using Quartz;

namespace Engagements.Scheduling;

/// <summary>A job and its schedule, registered by the feature that owns the job.</summary>
/// <param name="Cron">Quartz cron syntax (with seconds).</param>
/// <param name="TimeZone">IANA id; UTC when null.</param>
public sealed record ScheduledJob(Type JobType, string Cron, string? TimeZone);

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with every job the features registered through <see cref="AddScheduledJob{TJob}"/>; call it after them
    /// (and after AddDatabase). Jobs are thin and call one service method; business time comes from the injected
    /// TimeProvider, so tests drive the service with a fake clock rather than waiting for a trigger.
    /// On PostgreSQL the schedule lives in the database (tables from the QuartzClusterTables migration) and every
    /// instance joins one cluster, so each trigger fires on exactly one instance; on SQLite (one instance) it stays in memory.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var jobs = builder.Services
            .Where(d => d.ServiceType == typeof(ScheduledJob) && d.ImplementationInstance is ScheduledJob)
            .Select(d => (ScheduledJob)d.ImplementationInstance!)
            .ToList();
        var database = builder.Services
            .Select(d => d.ImplementationInstance)
            .OfType<DatabaseSettings>()
            .LastOrDefault();
        builder.Services.AddQuartz(quartz =>
        {
            if (database?.Provider == DatabaseProvider.Postgres)
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseSystemTextJsonSerializer();
                    // A node that stops checking in (CheckinInterval + CheckinMisfireThreshold, Quartz's defaults) is
                    // presumed dead and its in-flight triggers are recovered by another node.
                    store.UseClustering();
                });
            }

            foreach (var job in jobs)
            {
                var key = new JobKey(job.JobType.Name);
                quartz.AddJob(job.JobType, j => j.WithIdentity(key).StoreDurably());
                quartz.AddTrigger(trigger => trigger
                    .ForJob(key)
                    .WithIdentity(key.Name + ".schedule")
                    .WithCronSchedule(job.Cron, schedule => schedule
                        .InTimeZone(job.TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(job.TimeZone))
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.SmartPolicy)));
            }
        });
        if (!builder.Configuration.GetValue("Scheduling:Enabled", true))
        {
            // Tests drive each job's service method under a fake clock; a live scheduler would race them.
            return builder;
        }

        if (database?.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddHostedService<ClusteredSchedulerService>();
        }
        else
        {
            builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        }

        return builder;
    }

    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string cron, string? timeZone = null)
        where TJob : class, IJob
    {
        services.AddTransient<TJob>();
        services.AddSingleton(new ScheduledJob(typeof(TJob), cron, timeZone));
        return services;
    }
}
