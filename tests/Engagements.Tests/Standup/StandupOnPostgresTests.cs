using Engagements.Conversations;
using Engagements.Standup;
using Engagements.Tests.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Standup;

/// <summary>The real host with demo data on PostgreSQL: the standup queries must translate on both providers.</summary>
public sealed class StandupPostgresApplication : EngagementsApplication
{
    protected override bool OnPostgres => true;
}

public class StandupOnPostgresTests(StandupPostgresApplication app) : IClassFixture<StandupPostgresApplication>
{
    [Fact]
    public async Task Status_board_overdue_and_my_work_answer_on_PostgreSQL()
    {
        Assert.Contains("68 · Yellow · trending down", (await app.AskAsync("status contso")).Text());
        Assert.Contains("To-Do (7)", (await app.AskAsync("board Fabrikam")).Text());
        Assert.Contains("Contoso Jira", (await app.AskAsync("overdue")).Text());
        Assert.Contains("Assign an engineer to Northwind Traders", (await app.AskAsync("my work")).Text());
        Assert.Contains("Delivery board", (await app.AskAsync("board")).Text());
    }

    [Fact]
    public async Task Blocking_and_the_digest_work_on_PostgreSQL()
    {
        Assert.Contains("Blocker recorded", (await app.AskAsync("blocked Security review for Fabrikam: waiting on the questionnaire")).Text());
        Assert.True(await app.QueryAsync(db => db.Deliverables.AnyAsync(d => d.BlockedReason == "waiting on the questionnaire")));

        await app.ExecuteAsync(async db =>
        {
            db.ChannelBindings.Add(new ChannelBinding { Purpose = ChannelPurpose.Standup, ConversationId = "19:standup@thread.tacv2", BoundAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(DigestOutcome.Posted, await scope.ServiceProvider.GetRequiredService<StandupDigestService>().PostDigestAsync(CancellationToken.None));
        var post = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == "standup-digest:2026-11-23"));
        Assert.Contains("2 blockers (oldest 6 days)", post.PayloadJson);
    }
}
