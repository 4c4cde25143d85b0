using Engagements.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Data;

public sealed class MigrationsOnSqliteTests(SqliteTestDatabase database) : MigrationTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class MigrationsOnPostgresTests(PostgresTestDatabase database) : MigrationTests(database), IClassFixture<PostgresTestDatabase>;

public abstract class MigrationTests(TestDatabase database)
{
    [Fact]
    public async Task Every_migration_applies_cleanly_on_a_fresh_database()
    {
        await using var db = database.CreateDb();

        var applied = await db.Database.GetAppliedMigrationsAsync();
        var pending = await db.Database.GetPendingMigrationsAsync();

        Assert.Empty(pending);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.NotEmpty(applied);
        Assert.Equal(0, await db.Customers.CountAsync());
    }
}

// No database needed: the model is compared with the provider's migration snapshot.
public sealed class MigrationDriftOnSqliteTests
{
    [Fact]
    public void Sqlite_migrations_capture_every_model_change()
    {
        using var db = new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(), MigrationDrift.Message("Sqlite", "SqliteEngagementsDb"));
    }
}

public sealed class MigrationDriftOnPostgresTests
{
    [Fact]
    public void Postgres_migrations_capture_every_model_change()
    {
        using var db = new PostgresEngagementsDb(new DbContextOptionsBuilder<PostgresEngagementsDb>().UseNpgsql("Host=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), MigrationDrift.Message("Postgres", "PostgresEngagementsDb"));
    }
}

internal static class MigrationDrift
{
    public static string Message(string provider, string context) =>
        $"The model has changes that the {provider} migrations do not capture. Add a migration for BOTH providers, e.g. " +
        $"cd src/Engagements && dotnet ef migrations add <Name> --context {context} --output-dir Data/Migrations/{provider} " +
        "(and the same for the other provider's context), then scripts/compile-ef-models.sh.";
}
