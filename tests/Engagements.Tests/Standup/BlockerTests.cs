using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Standup;

/// <summary>Its own app: these tests change deliverables.</summary>
public sealed class BlockerApplication : EngagementsApplication;

public class BlockerTests(BlockerApplication app) : IClassFixture<BlockerApplication>
{
    // The demo's Lee Gu: an engineer on Fabrikam and Litware only.
    private static readonly TestUser LeeTheEngineer = TestActivities.Lee;

    [Fact]
    public async Task Blocked_then_unblocked_sets_and_clears_the_blocker_and_audits_both()
    {
        var text = (await app.AskAsync("blocked Security review for Contoso: questionnaire not returned by the customer")).Text();

        Assert.Contains("Blocker recorded", text);
        Assert.Contains("questionnaire not returned by the customer", text);
        var blocked = await SecurityReviewOfAsync("Contoso");
        Assert.True(blocked.IsBlocked);
        Assert.Equal("questionnaire not returned by the customer", blocked.BlockedReason);
        Assert.Equal(app.Clock.GetUtcNow(), blocked.BlockedSince);

        app.Clock.Advance(TimeSpan.FromDays(2));
        var cleared = (await app.AskAsync("unblocked security reveiw for contoso")).Text();

        Assert.Contains("Blocker cleared", cleared);
        Assert.Contains("blocked for 2 days", cleared);
        var unblocked = await SecurityReviewOfAsync("Contoso");
        Assert.False(unblocked.IsBlocked);
        Assert.Null(unblocked.BlockedReason);
        Assert.Null(unblocked.BlockedSince);
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == blocked.Id.ToString()).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["deliverable-blocked", "deliverable-unblocked"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(AuditSource.Command, a.Source));
        Assert.All(audit, a => Assert.Equal(TestActivities.Alex.AadObjectId, a.ActorAadObjectId));
        Assert.Contains("questionnaire not returned", audit[0].AfterJson);
    }

    [Fact]
    public async Task An_engineer_sees_only_their_engagements_and_picks_from_a_list_when_several_match()
    {
        var card = await app.AskAsync("blocked Admin training: trainer is ill", LeeTheEngineer);

        Assert.Contains("Which deliverable did you mean?", card.Text());
        var actions = card.ExecuteActions();
        Assert.Equal(["Admin training · Fabrikam", "Admin training · Litware"], actions.Select(a => (string?)a["title"]).Order());
        var fabrikam = actions.Single(a => ((string?)a["title"])!.EndsWith("Fabrikam", StringComparison.Ordinal));
        Assert.Equal("trainer is ill", (string?)fabrikam["data"]!["reason"]);

        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "pickDeliverable", fabrikam["data"]!.DeepClone().AsObject(), "1795352092997", LeeTheEngineer));

        Assert.Equal(200, status);
        Assert.Contains("Blocker recorded", body!["value"]!.CardText());
        var row = await app.QueryAsync(db => db.Deliverables.SingleAsync(d => d.Title == "Admin training" && d.Project.Engagement.Customer.Name == "Fabrikam"));
        Assert.True(row.IsBlocked);
        Assert.Equal("trainer is ill", row.BlockedReason);
        Assert.False(await app.QueryAsync(db => db.Deliverables.AnyAsync(d => d.Title == "Admin training" && d.Project.Engagement.Customer.Name == "Litware" && d.IsBlocked)));
    }

    [Fact]
    public async Task An_engineer_cannot_block_a_deliverable_of_an_engagement_they_are_not_on()
    {
        var text = (await app.AskAsync("blocked Pilot launch for Adventure Works: no pilot users", LeeTheEngineer)).Text();

        Assert.Contains("No deliverable matching", text);
        Assert.False(await app.QueryAsync(db => db.Deliverables.AnyAsync(d => d.BlockedReason == "no pilot users")));

        var forged = new JsonObject { ["command"] = "blocked", ["reason"] = "forged", ["deliverableId"] = (await SecurityReviewOfAsync("Adventure Works")).Id.ToString() };
        var (_, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "pickDeliverable", forged, "1795352092996", LeeTheEngineer));

        Assert.Contains("not among your active engagements", body!["value"]!.CardText());
        Assert.False((await SecurityReviewOfAsync("Adventure Works")).IsBlocked);
    }

    [Fact]
    public async Task Unblocking_something_that_is_not_blocked_changes_nothing()
    {
        var text = (await app.AskAsync("unblocked Performance review for Tailspin Toys")).Text();

        Assert.Contains("No blocked deliverable matching", text);
        Assert.False(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "deliverable-unblocked" && a.ActorAadObjectId == null)));
    }

    private Task<Engagements.Delivery.Deliverable> SecurityReviewOfAsync(string customer) =>
        app.QueryAsync(db => db.Deliverables.AsNoTracking().SingleAsync(d => d.Title == "Security review" && d.Project.Engagement.Customer.Name == customer));
}
