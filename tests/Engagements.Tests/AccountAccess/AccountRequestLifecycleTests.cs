using Engagements.AccountAccess;
using Engagements.Outbox;
using Engagements.Roles;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using static Engagements.Tests.AccountAccess.AccountAccessWorld;

namespace Engagements.Tests.AccountAccess;

/// <summary>Seed 002 end to end on a fake clock: created on assignment, sent on the start date, escalated to the team lead, then the CSM.</summary>
public class AccountRequestLifecycleTests
{
    private static readonly TestUser Engineer = new("29:1lifecycle-engineer", "Robin Starter", "00000000-0000-0000-0000-00000000a001");
    private const string CsmAad = "00000000-0000-0000-0000-00000000c5a1";

    // Thursday 26 Nov 2026 is a holiday; the clock starts Monday 23 Nov. Without demo data, so every run's counts are
    // this test's own; Alex (team lead, CSM) and Lee (team lead) hold the roles.
    private static async Task<EngagementsApplication> StartAsync(bool demo = false)
    {
        var app = new EngagementsApplication();
        app.Settings["Demo:Enabled"] = demo ? "true" : "false";
        app.Settings["AccountAccess:Holidays:0"] = "2026-11-26";
        app.Settings["AccountAccess:SmeCc:0"] = "sme-desk@engagements.example";
        await app.InitializeAsync();
        if (!demo)
        {
            await app.ExecuteAsync(async db =>
            {
                db.RoleAssignments.AddRange(
                    new RoleAssignment { AadObjectId = TestActivities.Alex.AadObjectId, Role = Role.TeamLead },
                    new RoleAssignment { AadObjectId = TestActivities.Alex.AadObjectId, Role = Role.Csm },
                    new RoleAssignment { AadObjectId = TestActivities.Lee.AadObjectId, Role = Role.TeamLead });
                await db.SaveChangesAsync();
            });
        }

        return app;
    }

