using System.Data.Common;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Engagements.Benchmarks;

/// <summary>
/// Inserts entity objects without the change tracker, so generating millions of rows costs seconds, not minutes, and
/// is never part of a measurement. Columns, names and value conversions come from the EF Core model of this build, so
/// the storage rules (ADR 0002: UTC ticks and Guid text on SQLite, timestamptz on PostgreSQL, enums as seed text)
/// are the app's own, and a column another branch adds is picked up without touching this file.
/// SQLite: one prepared INSERT in one transaction. PostgreSQL: binary COPY.
/// </summary>
public sealed class BulkLoader(EngagementsDb db)
{
    public async Task<int> InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var columns = entity.GetProperties()
            .Where(p => p.PropertyInfo is not null || p.FieldInfo is not null)
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType is var t && (t == typeof(long) || t == typeof(int))))
            .Select(p => new Column(p, p.GetColumnName(), (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToArray();
        var table = Quote(entity.GetTableName()!);
        if (entity.GetSchema() is { } schema)
        {
            table = Quote(schema) + "." + table;
        }

        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, table, columns, rows, cancellationToken);
        }
        else
        {
            await InsertPreparedAsync(connection, table, columns, rows, cancellationToken);
        }

        return rows.Count;
    }

    private static async Task InsertPreparedAsync<T>(DbConnection connection, string table, Column[] columns, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var first = rows[0]!;
        var parameters = columns.Select((c, i) =>
        {
            // The mapping configures the parameter (DbType, SqliteType) from a sample value; later rows only change .Value.
            var parameter = c.Mapping.CreateParameter(command, "@p" + i, c.Property.GetGetter().GetClrValueUsingContainingEntity(first), c.Property.IsNullable);
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = columns[i].ProviderValue(row!) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, Column[] columns, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var types = columns.Select(PostgresType).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Length; i++)
            {
                var value = columns[i].ProviderValue(row!);
                if (value is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(value is DateTimeOffset instant ? instant.ToUniversalTime() : value, types[i], cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static NpgsqlDbType PostgresType(Column column)
    {
        var providerType = column.Mapping.Converter?.ProviderClrType ?? column.Property.ClrType;
        providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;
        if (column.Mapping.StoreType.StartsWith("jsonb", StringComparison.OrdinalIgnoreCase))
        {
            return NpgsqlDbType.Jsonb;
        }

        return providerType switch
        {
            _ when providerType == typeof(string) => NpgsqlDbType.Text,
            _ when providerType == typeof(Guid) => NpgsqlDbType.Uuid,
            _ when providerType == typeof(DateTimeOffset) || providerType == typeof(DateTime) => NpgsqlDbType.TimestampTz,
            _ when providerType == typeof(DateOnly) => NpgsqlDbType.Date,
            _ when providerType == typeof(int) => NpgsqlDbType.Integer,
            _ when providerType == typeof(long) => NpgsqlDbType.Bigint,
            _ when providerType == typeof(short) => NpgsqlDbType.Smallint,
            _ when providerType == typeof(bool) => NpgsqlDbType.Boolean,
            _ when providerType == typeof(double) => NpgsqlDbType.Double,
            _ when providerType == typeof(decimal) => NpgsqlDbType.Numeric,
            _ => throw new NotSupportedException($"BulkLoader: no COPY type for {column.Name} ({providerType.Name}, {column.Mapping.StoreType})"),
        };
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        private readonly IClrPropertyGetter _getter = Property.GetGetter();

        public object? ProviderValue(object entity)
        {
            var value = _getter.GetClrValueUsingContainingEntity(entity);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }
}
