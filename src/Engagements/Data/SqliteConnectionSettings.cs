using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Engagements.Data;

/// <summary>
/// Per-connection SQLite settings (they are not stored in the file):
/// <list type="bullet">
/// <item><c>busy_timeout</c>: a writer that finds the database locked waits inside SQLite, retrying within a
/// millisecond or two. Without it Microsoft.Data.Sqlite sleeps 150 ms per retry, which under concurrent turns showed
/// up as a p50 of 200–800 ms with the CPU idle.</item>
/// <item><c>synchronous=NORMAL</c>: with WAL, a commit no longer waits for an fsync (about 3 ms here, and every turn
/// writes); the database stays consistent after any crash, and only a power loss can lose the last commits.</item>
/// </list>
/// Set once per native connection: EF Core opens a pooled connection for every query, and the pool hands back the
/// same native handle, which keeps its settings.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection, out var handle))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            _configured.AddOrUpdate(handle, handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection, out var handle))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            _configured.AddOrUpdate(handle, handle);
        }
    }

    private bool IsNew(DbConnection connection, out object handle)
    {
        handle = (object?)(connection as SqliteConnection)?.Handle ?? connection;
        return !_configured.TryGetValue(handle, out _);
    }
}
