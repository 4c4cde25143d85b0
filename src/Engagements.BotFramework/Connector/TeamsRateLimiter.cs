using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Connector;

/// <summary>
/// Paces sends so Teams never has to throttle us (notes §6.1): per conversation 7 per 1 s, 8 per 2 s, 60 per 30 s
/// (optionally 1800 per hour), and per tenant 50 per second. Callers wait for a free slot rather than fail.
/// Exact sliding windows over the grant times, not token buckets: a bucket would allow bursts the windows forbid.
/// </summary>
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
    private readonly long _idleAfter;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GrantLog> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GrantLog> _tenants = new(StringComparer.OrdinalIgnoreCase);
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
        _idleAfter = _conversationWindows.Max(w => w.Duration.Ticks) + _margin;
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

    /// <summary>Waits until both the conversation and the tenant have a free slot, takes it and returns when it was taken.</summary>
    public async ValueTask<DateTimeOffset> WaitAsync(string conversationId, string? tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        if (!_options.RateLimitingEnabled)
        {
            return _timeProvider.GetUtcNow();
        }

        while (true)
        {
            if (TryAcquire(conversationId, tenantId, out var grantedAt, out var wait))
            {
                return grantedAt;
            }

            // Another waiter may take the slot first; then we simply compute the next one.
            await Task.Delay(wait, _timeProvider, cancellationToken);
        }
    }

    internal bool TryAcquire(string conversationId, string? tenantId, out DateTimeOffset grantedAt, out TimeSpan wait)
    {
        var key = ThreadKey(conversationId);
        lock (_lock)
        {
            var now = Now();
            SweepIfDue(now);

            _conversations.TryGetValue(key, out var conversation);
            GrantLog? tenant = null;
            if (!string.IsNullOrEmpty(tenantId))
            {
                _tenants.TryGetValue(tenantId, out tenant);
            }

            var allowedAt = Math.Max(
                conversation?.EarliestAllowed(_conversationWindows, _margin) ?? long.MinValue,
                tenant?.EarliestAllowed(_tenantWindows, _margin) ?? long.MinValue);

            if (allowedAt > now)
            {
                grantedAt = default;
                wait = TimeSpan.FromTicks(allowedAt - now);
                return false;
            }

            if (conversation is null)
            {
                conversation = new GrantLog(_conversationWindows.Max(w => w.Limit));
                _conversations[key] = conversation;
            }

            conversation.Add(now);
            if (!string.IsNullOrEmpty(tenantId))
            {
                if (tenant is null)
                {
                    tenant = new GrantLog(_tenantWindows.Max(w => w.Limit));
                    _tenants[tenantId] = tenant;
                }

                tenant.Add(now);
            }

            grantedAt = new DateTimeOffset(now, TimeSpan.Zero);
            wait = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>
    /// Teams counts a channel's threads (<c>19:…;messageid=…</c>) against the channel, so the suffix is dropped.
    /// </summary>
    internal static string ThreadKey(string conversationId)
    {
        var index = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return index < 0 ? conversationId : conversationId[..index];
    }

    private long Now() => _timeProvider.GetUtcNow().UtcTicks;

    private void SweepIfDue(long now)
    {
        if (now - _lastSweep < _idleAfter)
        {
            return;
        }

        _lastSweep = now;
        Evict(_conversations, now, _idleAfter);
        Evict(_tenants, now, _tenantWindows.Max(w => w.Duration.Ticks) + _margin);
    }

    private static void Evict(Dictionary<string, GrantLog> logs, long now, long idleAfter)
    {
        foreach (var (key, log) in logs)
        {
            if (now - log.Newest >= idleAfter)
            {
                logs.Remove(key);
            }
        }
    }

    private readonly record struct Window(int Limit, TimeSpan Duration);

    /// <summary>The most recent grants (as many as the largest limit) in a ring buffer; older ones can never matter.</summary>
    private sealed class GrantLog(int capacity)
    {
        private readonly long[] _grants = new long[capacity];
        private int _start;
        private int _count;

        public long Newest => _grants[(_start + _count - 1) % _grants.Length];

        public void Add(long ticks)
        {
            if (_count < _grants.Length)
            {
                _grants[(_start + _count) % _grants.Length] = ticks;
                _count++;
            }
            else
            {
                _grants[_start] = ticks;
                _start = (_start + 1) % _grants.Length;
            }
        }

        /// <summary>
        /// A window of length D holding L grants is full until its oldest counted grant (the L-th most recent)
        /// is D old; the next grant may go then.
        /// </summary>
        public long EarliestAllowed(Window[] windows, long margin)
        {
            var earliest = long.MinValue;
            foreach (var window in windows)
            {
                if (_count >= window.Limit)
                {
                    var lthMostRecent = _grants[(_start + _count - window.Limit) % _grants.Length];
                    earliest = Math.Max(earliest, lthMostRecent + window.Duration.Ticks + margin);
                }
            }

            return earliest;
        }
    }
}
