using Engagements.Demo;
using Engagements.Outbox;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Engagements.Tests.BrowserUi;

/// <summary>
/// The delivery team's journeys in the Agents Playground's web UI, in Chromium: typed in the composer, picked and clicked
/// on the rendered cards, asserted on the text a person sees. Each leaves its final state in artifacts/ui/&lt;journey&gt;.png.
/// Only the outside systems (the CRM webhook, product telemetry, the phase-end job) are called directly.
/// </summary>
[Collection(BrowserUiCollection.Name)]
public class ChromiumJourneysTests(BrowserUiFixture ui, ITestOutputHelper output) : IClassFixture<BrowserUiFixture>
{
    private const string General = "Delivery - General";
    private const string Approvals = "Delivery - approvals";
    private const string Bot = "Engagements";

    private readonly PlaygroundBrowser browser = ui.BrowserWritingTo(output);

    private async Task BindChannelAsync(string channel, string purpose)
    {
        await browser.OpenConversationAsync(channel);
        await browser.SendAsync($"use this channel for {purpose}", mention: Bot);
        await browser.WaitForCardAsync($"This channel now receives {purpose} posts");
    }

    [ChromiumFact]
    public async Task Installing_the_app_shows_the_welcome_and_help_lists_the_commands()
    {
        await ui.OpenAsync("install-and-help");
        // The bot welcomes a chat once (the fixture's first page load did); after an uninstall it welcomes again.
        await browser.MockActivityAsync("Uninstall application");
        await ui.Playground.WaitForBotAsync(
            db => db.Conversations.AnyAsync(c => c.ConversationId == PlaygroundFixture.PersonalChatId && c.WelcomedAt == null),
            "the bot to handle the uninstall");

        await browser.MockActivityAsync("Install application");

        var welcome = await browser.WaitForCardAsync("Engagements is here", "Type help to see the commands for your role.");
        Assert.Contains("Managers approve engineer assignments from a card", welcome);

        await browser.SendAsync("help");

        var help = await browser.WaitForCardAsync("What I can do for you", "Your roles: Manager", "overdue");
        Assert.Contains("Bind this channel to approvals", help);
        // As the renderer shows it: a placeholder in angle brackets is swallowed as an HTML tag ("board []").
        Assert.Contains("board [{customer}]", help);
        Assert.Contains("done {item} [for {customer}]", help);
        Assert.Contains("Your roles: Manager, Team lead, Engineer, CSM, Pre-sales engineer, Admin", help);
        await browser.ScreenshotAsync("What I can do for you");
    }

    [ChromiumFact]
    public async Task A_manager_picks_an_engineer_on_the_approval_card_in_the_channel_and_Approve_replaces_it_with_the_decision()
    {
        await ui.OpenAsync("approve-assignment");
        await BindChannelAsync(Approvals, "approvals");
        await ui.Playground.PostSignedCrmWebhookAsync("""
            {"opportunityId":"OPP-UI-1","kind":"new","stage":"Closed Won","closeDate":"2026-11-20","amount":98000,
             "contractReference":"CTR-UI-1","startDate":"2026-12-01","endDate":"2027-11-30",
             "presalesEngineer":{"email":"isaiah.langer@engagements.example","name":"Isaiah Langer","aadObjectId":"00000000-0000-0000-0000-0000000000025"},
             "customer":{"crmId":"ACC-BLUE-YONDER","name":"Blue Yonder Airlines","seats":420,"supportLevel":"Standard",
                         "csmEmail":"nestorw@contoso-delivery.example","contactName":"Jordan Miller","contactEmail":"jordan.miller@blueyonder.example"},
             "sow":{"reference":"SOW-BYA-01","projects":[{"name":"Blue Yonder onboarding","kind":"onboarding-90-day",
                    "deliverables":[{"title":"Environment assessment","doneCriterion":"Assessment reviewed with the customer"}]}]}}
            """);
        await browser.WaitForCardAsync("Blue Yonder Airlines", "ASSIGN ENGINEER", "Suggested engineers");

        await browser.ChooseAsync("Blue Yonder Airlines", "Assign", "Nestor Wilke");
        await browser.ClickAsync("Blue Yonder Airlines", "Approve");

        var decided = await browser.WaitForCardAsync("Blue Yonder Airlines", "Assigned to Nestor Wilke by Alex Wilber");
        Assert.Contains("Closed-won new opportunity OPP-UI-1", decided);
        var buttons = await browser.ButtonsAsync("Blue Yonder Airlines");
        Assert.DoesNotContain("Approve", buttons);
        Assert.DoesNotContain("Reject", buttons);
        Assert.Equal(1, await browser.CountCardsAsync("Blue Yonder Airlines"));
        await browser.ScreenshotAsync("Blue Yonder Airlines");
    }

