using Engagements.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Engagements.Tests.Data;

// One fresh, migrated database per test class (xunit class fixture). Tests open as many contexts as they need.
public abstract class TestDatabase : IAsyncLifetime
{
    public abstract DatabaseProvider Provider { get; }

    public abstract string ConnectionString { get; }

    public abstract EngagementsDb CreateDb();

    public async Task InitializeAsync()
    {
        await CreateAsync();
        await using var db = CreateDb();
        await DatabaseMigrator.MigrateAsync(db, CancellationToken.None);
        await SeedAsync();
    }

    public abstract Task DisposeAsync();

    protected abstract Task CreateAsync();

    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task InsertAsync(params object[] entities)
    {
        await using var db = CreateDb();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }
}

// A temp file rather than in-memory: two contexts then really are two connections, as two bot instances would be.
public class SqliteTestDatabase : TestDatabase
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"eng_test_{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ConnectionString => $"Data Source={path}";

    public override EngagementsDb CreateDb() =>
        new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite(ConnectionString).Options);

    protected override Task CreateAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }
}

// A database of its own (eng_test_<guid>) on the server named by ENGAGEMENTS_TEST_POSTGRES, dropped afterwards.
// Without that variable every PostgreSQL test fails with the message below: they never silently skip.
public class PostgresTestDatabase : TestDatabase
{
    public const string ServerVariable = "ENGAGEMENTS_TEST_POSTGRES";
    private readonly string databaseName = $"eng_test_{Guid.NewGuid():N}";
    private string? connectionString;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ConnectionString => connectionString ?? throw new InvalidOperationException("Not initialised.");

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set, so the PostgreSQL tests cannot run (they fail rather than skip). Start a throwaway " +
                $"server with: d=$(mktemp -d); export {ServerVariable}=$(scripts/postgres.sh start $d/pg) — or run scripts/test.sh.");

    public override EngagementsDb CreateDb() =>
        new PostgresEngagementsDb(new DbContextOptionsBuilder<PostgresEngagementsDb>().UseNpgsql(ConnectionString).Options);

    protected override async Task CreateAsync()
    {
        var server = ServerConnectionString;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        connectionString = new NpgsqlConnectionStringBuilder(server) { Database = databaseName }.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        if (connectionString is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
