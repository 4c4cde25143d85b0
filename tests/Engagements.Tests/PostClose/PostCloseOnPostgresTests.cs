using System.Text.Json.Nodes;
using Engagements.Assignments;
using Engagements.Conversations;
using Engagements.PostClose;
using Engagements.Tests.Intake;
using Engagements.Tests.Playground;
using Engagements.Tests.Standup;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.PostClose;

/// <summary>The intake host on PostgreSQL: the checklist queries, the filtered unique index and the re-open transaction.</summary>
public sealed class IntakePostgresApplication : IntakeApplication
{
    protected override bool OnPostgres => true;
}

public class PostCloseOnPostgresTests(IntakePostgresApplication app) : IClassFixture<IntakePostgresApplication>
{
    [Fact]
    public async Task The_checklist_its_ticks_status_and_a_rejection_that_reopens_the_request_work_on_PostgreSQL()
    {
        await app.BindAsync(ChannelPurpose.Approvals, TestActivities.ApprovalsChannelId);
        var response = await app.PostOpportunityAsync(Opportunities.ClosedWon(customerName: "Tasmanian Traders"));
        var engagementId = Guid.Parse(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["engagementId"]!.GetValue<string>());
        var checklist = await app.QueryAsync(db => db.PostCloseChecklists.Include(c => c.Items).SingleAsync(c => c.EngagementId == engagementId));
        var license = checklist.Items.Single(i => i.Key == PostCloseSteps.ProductionLicense);

        var (_, ticked) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, PostCloseService.TickVerb,
            new JsonObject { ["itemId"] = license.Id.ToString(), ["outcome"] = "done" }, "1:checklist", TestActivities.Alex,
            TestActivities.ApprovalsChannelId + ";messageid=1:checklist"));

        Assert.Contains("Done by Alex Wilber", ticked!["value"].CardText());
        var status = (await app.AskAsync("status Tasmanian Traders")).Text();
        Assert.Contains("- Instance-to-admin mapping completed", status);
        Assert.DoesNotContain("- Production license created", status);

        var request = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.EngagementId == engagementId));
        await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, AssignmentService.RejectVerb,
            new JsonObject { ["assignmentRequestId"] = request.Id.ToString(), ["engineer"] = request.SuggestedEngineerIds[0].ToString() },
            "1:approval", TestActivities.Alex, TestActivities.ApprovalsChannelId + ";messageid=1:approval"));

        var requests = await app.QueryAsync(db => db.AssignmentRequests.Where(r => r.EngagementId == engagementId).ToListAsync());
        Assert.Equal(AssignmentStatus.Rejected, requests.Single(r => r.Id == request.Id).Status);
        var fresh = Assert.Single(requests, r => r.Status == AssignmentStatus.Pending);
        Assert.Equal(request.Id, fresh.PreviousRequestId);
        Assert.NotEqual(request.SuggestedEngineerIds[0], fresh.SuggestedEngineerIds[0]);
    }
}
