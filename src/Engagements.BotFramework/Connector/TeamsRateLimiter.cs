using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Connector;

/// <summary>
/// Paces sends so Teams never has to throttle us (notes §6.1): per conversation 7 per 1 s, 8 per 2 s, 60 per 30 s
/// (optionally 1800 per hour), and per tenant 50 per second. Callers wait for a free slot rather than fail.
/// Exact sliding windows, not token buckets: a bucket would allow bursts the windows forbid.
/// </summary>
/// <remarks>
/// Teams counts a request when it arrives, which we never see; we only know it arrived after we released it and
/// before its response came back. A slot therefore counts from its release until its response (in flight it blocks
/// its window), and a window frees up one duration after the response of the send it is waiting on. Then no
/// scheduling delay, GC pause or slow connection between release and arrival can squeeze an extra send into one of
/// Teams' windows, whatever the machine's load.
/// </remarks>
public sealed class TeamsRateLimiter
{
    private static readonly Window[] ConversationWindows =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
    ];

    private static readonly Window HourlyWindow = new(1800, TimeSpan.FromHours(1));

    private readonly TimeProvider _timeProvider;
    private readonly ConnectorOptions _options;
    private readonly Window[] _conversationWindows;
    private readonly Window[] _tenantWindows;
    private readonly long _margin;
    private readonly long _conversationMemory;
    private readonly long _tenantMemory;
    private readonly long _inFlightBound;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SendLog> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SendLog> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _responseArrived = NewSignal();
    private long _lastSweep;

    public TeamsRateLimiter(TimeProvider timeProvider, IOptions<ConnectorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _options = options.Value;
        _conversationWindows = _options.EnforceHourlyLimit ? [.. ConversationWindows, HourlyWindow] : ConversationWindows;
        _tenantWindows = [new(Math.Max(1, _options.TenantRequestsPerSecond), TimeSpan.FromSeconds(1))];
        _margin = _options.RateLimitSafetyMargin.Ticks;
        _conversationMemory = _conversationWindows.Max(w => w.Duration.Ticks) + _margin;
        _tenantMemory = _tenantWindows.Max(w => w.Duration.Ticks) + _margin;
        // An attempt that gets no response is abandoned by HttpClient at RequestTimeout, so it arrived by then if at all.
        _inFlightBound = _options.RequestTimeout.Ticks;
        _lastSweep = Now();
    }

    /// <summary>Conversations currently remembered; idle ones are forgotten once their longest window has passed.</summary>
    public int TrackedConversations
    {
        get
        {
            lock (_lock)
            {
                return _conversations.Count;
            }
        }
    }

    /// <summary>
    /// Waits until both the conversation and the tenant have a free slot and takes it. Dispose the slot when the
    /// response has arrived (or the attempt failed): until then it counts as possibly arriving at any moment.
    /// </summary>
    public async ValueTask<RateLimitSlot> WaitAsync(string conversationId, string? tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        if (!_options.RateLimitingEnabled)
        {
            return new RateLimitSlot(this, null, null, _timeProvider.GetUtcNow());
        }

        while (true)
        {
            Task responseArrived;
            lock (_lock)
            {
                responseArrived = _responseArrived.Task;
            }

            if (TryAcquire(conversationId, tenantId, out var slot, out var wait, out var untilResponse))
            {
                return slot;
            }

            // Another waiter may take the slot first; then we simply compute the next one. A window held by a send
            // still in flight frees up one window after its response arrives, so a response means: compute again.
            if (!untilResponse)
            {
                await Task.Delay(wait, _timeProvider, cancellationToken);
                continue;
            }

            try
            {
                await responseArrived.WaitAsync(wait, _timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The send in flight timed out; its request can no longer arrive, so its window has moved on.
            }
        }
    }

    /// <summary>
    /// Takes a slot if one is free now; otherwise says how long to wait, and whether a response of a send in flight
    /// may shorten that wait.
    /// </summary>
    internal bool TryAcquire(string conversationId, string? tenantId, out RateLimitSlot slot, out TimeSpan wait, out bool untilResponse)
    {
        var key = ThreadKey(conversationId);
        lock (_lock)
        {
            var now = Now();
            SweepIfDue(now);

            _conversations.TryGetValue(key, out var conversation);
            SendLog? tenant = null;
            if (!string.IsNullOrEmpty(tenantId))
            {
                _tenants.TryGetValue(tenantId, out tenant);
            }

            var (conversationAllows, conversationInFlight) = conversation?.EarliestAllowed(_conversationWindows, _margin, now, _conversationMemory) ?? (long.MinValue, false);
            var (tenantAllows, tenantInFlight) = tenant?.EarliestAllowed(_tenantWindows, _margin, now, _tenantMemory) ?? (long.MinValue, false);
            var allowedAt = Math.Max(conversationAllows, tenantAllows);
            if (allowedAt > now)
            {
                slot = default!;
                wait = TimeSpan.FromTicks(allowedAt - now);
                untilResponse = conversationAllows > now && conversationInFlight || tenantAllows > now && tenantInFlight;
                return false;
            }

            if (conversation is null)
            {
                conversation = new SendLog();
                _conversations[key] = conversation;
            }

            var conversationSend = conversation.Start(now, _inFlightBound);
            SendLog.Send? tenantSend = null;
            if (!string.IsNullOrEmpty(tenantId))
            {
                if (tenant is null)
                {
                    tenant = new SendLog();
                    _tenants[tenantId] = tenant;
                }

                tenantSend = tenant.Start(now, _inFlightBound);
            }

            slot = new RateLimitSlot(this, conversationSend, tenantSend, new DateTimeOffset(now, TimeSpan.Zero));
            wait = TimeSpan.Zero;
            untilResponse = false;
            return true;
        }
    }

    internal void Complete(SendLog.Send? conversationSend, SendLog.Send? tenantSend)
    {
        TaskCompletionSource arrived;
        lock (_lock)
        {
            var now = Now();
            conversationSend?.Complete(now);
            tenantSend?.Complete(now);
            arrived = _responseArrived;
            _responseArrived = NewSignal();
        }

        arrived.TrySetResult();
    }

    /// <summary>
    /// Teams counts a channel's threads (<c>19:…;messageid=…</c>) against the channel, so the suffix is dropped.
    /// </summary>
    internal static string ThreadKey(string conversationId)
    {
        var index = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return index < 0 ? conversationId : conversationId[..index];
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long Now() => _timeProvider.GetUtcNow().UtcTicks;

    private void SweepIfDue(long now)
    {
        if (now - _lastSweep < _conversationMemory)
        {
            return;
        }

        _lastSweep = now;
        Evict(_conversations, now, _conversationMemory);
        Evict(_tenants, now, _tenantMemory);
    }

    private static void Evict(Dictionary<string, SendLog> logs, long now, long memory)
    {
        foreach (var (key, log) in logs)
        {
            if (log.IsIdle(now, memory))
            {
                logs.Remove(key);
            }
        }
    }

    internal readonly record struct Window(int Limit, TimeSpan Duration);

    /// <summary>
    /// The sends of one conversation or tenant that can still matter: each with the latest moment Teams may have seen
    /// it (its response time; while in flight, the moment its request times out). Older ones are dropped once past the
    /// longest window.
    /// </summary>
    internal sealed class SendLog
    {
        private readonly List<Send> _sends = [];
        private Send[] _scratch = [];

        public Send Start(long now, long inFlightBound)
        {
            var send = new Send(now + inFlightBound);
            _sends.Add(send);
            return send;
        }

        public bool IsIdle(long now, long memory)
        {
            Forget(now, memory);
            return _sends.Count == 0;
        }

        /// <summary>
        /// A window of length D allowing L sends is full while L earlier sends may have arrived less than D ago; the
        /// next send may go D after the L-th latest of them arrived. Also says whether that send is still in flight
        /// (its response will bring the time forward).
        /// </summary>
        public (long AllowedAt, bool WaitsOnSendInFlight) EarliestAllowed(Window[] windows, long margin, long now, long memory)
        {
            Forget(now, memory);
            if (_sends.Count == 0)
            {
                return (long.MinValue, false);
            }

            if (_scratch.Length < _sends.Count)
            {
                _scratch = new Send[Math.Max(_sends.Count, _scratch.Length * 2)];
            }

            _sends.CopyTo(_scratch);
            var latestFirst = _scratch.AsSpan(0, _sends.Count);
            latestFirst.Sort(static (a, b) => b.LatestArrival.CompareTo(a.LatestArrival));

            var earliest = long.MinValue;
            var inFlight = false;
            foreach (var window in windows)
            {
                if (latestFirst.Length >= window.Limit)
                {
                    var lthLatest = latestFirst[window.Limit - 1];
                    var allowedAt = lthLatest.LatestArrival + window.Duration.Ticks + margin;
                    if (allowedAt > earliest)
                    {
                        earliest = allowedAt;
                        inFlight = lthLatest.InFlight;
                    }
                }
            }

            Array.Clear(_scratch);
            return (earliest, inFlight);
        }

        private void Forget(long now, long memory) => _sends.RemoveAll(s => s.LatestArrival <= now - memory);

        internal sealed class Send(long timesOutAt)
        {
            public long LatestArrival { get; private set; } = timesOutAt;

            public bool InFlight { get; private set; } = true;

            public void Complete(long now)
            {
                LatestArrival = Math.Min(LatestArrival, now);
                InFlight = false;
            }
        }
    }
}

/// <summary>A taken send slot; dispose it when the response has arrived (or the attempt ended without one).</summary>
public sealed class RateLimitSlot : IDisposable
{
    private readonly TeamsRateLimiter _limiter;
    private readonly TeamsRateLimiter.SendLog.Send? _conversationSend;
    private readonly TeamsRateLimiter.SendLog.Send? _tenantSend;
    private int _completed;

    internal RateLimitSlot(TeamsRateLimiter limiter, TeamsRateLimiter.SendLog.Send? conversationSend, TeamsRateLimiter.SendLog.Send? tenantSend, DateTimeOffset grantedAt)
    {
        _limiter = limiter;
        _conversationSend = conversationSend;
        _tenantSend = tenantSend;
        GrantedAt = grantedAt;
    }

    public DateTimeOffset GrantedAt { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0 && (_conversationSend is not null || _tenantSend is not null))
        {
            _limiter.Complete(_conversationSend, _tenantSend);
        }
    }
}
