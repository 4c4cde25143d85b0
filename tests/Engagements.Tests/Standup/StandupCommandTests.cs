using System.Text.Json.Nodes;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Standup;

public class StandupCommandTests(EngagementsApplication app) : IClassFixture<EngagementsApplication>
{
    [Fact]
    public async Task Status_Contoso_shows_segment_lifecycle_phase_health_blocker_age_and_account_access()
    {
        var text = (await app.AskAsync("status Contoso")).Text();

        Assert.Contains("Contoso", text);
        Assert.Contains("Enterprise", text);
        Assert.Contains("1. Onboarding", text);
        Assert.Contains("Alex Wilber", text);
        Assert.Contains("Pre-Kickoff · day 12 (awaiting confirmation)", text);
        Assert.Matches(@"\d+% \(\d+ of \d+ deliverables and checklist items done\)", text);
        Assert.Contains("68 · Yellow · trending down", text);
        Assert.Contains("API connections established** — blocked 4 days: Waiting for the customer's firewall change", text);
        Assert.Contains("1 Verified, 1 Escalated to team lead", text);
        Assert.Contains("median 2.0 days (1 verified)", text);
        Assert.Contains("Next milestones", text);
        Assert.Contains("Security review", text);
    }

    [Fact]
    public async Task Status_with_a_typo_finds_the_customer()
    {
        var text = (await app.AskAsync("status contso")).Text();

        Assert.Contains("Enterprise · 1. Onboarding", text);
        Assert.Contains("Pre-Kickoff · day 12 (awaiting confirmation)", text);
    }

    [Fact]
    public async Task Status_with_a_prefix_that_only_one_customer_has_answers_with_that_customer()
    {
        var text = (await app.AskAsync("status con")).Text();

        Assert.Contains("Enterprise · 1. Onboarding", text);
    }

    [Fact]
    public async Task Status_of_a_customer_before_kickoff_shows_the_open_post_close_checklist()
    {
        // The demo's Northwind checklist is half done: license and admin mapping ticked, the other two open.
        var text = (await app.AskAsync("status northwind-traders.")).Text();

        Assert.Contains("Mid-Market · 1. Onboarding", text);
        Assert.Contains("Pre-Kickoff · 4 days to kickoff", text);
        Assert.Contains("not assigned yet", text);
        Assert.Contains("Post-close checklist still open", text);
        Assert.Contains("- New cloud production instance requested", text);
        Assert.Contains("- Customer contacts tagged with their roles", text);
        Assert.DoesNotContain("- Production license created", text);
        Assert.DoesNotContain("- Instance-to-admin mapping completed", text);
    }

