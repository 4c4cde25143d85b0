using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Engagements.Data;
using Engagements.Tests.Data;
using Engagements.Outbox;
using Engagements.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Engagements.Tests;

/// <summary>
/// The real app (Program.cs, real middleware, real SQLite file) with a loopback fake Bot Connector and a fake clock.
/// Tests post real Teams activities to /api/messages and assert on stored rows and on what the connector received.
/// </summary>
public class EngagementsApplication : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"eng_app_{Guid.NewGuid():N}.db");

    /// <summary>Monday 23 November 2026, 09:00 UTC: a business day, so day-counting rules behave as on a normal morning.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public FakeConnector Connector { get; private set; } = null!;

    /// <summary>Every log line the host wrote (at the configured levels), so a test can assert a normal case logs no error.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Extra configuration; set before the first request (the host is built lazily).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Demo:Enabled"] = "true",
        // Jobs are tested by calling their services under the fake clock; live triggers would race the tests.
        ["Scheduling:Enabled"] = "false",
    };

    private PostgresTestDatabase? postgres;

    /// <summary>True runs the host on a fresh database of the test PostgreSQL server instead of a SQLite file.</summary>
    protected virtual bool OnPostgres => false;

    public virtual async Task InitializeAsync()
    {
        if (OnPostgres)
        {
            postgres = new PostgresTestDatabase();
            await postgres.InitializeAsync();
            Settings["Database:Provider"] = "Postgres";
            Settings["Database:ConnectionString"] = postgres.ConnectionString;
        }

        // The fake stamps requests (and Graph's message times) by the same clock the app reads, as Teams and the app share real time.
        Connector = await FakeConnector.StartAsync(Clock);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development + no app id + an in-process server is the anonymous mode the Playground uses; auth tests set Bot:AppId.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", $"Data Source={databasePath}");
        // The outbox reads possibly-landed posts back from the fake's Graph double, as it would from Graph.
        builder.UseSetting("Outbox:ReadBack:GraphBaseUrl", Connector.GraphBaseUrl);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // The clock every rule reads; the fake lets tests move time instead of waiting.
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public string ServiceUrl => Connector.ServiceUrl;

    public async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/messages", activity);
        return response;
    }

    /// <summary>Posts an invoke and returns its HTTP status and JSON body.</summary>
    public async Task<(int Status, JsonObject? Body)> InvokeAsync(JsonObject activity)
    {
        var response = await PostActivityAsync(activity);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)?.AsObject());
    }

    /// <summary>
    /// One outbox delivery pass: sends what is due now (by <see cref="Clock"/>) and waits for it. Safe alongside the
    /// background loop (on by default here); tests that want full control set Outbox:BackgroundDelivery=false.
    /// </summary>
    public Task<OutboxDeliveryCounts> DeliverOutboxAsync() =>
        Services.GetRequiredService<OutboxSender>().DeliverDueAsync(CancellationToken.None);

    public async Task<T> QueryAsync<T>(Func<EngagementsDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<EngagementsDb>());
    }

    public async Task ExecuteAsync(Func<EngagementsDb, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<EngagementsDb>());
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Connector.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
