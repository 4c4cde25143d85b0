using Engagements.BotFramework.Connector;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Engagements.BotFramework.Tests.Connector;

public sealed class TeamsRateLimiterTests
{
    private const string Tenant = "tenant-1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    private TeamsRateLimiter Limiter(ConnectorOptions? options = null) => new(_time, Options.Create(options ?? new ConnectorOptions()));

    /// <summary>
    /// Takes slots one by one, jumping the fake clock exactly to each wait the limiter asks for; each response
    /// arrives the instant its request was released.
    /// </summary>
    private List<DateTimeOffset> Drain(TeamsRateLimiter limiter, IEnumerable<(string Conversation, string? Tenant)> sends)
    {
        var grants = new List<DateTimeOffset>();
        foreach (var (conversation, tenant) in sends)
        {
            RateLimitSlot slot;
            while (!limiter.TryAcquire(conversation, tenant, out slot, out var wait, out _))
            {
                Assert.True(wait > TimeSpan.Zero);
                _time.Advance(wait);
            }

            slot.Dispose();
            grants.Add(slot.GrantedAt);
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
        Assert.Equal(TimeSpan.FromMilliseconds(1020), grants[7] - grants[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(30020), grants[60] - grants[0]);
    }

    [Fact]
    public async Task Concurrent_waiters_on_one_conversation_are_released_within_the_windows()
    {
        var limiter = Limiter();
        var waiters = Enumerable.Range(0, 100).Select(_ => limiter.WaitAsync("19:c@thread.tacv2", Tenant).AsTask()).ToList();
        var answered = new HashSet<Task<RateLimitSlot>>();

        for (var step = 0; step < 8000 && !waiters.All(w => w.IsCompleted); step++)
        {
            foreach (var released in waiters.Where(w => w.IsCompletedSuccessfully && answered.Add(w)).ToList())
            {
                (await released).Dispose();
            }

            // A response wakes its waiters on the thread pool; a real millisecond lets them take their next wait
            // before the fake clock moves on (Task.Yield alone left a few behind on a busy machine).
            _time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(1);
        }

        Assert.All(waiters, w => Assert.True(w.IsCompletedSuccessfully));
        Pacing.AssertWithinTeamsWindows((await Task.WhenAll(waiters)).Select(s => s.GrantedAt).Order().ToList());
    }

    [Fact]
    public void A_send_still_in_flight_keeps_its_place_in_the_tenant_window_until_its_response_arrives()
    {
        // With grant times alone, a request stuck in transit could arrive at Teams together with the next second's
        // full quota; counted until its response, it leaves room for one fewer.
        var limiter = Limiter(new ConnectorOptions { TenantRequestsPerSecond = 5 });
        var firstSecond = Drain(limiter, Enumerable.Range(0, 4).Select(i => ($"a:user-{i}", (string?)Tenant)));
        Assert.True(limiter.TryAcquire("a:slow", Tenant, out var slow, out _, out _));

        _time.Advance(TimeSpan.FromMilliseconds(1020));
        for (var i = 0; i < 4; i++)
        {
            Assert.True(limiter.TryAcquire($"a:next-{i}", Tenant, out var next, out _, out _));
            next.Dispose();
        }

        // Grant times alone would let a fifth go now; the slow request may still arrive inside this second.
        Assert.False(limiter.TryAcquire("a:fifth", Tenant, out _, out var wait, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(1020), wait);
        slow.Dispose();
        Assert.Equal(4, firstSecond.Count);
    }

    [Fact]
    public async Task When_every_slot_is_in_flight_the_next_send_goes_one_window_after_the_first_response()
    {
        var limiter = Limiter(new ConnectorOptions { TenantRequestsPerSecond = 5 });
        var inFlight = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => limiter.WaitAsync($"a:user-{i}", Tenant).AsTask()));
        var waiter = limiter.WaitAsync("a:next", Tenant).AsTask();

        await AdvanceAsync(TimeSpan.FromMilliseconds(300));
        Assert.False(waiter.IsCompleted);
        inFlight[2].Dispose();
        var answeredAt = _time.GetUtcNow();
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(waiter.IsCompleted);
        await AdvanceUntilAsync(waiter, TimeSpan.FromSeconds(1));

        Assert.Equal(answeredAt + TimeSpan.FromMilliseconds(1020), (await waiter).GrantedAt);
    }

    [Fact]
    public async Task A_send_that_never_answers_frees_its_place_once_its_request_has_timed_out()
    {
        var limiter = Limiter(new ConnectorOptions { TenantRequestsPerSecond = 5, RequestTimeout = TimeSpan.FromSeconds(5) });
        var startedAt = _time.GetUtcNow();
        var hung = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => limiter.WaitAsync($"a:user-{i}", Tenant).AsTask()));
        var waiter = limiter.WaitAsync("a:next", Tenant).AsTask();

        await AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.False(waiter.IsCompleted);
        await AdvanceUntilAsync(waiter, TimeSpan.FromSeconds(1));

        Assert.Equal(startedAt + TimeSpan.FromMilliseconds(6020), (await waiter).GrantedAt);
        GC.KeepAlive(hung);
    }

    // Steps the fake clock a millisecond at a time, giving waiters real time to react between steps.
    private async Task AdvanceUntilAsync(Task waiter, TimeSpan limit)
    {
        for (var waited = TimeSpan.Zero; !waiter.IsCompleted && waited < limit; waited += TimeSpan.FromMilliseconds(1))
        {
            await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        }
    }

    private async Task AdvanceAsync(TimeSpan step)
    {
        await Task.Delay(2);
        _time.Advance(step);
        await Task.Delay(2);
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
