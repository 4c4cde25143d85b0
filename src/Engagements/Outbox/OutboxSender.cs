using System.Collections.Concurrent;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Outbox;

/// <summary>What one delivery pass did.</summary>
public sealed record OutboxDeliveryCounts(int Sent, int Retrying, int Failed, int RecipientGone, int Blocked, int Recorded, int Superseded, int Waiting)
{
    public int Total => Sent + Retrying + Failed + RecipientGone + Blocked + Recorded + Superseded + Waiting;
}

/// <summary>
/// Delivers outbox messages (SPEC §6). A worker claims the oldest due message of a conversation with a lease, delivers
/// it, and in the same transaction that records the outcome claims that conversation's next message, so a
/// conversation stays with one worker (in order, paced by one rate limiter) while other conversations go in parallel.
/// Safe to run in several processes against one database and several times at once in one process.
/// </summary>
public sealed partial class OutboxSender(
    IServiceScopeFactory scopes,
    DatabaseSettings database,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxSender> logger)
{
    private readonly OutboxOptions _options = options.Value;
    private readonly OutboxLeases _leases = new(database);
    private readonly ConcurrentDictionary<long, byte> _held = new();
    private readonly Lock _heartbeatLock = new();
    private Task? _heartbeat;

    public string InstanceId { get; } = options.Value.InstanceId
        ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Delivers what is due now (one claim of up to MaxConcurrentConversations conversations) and waits for it.</summary>
    public async Task<OutboxDeliveryCounts> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var chains = await StartAsync(_options.MaxConcurrentConversations, tally, cancellationToken);
        await Task.WhenAll(chains);
        return tally.Snapshot();
    }

    /// <summary>Claims up to <paramref name="conversations"/> conversations and starts delivering each; the background loop tops up as workers finish.</summary>
    internal async Task<IReadOnlyList<Task>> StartAsync(int conversations, Tally tally, CancellationToken cancellationToken)
    {
        if (conversations <= 0)
        {
            return [];
        }

        IReadOnlyList<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
            claimed = await _leases.ClaimAsync(
                db, InstanceId, clock.GetUtcNow(), _options.LeaseDuration, _options.HandoffDelay, conversations, orderingKey: null, cancellationToken);
        }

        // A claimed message this process is still delivering (its lease ran out under load and this process took it
        // back) already has a worker; a second one would post it twice.
        var mine = claimed.Where(sequence => _held.TryAdd(sequence, 0)).ToList();
        EnsureHeartbeat();
        return [.. mine.Select(sequence => Task.Run(() => RunChainAsync(sequence, tally, cancellationToken), CancellationToken.None))];
    }

    private async Task RunChainAsync(long first, Tally tally, CancellationToken cancellationToken)
    {
        long? next = first;
        for (var delivered = 1; next is { } sequence; delivered++)
        {
            try
            {
                next = await DeliverAndClaimNextAsync(sequence, claimNext: delivered < _options.MessagesPerClaim, tally, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await HandBackAsync(sequence);
                return;
            }
            catch (Exception ex)
            {
                LogUnexpected(logger, ex, sequence);
                next = null;
            }
            finally
            {
                _held.TryRemove(sequence, out _);
            }

            if (next is { } claimed && !_held.TryAdd(claimed, 0))
            {
                next = null;
            }

            EnsureHeartbeat();
        }
    }

    // Shutting down mid-delivery: give the message back at once rather than after the lease, flagged, because the
    // request may have been on the wire when it was cancelled.
    private async Task HandBackAsync(long sequence)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
            await db.OutboxMessages
                .Where(m => m.Sequence == sequence && m.LeaseOwner == InstanceId && m.LeaseUntil != null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null)
                        .SetProperty(m => m.LastError, OutboxMessage.AmbiguousNote + "delivery was interrupted by a shutdown of " + InstanceId)
                        .SetProperty(m => m.Version, m => m.Version + 1),
                    CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The lease runs out instead and another instance takes the message over then.
            LogUnexpected(logger, ex, sequence);
        }
    }

    private async Task<long?> DeliverAndClaimNextAsync(long sequence, bool claimNext, Tally tally, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Sequence == sequence, cancellationToken);
        DeliveryOutcome outcome;
        try
        {
            outcome = await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bad payload, a mail server error, a database hiccup: retried with backoff, Failed after MaxAttempts.
            outcome = DeliveryOutcome.RetryLater($"{ex.GetType().Name}: {ex.Message}");
        }

        db.ChangeTracker.Clear();
        return await RecordAsync(db, message, outcome, claimNext, tally, cancellationToken);
    }

    // Records the outcome only if this instance still holds the lease, and claims the conversation's next message in
    // the same transaction: another instance sees either this message pending or the next one leased, never a gap.
    private async Task<long?> RecordAsync(EngagementsDb db, OutboxMessage message, DeliveryOutcome outcome, bool claimNext, Tally tally, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempts = message.Attempts + (outcome.CountsAsAttempt ? 1 : 0);
        var state = outcome.State;
        var nextAttemptAt = message.NextAttemptAt;
        if (outcome.Retry)
        {
            if (outcome.CountsAsAttempt && attempts >= _options.MaxAttempts)
            {
                state = OutboxState.Failed;
            }
            else
            {
                nextAttemptAt = now + (outcome.RetryAfter ?? Backoff(attempts));
            }
        }

        var error = Truncate(outcome.Settled ? Settled(message.LastError, outcome.Error) : Combine(message.LastError, outcome.Error, state));
        var sentAt = state == OutboxState.Sent ? now : (DateTimeOffset?)null;

        // Cancelling half-way through recording would lose a delivered message's outcome; finish it.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var recorded = await db.OutboxMessages
            .Where(m => m.Sequence == message.Sequence && m.LeaseOwner == InstanceId && m.LeaseUntil != null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.State, state)
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(m => m.SentAt, sentAt)
                    .SetProperty(m => m.ResultActivityId, outcome.ActivityId)
                    .SetProperty(m => m.ResultConversationId, outcome.ConversationId)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.Version, m => m.Version + 1),
                CancellationToken.None);
        if (recorded == 0)
        {
            // The lease ran out and another instance took the message over; it will deliver (and flag) it.
            await transaction.RollbackAsync(CancellationToken.None);
            LogLeaseLost(logger, message.Sequence, InstanceId);
            return null;
        }

        IReadOnlyList<long> next = [];
        if (claimNext && state != OutboxState.Pending && message.OrderingKey is { } key && !cancellationToken.IsCancellationRequested)
        {
            next = await _leases.ClaimAsync(db, InstanceId, now, _options.LeaseDuration, _options.HandoffDelay, 1, key, CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        tally.Add(state, outcome);
        Log(message, state, attempts, error, nextAttemptAt);
        return next.Count > 0 ? next[0] : null;
    }

    private void Log(OutboxMessage message, OutboxState state, int attempts, string? error, DateTimeOffset nextAttemptAt)
    {
        switch (state)
        {
            case OutboxState.Sent or OutboxState.Recorded or OutboxState.Superseded:
                LogDelivered(logger, message.Sequence, message.Kind, message.OrderingKey, state);
                break;
            case OutboxState.Pending:
                LogRetrying(logger, message.Sequence, message.Kind, message.OrderingKey, attempts, nextAttemptAt, error);
                break;
            default:
                // Admins find these with OutboxQueries.NeedingAttention; the log is where monitoring sees them first.
                LogGaveUp(logger, message.Sequence, message.Kind, message.OrderingKey, state, attempts, error);
                break;
        }
    }

    private static string? Combine(string? previous, string? current, OutboxState state)
    {
        // Keep the ambiguity flag of a takeover or a 5xx: it is the one thing an admin needs to know about a duplicate.
        var keep = OutboxMessage.IsAmbiguous(previous) ? previous : null;
        if (state == OutboxState.Sent && current is null)
        {
            return keep;
        }

        return keep is null ? current : current is null ? keep : keep + " | " + current;
    }

    // Settled by reading the conversation back: no longer ambiguous, but keep why it was, for whoever looks at the row.
    private static string? Settled(string? previous, string? note) =>
        OutboxMessage.IsAmbiguous(previous)
            ? $"{note}; before that, {previous![OutboxMessage.AmbiguousNote.Length..]}"
            : note;

    private static string? Truncate(string? text) => text is { Length: > 2000 } ? text[..2000] : text;

    private TimeSpan Backoff(int attempts)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exponential, _options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    // While this process holds leases, it renews them every third of the lease, so a slow delivery (long Retry-After
    // waits inside the connector) is never taken over while this process is alive. Real time: leases guard against
    // real crashes, whatever the business clock says.
    private void EnsureHeartbeat()
    {
        lock (_heartbeatLock)
        {
            if (_heartbeat is null || _heartbeat.IsCompleted)
            {
                _heartbeat = Task.Run(HeartbeatAsync);
            }
        }
    }

    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(_options.LeaseDuration / 3);
        while (await timer.WaitForNextTickAsync())
        {
            var held = _held.Keys.ToList();
            if (held.Count == 0)
            {
                lock (_heartbeatLock)
                {
                    if (_held.IsEmpty)
                    {
                        _heartbeat = null;
                        return;
                    }
                }

                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
                await _leases.RenewAsync(db, InstanceId, held, clock.GetUtcNow() + _options.LeaseDuration, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogRenewFailed(logger, ex, held.Count);
            }
        }
    }

    internal sealed class Tally
    {
        private int _sent, _retrying, _failed, _gone, _blocked, _recorded, _superseded, _waiting;

        public void Add(OutboxState state, DeliveryOutcome outcome)
        {
            _ = state switch
            {
                OutboxState.Sent => Interlocked.Increment(ref _sent),
                OutboxState.Failed => Interlocked.Increment(ref _failed),
                OutboxState.RecipientGone => Interlocked.Increment(ref _gone),
                OutboxState.Blocked => Interlocked.Increment(ref _blocked),
                OutboxState.Recorded => Interlocked.Increment(ref _recorded),
                OutboxState.Superseded => Interlocked.Increment(ref _superseded),
                _ when !outcome.CountsAsAttempt => Interlocked.Increment(ref _waiting),
                _ => Interlocked.Increment(ref _retrying),
            };
        }

        public OutboxDeliveryCounts Snapshot() => new(_sent, _retrying, _failed, _gone, _blocked, _recorded, _superseded, _waiting);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox {Sequence} ({Kind}) to {OrderingKey}: {State}")]
    private static partial void LogDelivered(ILogger logger, long sequence, OutboxKind kind, string? orderingKey, OutboxState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Sequence} ({Kind}) to {OrderingKey}: attempt {Attempts} did not go through, next at {NextAttemptAt}: {Error}")]
    private static partial void LogRetrying(ILogger logger, long sequence, OutboxKind kind, string? orderingKey, int attempts, DateTimeOffset nextAttemptAt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Sequence} ({Kind}) to {OrderingKey} is {State} after {Attempts} attempt(s): {Error}")]
    private static partial void LogGaveUp(ILogger logger, long sequence, OutboxKind kind, string? orderingKey, OutboxState state, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Sequence}: the lease of {InstanceId} ran out during delivery; another instance took the message over")]
    private static partial void LogLeaseLost(ILogger logger, long sequence, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Sequence}: delivery failed unexpectedly; the lease will expire and the message be retried")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: renewing {Count} lease(s) failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);
}
