using Engagements.Data;
using Engagements.Scheduling;
using Engagements.Tests.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;
using Xunit.Abstractions;

namespace Engagements.Tests.Scheduling;

// Two schedulers built by the app's own AddScheduling, each in its own host (own instance id), share one PostgreSQL
// database: every fire of a 1-second trigger must run on exactly one of them.
[Collection(TimingSensitiveCollection.Name)]
public sealed class ClusteredSchedulingOnPostgresTests(PostgresTestDatabase database, ITestOutputHelper output) : IClassFixture<PostgresTestDatabase>
{
    private const int Fires = 30;

    [Fact]
    public async Task Each_fire_of_a_scheduled_job_runs_on_exactly_one_instance_and_the_other_takes_over_when_it_stops()
    {
        await ExecuteAsync("CREATE TABLE test_job_fires (fire_time timestamptz NOT NULL, instance_id text NOT NULL)");
        using var first = StartInstance();
        using var second = StartInstance();
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        // Half-way, the instance that has been firing stops; the survivor must carry on without a gap or a double.
        await WaitForFiresAsync(Fires / 2);
        var firing = await TextAsync("SELECT instance_id FROM test_job_fires ORDER BY fire_time DESC LIMIT 1");
        var (stopping, surviving) = await InstanceIdOf(first) == firing ? (first, second) : (second, first);
        var survivorId = await InstanceIdOf(surviving);
        await stopping.StopAsync();
        await WaitForFiresAsync(Fires + 1);
        await surviving.StopAsync();

        var distinct = await ScalarAsync("SELECT count(DISTINCT fire_time) FROM test_job_fires");
        var total = await ScalarAsync("SELECT count(*) FROM test_job_fires");
        var survivorFires = await ScalarAsync($"SELECT count(*) FROM test_job_fires WHERE instance_id = '{survivorId}'");
        output.WriteLine($"{distinct} fire times, {total} executions; {survivorFires} on the surviving instance");
        Assert.True(distinct >= Fires, $"only {distinct} fires in time");
        Assert.Equal(distinct, total);
        Assert.True(survivorFires >= Fires / 2 - 2, $"the surviving instance ran only {survivorFires}");
    }

    private async Task WaitForFiresAsync(int fires)
    {
        // Real time on purpose: the triggers fire on the wall clock.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ScalarAsync("SELECT count(DISTINCT fire_time) FROM test_job_fires") < fires && waited.Elapsed < TimeSpan.FromSeconds(Fires + 20))
        {
            await Task.Delay(250);
        }
    }

    private static async Task<string> InstanceIdOf(IHost host)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetSchedulerInstanceId();
    }

    private async Task<string?> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    private IHost StartInstance()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new DatabaseSettings(DatabaseProvider.Postgres, database.ConnectionString, MigrateOnStartup: false));
        builder.Services.AddScheduledJob<RecordFireJob>("* * * * * ?");
        builder.AddScheduling();
        return builder.Build();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

// Appends (scheduled fire time, instance) for every execution.
[DisallowConcurrentExecution]
public sealed class RecordFireJob(DatabaseSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO test_job_fires (fire_time, instance_id) VALUES (@fire, @instance)", connection);
        command.Parameters.AddWithValue("fire", context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        command.Parameters.AddWithValue("instance", await context.Scheduler.GetSchedulerInstanceId(cancellationToken));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
