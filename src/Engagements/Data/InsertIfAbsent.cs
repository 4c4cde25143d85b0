using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Engagements.Data;

// INSERT ... ON CONFLICT (key) DO NOTHING, the same SQL on SQLite and PostgreSQL, for rows that two requests may create
// at the same moment or a sender may send twice. With SaveChanges the loser's unique violation is logged by EF Core as
// an error, with a stack trace, before the caller's catch can call it the normal case it is; and a few hundred rows per
// statement instead of one command per row took 10,000 usage events from ~13 s to well under a second. Values go
// through the model's own type mappings, so the storage rules of ADR 0002 (UTC ticks on SQLite, timestamptz on
// PostgreSQL, Guid text) are the model's, not re-implemented here. Rows are not tracked afterwards.
internal static class InsertIfAbsent
{
    private const int RowsPerStatement = 400;

    /// <summary>True when this call stored the row; false when a row with the same <paramref name="uniqueProperty"/> was there.</summary>
    public static async Task<bool> InsertIfAbsentAsync<TEntity>(this EngagementsDb db, TEntity row, string uniqueProperty, CancellationToken cancellationToken)
        where TEntity : class =>
        await db.InsertAllIfAbsentAsync([row], uniqueProperty, cancellationToken) == 1;

    /// <summary>Stores the rows whose <paramref name="uniqueProperty"/> is not taken yet; returns how many it stored.</summary>
    public static async Task<int> InsertAllIfAbsentAsync<TEntity>(this EngagementsDb db, IReadOnlyList<TEntity> rows, string uniqueProperty, CancellationToken cancellationToken)
        where TEntity : class
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        // An integer key the database numbers itself (UsageEvent.Id) is left to the database.
        var columns = entity.GetProperties().Where(p => !IsDatabaseNumbered(p)).ToArray();
        var mappings = columns.Select(c => (RelationalTypeMapping)c.GetRelationalTypeMapping()).ToArray();
        var columnList = string.Join(", ", columns.Select(c => Quote(c.GetColumnName())));
        var conflict = Quote(entity.FindProperty(uniqueProperty)!.GetColumnName());
        var connection = db.Database.GetDbConnection();
        var inserted = 0;

        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            var parameters = new List<object>(chunk.Length * columns.Length);
            var sql = new StringBuilder($"INSERT INTO {Quote(entity.GetTableName()!)} ({columnList}) VALUES ");
            for (var row = 0; row < chunk.Length; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < columns.Length; column++)
                {
                    var name = $"@p{row}_{column}";
                    sql.Append(column == 0 ? name : ", " + name);
                    // CreateParameter applies the mapping's value converter itself.
                    parameters.Add(mappings[column].CreateParameter(command, name, columns[column].GetGetter().GetClrValue(chunk[row]), columns[column].IsNullable));
                }

                sql.Append(')');
            }

            sql.Append($" ON CONFLICT ({conflict}) DO NOTHING");
            // Through EF Core, so the command joins the caller's transaction, if any.
            inserted += await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }

        return inserted;
    }

    private static bool IsDatabaseNumbered(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
