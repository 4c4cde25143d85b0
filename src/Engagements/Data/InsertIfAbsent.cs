using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Engagements.Data;

// INSERT ... ON CONFLICT (key) DO NOTHING, the same SQL on SQLite and PostgreSQL, for rows that two requests may create
// at the same moment. With SaveChanges the loser's unique violation is logged by EF Core as an error, with a stack
// trace, before the caller's catch can call it the normal case it is. Values go through the model's own type mappings
// (UTC ticks on SQLite, timestamptz on PostgreSQL, as UsageEventBulkInsert does); the row is not tracked afterwards.
internal static class InsertIfAbsent
{
    /// <summary>True when this call stored the row; false when a row with the same <paramref name="uniqueProperty"/> was there.</summary>
    public static async Task<bool> InsertIfAbsentAsync<TEntity>(this EngagementsDb db, TEntity row, string uniqueProperty, CancellationToken cancellationToken)
        where TEntity : class
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var properties = entity.GetProperties().ToList();
        await using var factory = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<DbParameter>(properties.Count);
        foreach (var property in properties)
        {
            var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
            // CreateParameter applies the mapping's value converter itself.
            parameters.Add(mapping.CreateParameter(factory, "@p" + parameters.Count, property.GetGetter().GetClrValue(row), property.IsNullable));
        }

        var sql = $"INSERT INTO {Quote(entity.GetTableName()!)} ({string.Join(", ", properties.Select(p => Quote(p.GetColumnName())))}) "
            + $"VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))}) "
            + $"ON CONFLICT ({Quote(entity.FindProperty(uniqueProperty)!.GetColumnName())}) DO NOTHING";
        return await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken) == 1;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
