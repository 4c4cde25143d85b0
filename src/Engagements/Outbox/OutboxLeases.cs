using System.Data.Common;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Engagements.Outbox;

/// <summary>
/// Claims outbox messages for one instance. A message is claimable when it is pending, due, not leased (or its lease
/// expired), it is the oldest pending message of its OrderingKey (so a conversation's messages go strictly in
/// order), and no other instance posted to that conversation within the handoff delay (so one instance paces it).
/// PostgreSQL: one UPDATE over a <c>FOR UPDATE SKIP LOCKED</c> selection, so concurrent instances never wait for
/// each other nor claim the same row. SQLite (one instance, one writer at a time): the same UPDATE, atomic by itself.
/// </summary>
internal sealed class OutboxLeases(DatabaseSettings settings)
{
    // The note a taken-over message carries: the previous holder may have posted it before it died (SPEC §6: at most
    // one visible duplicate, never a silent drop).
    public const string AbandonedNote = OutboxMessage.AmbiguousNote + "the lease expired while held by ";

    private static readonly string Pending = StoredText.Of(OutboxState.Pending);

    public bool IsPostgres => settings.Provider == DatabaseProvider.Postgres;

    /// <summary>Leases up to <paramref name="limit"/> claimable messages (of one OrderingKey, when given) and returns their sequences.</summary>
    public async Task<IReadOnlyList<long>> ClaimAsync(
        EngagementsDb db, string owner, DateTimeOffset now, TimeSpan leaseDuration, TimeSpan handoffDelay, int limit, string? orderingKey,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE "OutboxMessages" SET
                "LastError" = CASE WHEN "LeaseUntil" IS NOT NULL THEN @abandoned || COALESCE("LeaseOwner", '?') ELSE "LastError" END,
                "LeaseOwner" = @owner,
                "LeaseUntil" = @until,
                "Version" = "Version" + 1
            WHERE "Sequence" IN (
                SELECT c."Sequence" FROM "OutboxMessages" AS c
                WHERE c."State" = @pending AND c."NextAttemptAt" <= @now
                    AND (c."LeaseUntil" IS NULL OR c."LeaseUntil" <= @now)
                    {(orderingKey is null ? "" : "AND c.\"OrderingKey\" = @key")}
                    AND NOT EXISTS (
                        SELECT 1 FROM "OutboxMessages" AS e
                        WHERE e."OrderingKey" = c."OrderingKey" AND e."State" = @pending AND e."Sequence" < c."Sequence")
                    AND NOT EXISTS (
                        SELECT 1 FROM "OutboxMessages" AS h
                        WHERE h."OrderingKey" = c."OrderingKey" AND h."SentAt" > @handoffSince AND h."LeaseOwner" <> @owner)
                ORDER BY c."Sequence"
                LIMIT @limit
                {(IsPostgres ? "FOR UPDATE SKIP LOCKED" : "")})
            RETURNING "Sequence"
            """;

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            Add(command, "abandoned", AbandonedNote);
            Add(command, "owner", owner);
            Add(command, "until", Instant(now + leaseDuration));
            Add(command, "pending", Pending);
            Add(command, "now", Instant(now));
            Add(command, "handoffSince", Instant(now - handoffDelay));
            Add(command, "limit", limit);
            if (orderingKey is not null)
            {
                Add(command, "key", orderingKey);
            }

            var claimed = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetInt64(0));
            }

            claimed.Sort();
            return claimed;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Extends the leases this instance still holds; returns how many it still held.</summary>
    public Task<int> RenewAsync(EngagementsDb db, string owner, IReadOnlyCollection<long> sequences, DateTimeOffset until, CancellationToken cancellationToken) =>
        db.OutboxMessages
            .Where(m => sequences.Contains(m.Sequence) && m.LeaseOwner == owner && m.LeaseUntil != null && m.State == OutboxState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, until), cancellationToken);

    // SQLite stores instants as UTC ticks (SqliteEngagementsDb); raw SQL must compare against the same representation.
    private object Instant(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : value.UtcTicks;

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
