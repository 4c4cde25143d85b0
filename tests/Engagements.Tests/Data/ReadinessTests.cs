using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Engagements.Tests.Data;

public sealed class ReadinessOnSqliteTests
{
    [Fact]
    public async Task Healthz_answers_live()
    {
        await using var app = new DatabaseApplication("Sqlite", TempSqlite());

        var response = await app.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_is_200_once_startup_has_migrated_the_database()
    {
        await using var app = new DatabaseApplication("Sqlite", TempSqlite());

        var response = await app.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_is_503_with_a_reason_while_migrations_are_pending()
    {
        await using var app = new DatabaseApplication("Sqlite", TempSqlite(), migrateOnStartup: false);

        var response = await app.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("pending migrations", body.RootElement.GetProperty("reason").GetString());
    }

    private static string TempSqlite() => $"Data Source={Path.Combine(Path.GetTempPath(), $"eng_ready_{Guid.NewGuid():N}.db")}";
}

public sealed class ReadinessOnPostgresTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [Fact]
    public async Task Readyz_is_200_on_a_migrated_database_and_startup_migration_is_a_no_op()
    {
        await using var app = new DatabaseApplication("Postgres", database.ConnectionString);

        var response = await app.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_is_503_when_the_database_is_unreachable()
    {
        await using var app = new DatabaseApplication("Postgres", "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2", migrateOnStartup: false);

        var response = await app.CreateClient().GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}

// The real host with only the database settings changed; UseSetting (not ConfigureAppConfiguration) because
// Program reads Database:* while building, before app configuration callbacks would apply.
internal sealed class DatabaseApplication(string provider, string connectionString, bool migrateOnStartup = true)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Database:MigrateOnStartup", migrateOnStartup.ToString());
    }
}