    [Fact]
    public async Task A_customer_saved_a_moment_ago_is_found_at_once()
    {
        await app.AskAsync("status Contoso");
        await app.ExecuteAsync(async db =>
        {
            db.Customers.Add(new Engagements.Customers.Customer
            {
                CrmId = "TEST-ZEPHYR", Name = "Zephyr Analytics", Segment = Engagements.Customers.CustomerSegment.Smb,
                CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });

        var text = (await app.AskAsync("status zephyr")).Text();

        Assert.Contains("Zephyr Analytics", text);
        Assert.Contains("SMB · 0. Prospect", text);
    }

    [Fact]
    public async Task Status_of_an_ambiguous_name_offers_a_pick_list_and_a_click_runs_status_for_the_pick()
    {
        var card = await app.AskAsync("status w");

        Assert.Contains("Which customer did you mean?", card.Text());
        var actions = card.ExecuteActions();
        Assert.Equal(["Wide World Importers", "Woodgrove Bank"], actions.Select(a => (string?)a["title"]).Order());
        Assert.All(actions, a => Assert.Equal("pickCustomer", (string?)a["verb"]));
        var woodgrove = actions.Single(a => (string?)a["title"] == "Woodgrove Bank");
        Assert.Equal("status", (string?)woodgrove["data"]!["command"]);

        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "pickCustomer", woodgrove["data"]!.DeepClone().AsObject(), "1795352092999"));

        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body!["type"]);
        var picked = body["value"]!.CardText();
        Assert.Contains("Woodgrove Bank", picked);
        Assert.Contains("Strategic · 0. Prospect", picked);
        Assert.Contains("no engagement yet", picked);
        Assert.Contains("no health data yet", picked);
    }

    [Fact]
    public async Task Status_of_an_unknown_customer_says_so_and_suggests_the_closest_names()
    {
        var text = (await app.AskAsync("status xyz")).Text();

        Assert.Contains("No customer named \"xyz\". Did you mean: ", text);
        Assert.Matches(@"Did you mean: [^,]+, [^,]+, [^,?]+\?", text);
    }

    [Fact]
    public async Task The_status_card_button_opens_the_board_of_that_customer()
    {
        var card = await app.AskAsync("status Fabrikam");
        var board = card.ExecuteActions().Single(a => (string?)a["title"] == "Open the board");

        var (_, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "pickCustomer", board["data"]!.DeepClone().AsObject(), "1795352092998"));

        Assert.Contains("Board: Fabrikam", body!["value"]!.CardText());
    }

    [Fact]
    public async Task Board_Fabrikam_shows_the_four_columns_with_counts_and_the_blocked_item()
    {
        var expected = await app.QueryAsync(db => db.Deliverables.Where(d => d.Project.Engagement.Customer.Name == "Fabrikam")
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());

        var card = await app.AskAsync("board Fabrikam");
        var text = card.Text();

        Assert.Contains("Board: Fabrikam", text);
        Assert.Contains("To-Do (7)", text);
        Assert.Contains("In Progress (2)", text);
        Assert.Contains("Under Review (1)", text);
        Assert.Contains("Completed (5)", text);
        Assert.Equal(15, expected.Sum(e => e.Count));
        Assert.Contains("⛔ User acceptance testing", text);
        var columns = card["body"]![1]!["columns"]!.AsArray();
        Assert.Equal(4, columns.Count);
    }

    [Fact]
    public async Task Board_without_a_customer_caps_each_column_and_says_how_many_more()
    {
        var card = await app.AskAsync("board");
        var text = card.Text();

        Assert.Contains("Delivery board", text);
        Assert.Contains("all active engagements", text);
        var completed = card["body"]![1]!["columns"]![3]!;
        Assert.Equal(8, completed["items"]!.AsArray().Count(i => i?["type"]?.GetValue<string>() == "Container"));
        Assert.Matches(@"\+\d+ more", completed.CardText());
    }

    [Fact]
    public async Task Overdue_lists_late_deliverables_milestones_and_the_overdue_account_requests()
    {
        var text = (await app.AskAsync("overdue")).Text();

        Assert.Contains("Contoso Jira** · Alex Wilber · Escalated to team lead · expected by Fri 20 Nov 2026 (3 days late)", text);
        Assert.Contains("Fabrikam VPN", text);
        Assert.Contains("Milestones (", text);
        Assert.DoesNotContain("Contoso VPN", text);
    }

    [Fact]
    public async Task My_work_lists_the_callers_deliverables_account_requests_and_pending_approvals()
    {
        var text = (await app.AskAsync("my work")).Text();

        Assert.Contains("Your work, Alex Wilber", text);
        Assert.Contains("API connections established** · Contoso", text);
        Assert.Contains("Contoso Jira** · Escalated to team lead", text);
        Assert.Contains("Assign an engineer to Northwind Traders", text);
        Assert.DoesNotContain("Contoso VPN", text);
    }

    [Fact]
    public async Task Someone_without_a_role_is_told_to_ask_an_admin()
    {
        foreach (var command in new[] { "status Contoso", "board", "overdue", "my work" })
        {
            var text = (await app.AskAsync(command, TestActivities.Guest)).Text();

            Assert.Contains("don't have a role", text);
            Assert.Contains("Ask an admin", text);
            Assert.DoesNotContain("Enterprise", text);
        }
    }

    [Fact]
    public async Task A_mention_in_the_middle_of_a_channel_message_is_removed_before_parsing()
    {
        var message = TestActivities.ChannelMessage(app.ServiceUrl, "");
        message["text"] = "status <at>Engagements</at> Contoso";
        var thread = message["conversation"]!["id"]!.GetValue<string>();

        await app.PostActivityAsync(message);

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == thread);
        var text = reply.Body?["attachments"]?[0]?["content"].CardText() ?? "";
        Assert.Contains("Enterprise · 1. Onboarding", text);
        Assert.DoesNotContain("didn't understand", text);
    }

    [Fact]
    public async Task Board_in_a_channel_answers_in_the_thread()
    {
        var message = TestActivities.ChannelMessage(app.ServiceUrl, "board");
        var thread = message["conversation"]!["id"]!.GetValue<string>();

        await app.PostActivityAsync(message);

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == thread);
        Assert.Contains("In Progress (", reply.Body?["attachments"]?[0]?["content"].CardText());
    }

    [Fact]
    public async Task A_caller_without_an_engineer_or_manager_role_cannot_set_a_blocker()
    {
        await app.ExecuteAsync(async db =>
        {
            db.RoleAssignments.Add(new Engagements.Roles.RoleAssignment { AadObjectId = TestActivities.Guest.AadObjectId, Role = Engagements.Roles.Role.Csm });
            await db.SaveChangesAsync();
        });

        var text = (await app.AskAsync("blocked Security review for Contoso: no reason", TestActivities.Guest)).Text();

        Assert.Contains("Only engineers, team leads, managers and admins", text);
        Assert.False(await app.QueryAsync(db => db.Deliverables.AnyAsync(d => d.Title == "Security review" && d.BlockedReason == "no reason")));
    }
}
