using System.Text.Json.Nodes;
using Engagements.Conversations;
using Engagements.Outbox;
using Engagements.Standup;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Engagements.Tests.Standup;

public sealed class DigestApplication : EngagementsApplication;

public class StandupDigestTests(DigestApplication app) : IClassFixture<DigestApplication>
{
    private const string StandupChannel = "19:delivery-standup@thread.tacv2";

    [Fact]
    public async Task The_digest_trigger_fires_at_nine_London_time_so_its_UTC_instant_moves_across_the_March_DST_change()
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey(nameof(StandupDigestJob) + ".schedule")));

        Assert.Equal("0 0 9 ? * MON-FRI", trigger.CronExpressionString);
        Assert.Equal("Europe/London", trigger.TimeZone.Id);
        var friday = trigger.GetFireTimeAfter(new DateTimeOffset(2027, 3, 25, 12, 0, 0, TimeSpan.Zero));
        var monday = trigger.GetFireTimeAfter(friday);
        Assert.Equal(new DateTimeOffset(2027, 3, 26, 9, 0, 0, TimeSpan.Zero), friday);
        // Clocks go forward on Sunday 28 March 2027: 09:00 BST is 08:00 UTC, and the weekend is skipped.
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 8, 0, 0, TimeSpan.Zero), monday);
    }

    [Fact]
    public void The_cron_moves_back_an_hour_in_UTC_when_London_leaves_summer_time()
    {
        var cron = new CronExpression(new StandupOptions().Cron, TimeZoneInfo.FindSystemTimeZoneById(new StandupOptions().TimeZone));

        var friday = cron.GetNextValidTimeAfter(new DateTimeOffset(2027, 10, 28, 12, 0, 0, TimeSpan.Zero));
        var monday = cron.GetNextValidTimeAfter(friday!.Value);

        Assert.Equal(new DateTimeOffset(2027, 10, 29, 8, 0, 0, TimeSpan.Zero), friday);
        Assert.Equal(new DateTimeOffset(2027, 11, 1, 9, 0, 0, TimeSpan.Zero), monday);
    }

    [Fact]
    public async Task Running_the_digest_writes_one_outbox_post_grouped_by_engineer_and_a_second_run_posts_nothing()
    {
        Assert.Equal(DigestOutcome.NoChannelBound, await RunDigestAsync());
        Assert.False(await app.QueryAsync(db => db.OutboxMessages.AnyAsync(m => m.IdempotencyKey!.StartsWith("standup-digest:"))));

        await app.ExecuteAsync(async db =>
        {
            db.ChannelBindings.Add(new ChannelBinding { Purpose = ChannelPurpose.Standup, ConversationId = StandupChannel, BoundAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });

        Assert.Equal(DigestOutcome.Posted, await RunDigestAsync());
        Assert.Equal(DigestOutcome.AlreadyPosted, await RunDigestAsync());

        var post = Assert.Single(await app.QueryAsync(db => db.OutboxMessages.Where(m => m.IdempotencyKey!.StartsWith("standup-digest:")).ToListAsync()));
        Assert.Equal("standup-digest:2026-11-23", post.IdempotencyKey);
        Assert.Equal(OutboxKind.SendToConversation, post.Kind);
        Assert.Equal(StandupChannel, post.ConversationId);
        var card = JsonNode.Parse(post.PayloadJson)!["attachments"]![0]!["content"]!;
        var text = card.CardText();
        Assert.Contains("Daily standup · Mon 23 Nov 2026", text);
        Assert.Contains("7 active engagements", text);
        var groups = card["body"]!.AsArray().Skip(1).Select(g => g!.CardText().Trim()).ToList();
        var alex = Assert.Single(groups, g => g.StartsWith("Alex Wilber", StringComparison.Ordinal));
        Assert.Contains("**Contoso** · Pre-Kickoff day 12 · ", alex);
        Assert.Contains("health 68 Yellow ↓ · 1 blocker (oldest 4 days)", alex);
        Assert.Contains("**Fabrikam** · Implementation day 45", alex);
        Assert.Contains("**Fabrikam** · Implementation day 45", Assert.Single(groups, g => g.StartsWith("Lee Gu", StringComparison.Ordinal)));
        Assert.Contains("**Northwind Traders** · Pre-Kickoff, 4 days to kickoff", Assert.Single(groups, g => g.StartsWith("Unassigned", StringComparison.Ordinal)));
        Assert.DoesNotContain("Proseware", text);
    }

    private async Task<DigestOutcome> RunDigestAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StandupDigestService>().PostDigestAsync(CancellationToken.None);
    }
}
