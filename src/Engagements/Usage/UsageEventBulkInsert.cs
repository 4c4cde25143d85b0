using System.Data.Common;
using System.Text;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Engagements.Usage;

// Multi-row INSERT ... ON CONFLICT ("EventId") DO NOTHING: the same SQL on SQLite and PostgreSQL, a few hundred rows
// per statement instead of one command per row (10,000 events went from ~13 s to well under a second). Values go
// through EF Core's own type mappings, so the storage rules of ADR 0002 (UTC ticks on SQLite, timestamptz on
// PostgreSQL, Guid text) are the model's, not re-implemented here. ON CONFLICT also keeps a concurrent re-send from
// failing the batch.
internal static class UsageEventBulkInsert
{
    private const int RowsPerStatement = 400;

    private static readonly string[] Properties =
    [
        nameof(UsageEvent.EventId), nameof(UsageEvent.CustomerId), nameof(UsageEvent.UserId), nameof(UsageEvent.Feature),
        nameof(UsageEvent.OccurredAt), nameof(UsageEvent.ProductVersion), nameof(UsageEvent.ReceivedAt),
    ];

    public static async Task<int> InsertAsync(EngagementsDb db, IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var entity = db.Model.FindEntityType(typeof(UsageEvent))!;
        var table = entity.GetTableName()!;
        var columns = Properties.Select(p => entity.FindProperty(p)!).ToArray();
        var mappings = columns.Select(c => (RelationalTypeMapping)c.GetRelationalTypeMapping()).ToArray();
        var columnList = string.Join(", ", columns.Select(c => Quote(c.GetColumnName())));
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var inserted = 0;

        foreach (var chunk in events.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO {Quote(table)} ({columnList}) VALUES ");
            for (var row = 0; row < chunk.Length; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                object?[] values = [chunk[row].EventId, chunk[row].CustomerId, chunk[row].UserId, chunk[row].Feature, chunk[row].OccurredAt, chunk[row].ProductVersion, chunk[row].ReceivedAt];
                for (var column = 0; column < values.Length; column++)
                {
                    var name = $"@p{row}_{column}";
                    sql.Append(column == 0 ? name : ", " + name);
                    command.Parameters.Add(Parameter(command, mappings[column], name, values[column], columns[column].IsNullable));
                }

                sql.Append(')');
            }

            sql.Append(" ON CONFLICT (").Append(Quote(entity.FindProperty(nameof(UsageEvent.EventId))!.GetColumnName())).Append(") DO NOTHING");
            command.CommandText = sql.ToString();
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return inserted;
    }

    private static DbParameter Parameter(DbCommand command, RelationalTypeMapping mapping, string name, object? value, bool nullable) =>
        // CreateParameter applies the mapping's value converter itself.
        mapping.CreateParameter(command, name, value, nullable);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