    private static void AdvanceTo(EngagementsApplication app, int year, int month, int day) =>
        app.Clock.SetUtcNow(new DateTimeOffset(year, month, day, 7, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Requests_wait_for_the_start_date_then_go_out_by_email_and_ticket_and_escalate_to_the_team_lead_then_the_CSM_once_each()
    {
        await using var app = await StartAsync();
        var (_, engagementId) = await CustomerAsync(app, "Globex <Labs>", "globex.example", CsmAad);
        var engineerId = await EngineerAsync(app, Engineer, new DateOnly(2026, 11, 25));

        var created = await WithServiceAsync(app, s => s.CreateRequestsForAssignmentAsync(engagementId, engineerId, CancellationToken.None));
        var again = await WithServiceAsync(app, s => s.CreateRequestsForAssignmentAsync(engagementId, engineerId, CancellationToken.None));

        Assert.Equal(2, created.Count);
        Assert.Empty(again);
        var requests = await RequestsOfAsync(app, engineerId);
        Assert.All(requests, r => Assert.Equal(AccountRequestStatus.Scheduled, r.Status));
        Assert.All(requests, r => Assert.Equal(new DateOnly(2026, 11, 25), r.NotBefore));

        // Monday and Tuesday: before the start date nothing leaves.
        Assert.Equal(new DailyRunResult(0, 0, 0, 0), await RunDailyAsync(app));
        AdvanceTo(app, 2026, 11, 24);
        Assert.Equal(new DailyRunResult(0, 0, 0, 0), await RunDailyAsync(app));
        foreach (var request in requests)
        {
            Assert.Empty(await OutboxAsync(app, request.Id));
        }

        // Wednesday, the start date: the VPN email and the Jira ticket card.
        AdvanceTo(app, 2026, 11, 25);
        Assert.Equal(new DailyRunResult(1, 1, 0, 0), await RunDailyAsync(app));
        Assert.Equal(new DailyRunResult(0, 0, 0, 0), await RunDailyAsync(app));
        requests = await RequestsOfAsync(app, engineerId);
        var jira = requests.Single(r => r.System == "Jira");
        var vpn = requests.Single(r => r.System == "VPN");
        Assert.Equal(AccountRequestStatus.Requested, vpn.Status);
        Assert.Equal(new DateOnly(2026, 11, 25), vpn.RequestDate);
        // Three business days, skipping the Thursday holiday and the weekend.
        Assert.Equal(new DateOnly(2026, 12, 1), vpn.ExpectedBy);
        var email = Email(Assert.Single(await OutboxAsync(app, vpn.Id)));
        Assert.Equal(["it-accounts@globex.example"], email.To);
        Assert.Equal(["security@globex.example", "sme-desk@engagements.example", "robin.starter@engagements.example", "carla.csm@engagements.example"], email.Cc);
        Assert.Equal("[ACCESS] New contractor account - Globex <Labs>", email.Subject);
        Assert.Contains("Globex &lt;Labs&gt;", email.HtmlBody);
        Assert.DoesNotContain("<Labs>", email.HtmlBody);
        Assert.Contains("Robin Starter", email.HtmlBody);
        Assert.Contains("Include the phone number for MFA", email.HtmlBody);
        Assert.DoesNotContain("{{", email.HtmlBody);

        // The ticket goes to every team lead, 1:1.
        Assert.Equal(AccountRequestStatus.Scheduled, jira.Status);
        var tickets = await OutboxAsync(app, jira.Id);
        Assert.Equal([TestActivities.Alex.AadObjectId, TestActivities.Lee.AadObjectId], tickets.Select(t => t.RecipientAadObjectId!).Order().ToArray());
        Assert.All(tickets, t => Assert.Equal(OutboxKind.SendPersonal, t.Kind));
        Assert.All(tickets, t => Assert.Contains("Ticket filed", CardText(t)));
        Assert.Contains("Summary: New Jira account for Robin Starter", CardText(tickets[0]));

        // Tuesday 1 Dec is the expected-by day: not late yet.
        AdvanceTo(app, 2026, 12, 1);
        Assert.Equal(0, (await RunDailyAsync(app)).EscalatedToTeamLead);

        // Wednesday: one business day late → the team lead, once.
        AdvanceTo(app, 2026, 12, 2);
        var wednesday = await RunDailyAsync(app);
        Assert.Equal(0, (await RunDailyAsync(app)).EscalatedToTeamLead);
        vpn = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "VPN");
        Assert.Equal(AccountRequestStatus.EscalatedToTeamLead, vpn.Status);
        Assert.Single(vpn.FollowUps, f => f.Kind == FollowUpKind.EscalatedToTeamLead);
        var toTeamLeads = (await OutboxAsync(app, vpn.Id)).Where(m => m.IdempotencyKey!.Contains(":tl-escalation")).ToList();
        Assert.Equal(2, toTeamLeads.Count);
        Assert.Contains("ACCOUNT OVERDUE", CardText(toTeamLeads[0]));
        Assert.Equal(1, wednesday.EscalatedToTeamLead);

        // Thursday: two business days late, still within the 2-day grace.
        AdvanceTo(app, 2026, 12, 3);
        Assert.Equal(0, (await RunDailyAsync(app)).EscalatedToCsm);

        // Friday: past the grace → the customer's CSM, once, with the one-click follow-up.
        AdvanceTo(app, 2026, 12, 4);
        Assert.Equal(1, (await RunDailyAsync(app)).EscalatedToCsm);
        AdvanceTo(app, 2026, 12, 7);
        Assert.Equal(new DailyRunResult(0, 0, 0, 0), await RunDailyAsync(app));
        vpn = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "VPN");
        Assert.Equal(AccountRequestStatus.EscalatedToCsm, vpn.Status);
        Assert.Single(vpn.FollowUps, f => f.Kind == FollowUpKind.EscalatedToCsm);
        var toCsm = Assert.Single(await OutboxAsync(app, vpn.Id), m => m.IdempotencyKey!.Contains(":csm-escalation"));
        Assert.Equal(CsmAad, toCsm.RecipientAadObjectId);
        Assert.Contains("Email a follow-up to it-accounts@globex.example", CardText(toCsm));

        // The ticket was never filed; its clock started when the team lead got the text, so it escalates too.
        jira = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "Jira");
        Assert.Equal(new DateOnly(2026, 12, 3), jira.ExpectedBy);
        Assert.Single(jira.FollowUps, f => f.Kind == FollowUpKind.EscalatedToTeamLead);
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == vpn.Id.ToString() && a.Action == "account-escalated-to-csm")));
    }

    [Fact]
    public async Task A_request_due_on_a_Friday_is_not_escalated_over_the_weekend_but_on_Monday()
    {
        await using var app = await StartAsync();
        var (_, engagementId) = await CustomerAsync(app, "Weekend Co", "weekend.example");
        // Starts Tuesday 1 Dec: VPN requested then, 3 business days → Friday 4 Dec.
        var engineerId = await EngineerAsync(app, Engineer with { AadObjectId = Guid.NewGuid().ToString() }, new DateOnly(2026, 12, 1));
        await WithServiceAsync(app, s => s.CreateRequestsForAssignmentAsync(engagementId, engineerId, CancellationToken.None));
        AdvanceTo(app, 2026, 12, 1);
        await RunDailyAsync(app);
        var vpn = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "VPN");
        Assert.Equal(AccountRequestStatus.Requested, vpn.Status);
        Assert.Equal(new DateOnly(2026, 12, 4), vpn.ExpectedBy);

        AdvanceTo(app, 2026, 12, 5);
        Assert.Equal(0, (await RunDailyAsync(app)).EscalatedToTeamLead);
        AdvanceTo(app, 2026, 12, 6);
        Assert.Equal(0, (await RunDailyAsync(app)).EscalatedToTeamLead);
        AdvanceTo(app, 2026, 12, 7);
        Assert.Equal(1, (await RunDailyAsync(app)).EscalatedToTeamLead);

        vpn = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "VPN");
        Assert.Equal(AccountRequestStatus.EscalatedToTeamLead, vpn.Status);
    }

    [Fact]
    public async Task Ticket_filed_marks_the_request_requested_once_and_only_for_team_leads()
    {
        await using var app = await StartAsync();
        var (_, engagementId) = await CustomerAsync(app, "Ticketing Inc", "ticketing.example");
        var engineerId = await EngineerAsync(app, Engineer with { AadObjectId = Guid.NewGuid().ToString() }, new DateOnly(2026, 11, 23));
        await WithServiceAsync(app, s => s.CreateRequestsForAssignmentAsync(engagementId, engineerId, CancellationToken.None));
        var jira = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "Jira");
        var data = new System.Text.Json.Nodes.JsonObject { ["requestId"] = jira.Id.ToString() };

        var (_, refused) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "ticketFiled", data.DeepClone().AsObject(), "1:ticket", TestActivities.Megan));
        Assert.Contains("Only a team lead", refused!["value"]!.ToString());
        Assert.Equal(AccountRequestStatus.Scheduled, (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "Jira").Status);

        app.Clock.Advance(TimeSpan.FromHours(2));
        var (status, first) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "ticketFiled", data.DeepClone().AsObject(), "1:ticket"));
        var (_, second) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "ticketFiled", data.DeepClone().AsObject(), "1:ticket"));

        Assert.Equal(200, status);
        Assert.Contains("Ticket filed by Alex Wilber", first!["value"].CardText());
        Assert.Contains("Ticket filed by Alex Wilber", second!["value"].CardText());
        jira = (await RequestsOfAsync(app, engineerId)).Single(r => r.System == "Jira");
        Assert.Equal(AccountRequestStatus.Requested, jira.Status);
        Assert.Equal(app.Clock.GetUtcNow(), jira.RequestedAt);
        Assert.Single(jira.FollowUps, f => f.Kind == FollowUpKind.TicketFiled);
        // Both team leads' copies of the ticket card are updated to show it filed.
        Assert.Equal(2, (await OutboxAsync(app, jira.Id)).Count(m => m.Kind == OutboxKind.UpdateActivity));
    }

    [Fact]
    public async Task The_CSM_follow_up_email_goes_to_the_customer_contact_once()
    {
        await using var app = await StartAsync(demo: true);
        // Demo: Fabrikam's Jira request is escalated to the CSM.
        var request = await app.QueryAsync(db => db.AccountRequests.Include(r => r.Engineer)
            .SingleAsync(r => r.Customer.Name == "Fabrikam" && r.System == "Jira" && r.Engineer.Name == "Lee Gu"));
        var data = new System.Text.Json.Nodes.JsonObject { ["requestId"] = request.Id.ToString() };

        var (_, refused) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "sendAccountFollowUp", data.DeepClone().AsObject(), "1:esc", TestActivities.Megan));
        var (_, first) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "sendAccountFollowUp", data.DeepClone().AsObject(), "1:esc"));
        var (_, second) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "sendAccountFollowUp", data.DeepClone().AsObject(), "1:esc"));

        Assert.Contains("Only the CSM", refused!["value"]!.ToString());
        Assert.Contains("Follow-up email to servicedesk@fabrikam.com sent by Alex Wilber", first!["value"].CardText());
        Assert.Contains("sent by Alex Wilber", second!["value"].CardText());
        var email = Email(Assert.Single(await OutboxAsync(app, request.Id), m => m.Kind == OutboxKind.SendEmail));
        Assert.Equal(["servicedesk@fabrikam.com"], email.To);
        Assert.StartsWith("Follow-up: ", email.Subject);
        Assert.Contains("Lee Gu", email.HtmlBody);
    }
}
