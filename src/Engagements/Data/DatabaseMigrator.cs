using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Engagements.Data;

// Applies the provider's migrations before the server starts listening (hosted services start before Kestrel).
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopes, DatabaseSettings settings, ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any fixed 64-bit number works; every instance must use the same one. ASCII "EngMigr".
    private const long MigrationLockKey = 0x456E674D696772;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.MigrateOnStartup)
        {
            LogSkipped(logger);
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
        var applied = await MigrateAsync(db, cancellationToken);
        LogMigrated(logger, settings.Provider, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Returns the number of migrations applied. Public to tests and benchmarks through InternalsVisibleTo.
    internal static async Task<int> MigrateAsync(EngagementsDb db, CancellationToken cancellationToken)
    {
        if (db is PostgresEngagementsDb)
        {
            return await MigratePostgresAsync(db, cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending > 0)
        {
            // Only then: MigrateAsync first builds the last migration's model to check for unmigrated changes (the
            // drift tests do that before a release), which costs a second or more of every start.
            await db.Database.MigrateAsync(cancellationToken);
        }

        // WAL lets the bot read while a job writes; the setting is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return pending;
    }

    // Several instances may start at once. EF Core's own migration lock covers the history table; the session-level
    // advisory lock also serialises the database creation check and keeps the "pending" count honest.
    private static async Task<int> MigratePostgresAsync(EngagementsDb db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance created it first.
            }
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                if (pending > 0)
                {
                    await db.Database.MigrateAsync(cancellationToken);
                }

                return pending;
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database:MigrateOnStartup is false; migrations were not applied")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ({Provider}) is up to date; {Applied} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider, int applied);
}
