using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Data;

public sealed class MigrationsOnSqliteTests(SqliteTestDatabase database) : MigrationTests(database), IClassFixture<SqliteTestDatabase>;

public sealed class MigrationsOnPostgresTests(PostgresTestDatabase database) : MigrationTests(database), IClassFixture<PostgresTestDatabase>;

public abstract class MigrationTests(TestDatabase database)
{
    [Fact]
    public void Migrations_capture_every_model_change()
    {
        using var db = database.CreateDb();

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that the {database.Provider} migrations do not capture. Add a migration for BOTH providers: " +
            "dotnet ef migrations add <Name> --project src/Engagements --context SqliteEngagementsDb --output-dir Data/Migrations/Sqlite, " +
            "then the same with --context PostgresEngagementsDb --output-dir Data/Migrations/Postgres.");
    }

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
