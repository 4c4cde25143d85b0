using Engagements.BotFramework.Connector;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Engagements.BotFramework.Tests.Connector;

public sealed class TeamsRateLimiterTests
{
    private const string Tenant = "tenant-1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    private TeamsRateLimiter Limiter(ConnectorOptions? options = null) => new(_time, Options.Create(options ?? new ConnectorOptions()));

    /// <summary>Takes slots one by one, jumping the fake clock exactly to each wait the limiter asks for.</summary>
    private List<DateTimeOffset> Drain(TeamsRateLimiter limiter, IEnumerable<(string Conversation, string? Tenant)> sends)
    {
        var grants = new List<DateTimeOffset>();
        foreach (var (conversation, tenant) in sends)
        {
            DateTimeOffset grantedAt;
            while (!limiter.TryAcquire(conversation, tenant, out grantedAt, out var wait))
            {
                Assert.True(wait > TimeSpan.Zero);
                _time.Advance(wait);
            }

            grants.Add(grantedAt);
        }

        return grants;
    }

    [Fact]
    public void A_burst_of_100_to_one_conversation_never_exceeds_7_per_second_8_per_2_seconds_or_60_per_30_seconds()
    {
        var grants = Drain(Limiter(), Enumerable.Repeat(("19:c@thread.tacv2", (string?)Tenant), 100));

        Pacing.AssertWithinTeamsWindows(grants);
        // And it is not needlessly slow: the first 7 go at once, the 8th after 1 s, the 61st after 30 s.
        Assert.Equal(grants[0], grants[6]);
        Assert.Equal(TimeSpan.FromSeconds(1.1), grants[7] - grants[0]);
        Assert.Equal(TimeSpan.FromSeconds(30.1), grants[60] - grants[0]);
    }

    [Fact]
    public async Task Concurrent_waiters_on_one_conversation_are_released_within_the_windows()
    {
        var limiter = Limiter();
        var waiters = Enumerable.Range(0, 100).Select(_ => limiter.WaitAsync("19:c@thread.tacv2", Tenant).AsTask()).ToList();

        for (var step = 0; step < 2000 && !waiters.All(w => w.IsCompleted); step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Yield();
        }

        Assert.All(waiters, w => Assert.True(w.IsCompletedSuccessfully));
        Pacing.AssertWithinTeamsWindows((await Task.WhenAll(waiters)).Order().ToList());
    }

    [Fact]
    public void Tenant_stays_at_50_per_second_across_many_conversations()
    {
        var grants = Drain(Limiter(), Enumerable.Range(0, 300).Select(i => ($"a:user-{i}", (string?)Tenant)));

        Pacing.AssertAtMost(grants, 50, TimeSpan.FromSeconds(1));
        Assert.Equal(grants[0], grants[49]);
        Assert.True(grants[50] > grants[49]);
    }

    [Fact]
    public void Different_tenants_and_conversations_do_not_wait_for_each_other()
    {
        var grants = Drain(Limiter(), Enumerable.Range(0, 100).Select(i => ($"a:user-{i}", (string?)$"tenant-{i % 3}")));

        Assert.All(grants, g => Assert.Equal(grants[0], g));
    }

    [Fact]
    public void Threads_of_a_channel_share_the_channel_limit()
    {
        var grants = Drain(Limiter(), Enumerable.Range(0, 8).Select(i => ($"19:c@thread.tacv2;messageid={i}", (string?)null)));

        Pacing.AssertAtMost(grants, 7, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Hourly_limit_is_applied_when_enabled()
    {
        var grants = Drain(Limiter(new ConnectorOptions { EnforceHourlyLimit = true }), Enumerable.Repeat(("a:one-user", (string?)null), 1801));

        Pacing.AssertAtMost(grants, 1800, TimeSpan.FromHours(1));
    }

    [Fact]
    public void Idle_conversations_are_forgotten()
    {
        var limiter = Limiter();
        Drain(limiter, Enumerable.Range(0, 1000).Select(i => ($"a:user-{i}", (string?)null)));
        Assert.Equal(1000, limiter.TrackedConversations);

        _time.Advance(TimeSpan.FromSeconds(31));
        Drain(limiter, [("a:fresh", null)]);

        Assert.Equal(1, limiter.TrackedConversations);
    }

    [Fact]
    public async Task Disabled_limiter_never_waits()
    {
        var limiter = Limiter(new ConnectorOptions { RateLimitingEnabled = false });

        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.WaitAsync("a:c", Tenant).IsCompleted);
        }

        await Task.CompletedTask;
    }
}