    [ChromiumFact]
    public async Task An_engineer_typing_account_works_picks_the_account_and_sees_it_verified()
    {
        await ui.OpenAsync("account-works");

        await browser.SendAsync("account works");

        // The demo engineer has several open requests, so the bot asks which one.
        await browser.WaitForCardAsync("Which account works?", "Contoso Jira");
        await browser.ChooseAsync("Which account works?", "Account", "Contoso Jira");
        await browser.ClickAsync("Which account works?", "It works");
        var verified = await browser.WaitForCardAsync("Contoso Jira", "Verified: Contoso Jira account for Alex Wilber");
        Assert.Contains("The follow-up document is updated", verified);
        Assert.Equal(0, await browser.CountCardsAsync("Which account works?"));
        await browser.ScreenshotAsync("Contoso Jira");
    }

    [ChromiumFact]
    public async Task Typing_status_Contoso_shows_the_customers_status_card()
    {
        await ui.OpenAsync("status-contoso");

        await browser.SendAsync("status Contoso");

        var status = await browser.WaitForCardAsync("Enterprise · 1. Onboarding", "Health", "Yellow", "Open blockers");
        Assert.Contains("Contoso", status);
        Assert.Contains("Next milestones", status);
        await browser.ScreenshotAsync("Enterprise · 1. Onboarding");
    }

    [ChromiumFact]
    public async Task Mentioning_the_bot_with_board_in_a_channel_shows_the_delivery_board_in_the_thread()
    {
        await ui.OpenAsync("board");
        await browser.OpenConversationAsync(General);

        await browser.SendAsync("board", mention: Bot);

        var board = await browser.WaitForCardAsync("Delivery board", "To-Do", "In Progress", "Under Review", "Completed");
        Assert.Contains("all active engagements", board);
        await browser.ScreenshotAsync("Delivery board");
    }

    [ChromiumFact]
    public async Task An_alert_card_in_the_usage_channel_is_acknowledged_with_its_button_and_updated_in_place()
    {
        await ui.OpenAsync("alert-acknowledged");
        await BindChannelAsync(General, "alerts-customer-usage");
        await ui.Playground.PostUsageEventAsync("ui-evt-1", "DEMO-CONTOSO", "Workflow Designer");
        await browser.WaitForCardAsync("Workflow Designer", "Contoso");

        await browser.ClickAsync("Workflow Designer", "Acknowledge");

        var acknowledged = await browser.WaitForCardAsync("Workflow Designer", "Acknowledged by Alex Wilber");
        Assert.Contains("First use of Workflow Designer", acknowledged);
        var buttons = await browser.ButtonsAsync("Workflow Designer");
        Assert.DoesNotContain("Acknowledge", buttons);
        Assert.Contains("Snooze 7 days", buttons);
        Assert.Equal(1, await browser.CountCardsAsync("Workflow Designer"));
        await browser.ScreenshotAsync("Workflow Designer");
    }

    [ChromiumFact]
    public async Task Confirming_a_phase_on_its_card_updates_the_card_in_place()
    {
        await ui.OpenAsync("phase-confirmation");
        // Contoso's manager, Megan Bowen, never writes to the bot: her milestone 1:1 needs the roster of a team it is in.
        await ui.Playground.Client.InstallAsync(PlaygroundFixture.TeamId);
        await ui.Playground.WaitForBotAsync(db => db.Conversations.AnyAsync(c => c.TeamId == PlaygroundFixture.TeamId), "the bot to store the team");
        await ui.Playground.SendDuePhaseConfirmationsAsync();
        await browser.WaitForCardAsync("CONFIRM PHASE COMPLETE", "Contoso: Pre-Kickoff");

        await browser.FillAsync("CONFIRM PHASE COMPLETE", "Reason", "Kickoff happened; the pulse check is scheduled for next week.");
        await browser.ClickAsync("CONFIRM PHASE COMPLETE", "Confirm phase complete");

        var confirmed = await browser.WaitForCardAsync("CONFIRM PHASE COMPLETE", "Pre-Kickoff confirmed complete by Alex Wilber");
        Assert.Contains("Targets not met: Kickoff happened", confirmed);
        Assert.DoesNotContain("Confirm phase complete", await browser.ButtonsAsync("CONFIRM PHASE COMPLETE"));
        Assert.Equal(1, await browser.CountCardsAsync("CONFIRM PHASE COMPLETE"));
        await browser.WaitForCardAsync("Milestone: Pre-Kickoff complete", "Next up: Foundation");
        await ui.Playground.WaitForBotAsync(
            db => db.OutboxMessages.AnyAsync(m => m.RecipientAadObjectId == DemoDataLoader.Megan.AadObjectId && m.State == OutboxState.Sent),
            "the milestone 1:1 to the manager to be delivered");
        await browser.ScreenshotAsync("CONFIRM PHASE COMPLETE");
    }
}
