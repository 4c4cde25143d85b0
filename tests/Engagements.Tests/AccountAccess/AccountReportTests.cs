using System.Text.Json.Nodes;
using Engagements.AccountAccess;
using Engagements.Outbox;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using static Engagements.Tests.AccountAccess.AccountAccessWorld;

namespace Engagements.Tests.AccountAccess;

/// <summary>Demo data plus two customers; every case gets its own engineer with open Globex VPN, Globex Jira and Initech VPN requests.</summary>
public sealed class AccountReportApplication : EngagementsApplication
{
    public Guid GlobexEngagement { get; private set; }

    public Guid InitechEngagement { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_, GlobexEngagement) = await CustomerAsync(this, "Globex", "globex.example");
        (_, InitechEngagement) = await CustomerAsync(this, "Initech", "initech.example");
        await ExecuteAsync(async db =>
        {
            // Initech only has a VPN entry.
            db.AccessListEntries.RemoveRange(db.AccessListEntries.Where(e => e.Customer.Name == "Initech" && e.System == "Jira"));
            await db.SaveChangesAsync();
        });
    }

    /// <summary>A fresh engineer (own Teams user and conversation) whose requests were sent three days ago.</summary>
    public async Task<(TestUser User, Guid EngineerId, string ConversationId)> EngineerWithOpenRequestsAsync()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var user = new TestUser($"29:1engineer-{n}", $"Sam Reporter{n}", Guid.NewGuid().ToString());
        var engineerId = await EngineerAsync(this, user, Today(this).AddDays(-10));
        await RequestedAsync(this, GlobexEngagement, engineerId, daysAgo: 3);
        await RequestedAsync(this, InitechEngagement, engineerId, daysAgo: 3);
        return (user, engineerId, "a:1personal-" + n);
    }
}

public class AccountReportTests(AccountReportApplication app) : IClassFixture<AccountReportApplication>
{
    public enum Outcome
    {
        Verified,
        Failing,
        PickList,
        NoMatch,
        NotAReport,
    }

    // text → outcome and, for verified/failing, the one request it must change ("Customer System").
    public static TheoryData<string, Outcome, string?, bool> Phrasings => new()
    {
        { "Globex VPN account works", Outcome.Verified, "Globex VPN", false },
        { "my Globex VPN account works", Outcome.Verified, "Globex VPN", false },
        { "MY GLOBEX VPN ACCOUNT WORKS", Outcome.Verified, "Globex VPN", false },
        { "Globex VPN account works", Outcome.Verified, "Globex VPN", true },
        { "globex vpn account is working!", Outcome.Verified, "Globex VPN", false },
        { "Globex Jira account verified", Outcome.Verified, "Globex Jira", false },
        { "Globex's Jira account works now", Outcome.Verified, "Globex Jira", false },
        { "Initech account works", Outcome.Verified, "Initech VPN", true },
        { "my initech account works.", Outcome.Verified, "Initech VPN", false },
        { "Initch account works", Outcome.Verified, "Initech VPN", false },
        { "Init account ok", Outcome.Verified, "Initech VPN", false },
        { "Jira account works", Outcome.Verified, "Globex Jira", false },
        { "Globex VPN account not working: MFA link expired", Outcome.Failing, "Globex VPN", false },
        { "globex vpn account isn't working", Outcome.Failing, "Globex VPN", true },
        { "Initech account doesn't work: password reset loops", Outcome.Failing, "Initech VPN", false },
        { "Jira account is broken", Outcome.Failing, "Globex Jira", false },
        { "Globex account works", Outcome.PickList, null, false },
        { "account works", Outcome.PickList, null, true },
        { "VPN account works", Outcome.PickList, null, false },
        { "account not working", Outcome.PickList, null, false },
        { "my account is not working: cannot log in", Outcome.PickList, null, false },
        { "Fabrikam account works", Outcome.NoMatch, null, false },
        { "Contoso Jira account works", Outcome.NoMatch, null, false },
        { "Globex SAP account works", Outcome.NoMatch, null, false },
        { "Initech Jira account not working: no invite", Outcome.NoMatch, null, true },
        { "my account", Outcome.NotAReport, null, false },
        { "account work", Outcome.NotAReport, null, false },
        { "the account works for Globex", Outcome.NotAReport, null, false },
        { "accounts work", Outcome.NotAReport, null, false },
    };

    [Theory]
    [MemberData(nameof(Phrasings))]
    public async Task A_report_by_message_changes_exactly_the_request_it_names(string text, Outcome outcome, string? request, bool inChannel)
    {
        var (user, engineerId, conversationId) = await app.EngineerWithOpenRequestsAsync();
        var before = await RequestsOfAsync(app, engineerId);
        var activity = inChannel
            ? TestActivities.ChannelMessage(app.ServiceUrl, text, user, "19:" + conversationId[3..] + "@thread.tacv2")
            : TestActivities.Message(app.ServiceUrl, text, user, conversationId);
        var conversation = activity["conversation"]!["id"]!.GetValue<string>();

        await app.PostActivityAsync(activity);

        var reply = await app.Connector.WaitForAsync(r => r.ConversationId == conversation);
        var replyText = ReplyText(reply);
        var after = await RequestsOfAsync(app, engineerId);
        var changed = after.Where(a => before.Single(b => b.Id == a.Id).Status != a.Status).ToList();
        switch (outcome)
        {
            case Outcome.Verified:
                var verified = Assert.Single(changed);
                Assert.Equal(request, $"{verified.Customer.Name} {verified.System}");
                Assert.Equal(AccountRequestStatus.Verified, verified.Status);
                Assert.Equal(TimeSpan.FromDays(3), verified.TimeToAccess);
                Assert.Contains($"Verified: {request} account for {user.Name} — 3 days after the request", replyText);
                break;
            case Outcome.Failing:
                var failing = Assert.Single(changed);
                Assert.Equal(request, $"{failing.Customer.Name} {failing.System}");
                Assert.Equal(AccountRequestStatus.Failing, failing.Status);
                Assert.Contains("Not working", replyText);
                break;
            case Outcome.PickList:
                Assert.Empty(changed);
                Assert.Contains("Pick the one you mean", replyText);
                break;
            case Outcome.NoMatch:
                Assert.Empty(changed);
                Assert.Contains("None of your open account requests matches", replyText);
                break;
            case Outcome.NotAReport:
                Assert.Empty(changed);
                Assert.Contains("I didn't understand", replyText);
                break;
        }
    }

    [Fact]
    public async Task An_ambiguous_report_offers_a_pick_list_whose_answer_verifies_the_chosen_request()
    {
        var (user, engineerId, conversationId) = await app.EngineerWithOpenRequestsAsync();

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "Globex account works", user, conversationId));

        var card = ReplyCard(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId))!;
        var choices = card["body"]!.AsArray().Single(e => e?["type"]?.GetValue<string>() == "Input.ChoiceSet")!["choices"]!.AsArray();
        Assert.Equal(2, choices.Count);
        var action = card["actions"]![0]!;
        Assert.Equal("reportAccount", action["verb"]!.GetValue<string>());
        var jira = (await RequestsOfAsync(app, engineerId)).Single(r => r.Customer.Name == "Globex" && r.System == "Jira");
        Assert.Contains(choices, c => c!["value"]!.GetValue<string>() == jira.Id.ToString());

        // Teams merges the chosen input into the action's data.
        var data = action["data"]!.DeepClone().AsObject();
        data["requestId"] = jira.Id.ToString();
        var (_, stranger) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "reportAccount", data.DeepClone().AsObject(), "1:pick", TestActivities.Megan));
        var (status, body) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "reportAccount", data.DeepClone().AsObject(), "1:pick", user));
        var (_, again) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "reportAccount", data.DeepClone().AsObject(), "1:pick", user));

        Assert.Contains("Only the engineer", stranger!["value"]!.ToString());
        Assert.Equal(200, status);
        Assert.Contains("Verified: Globex Jira account", body!["value"].CardText());
        Assert.Contains("already Verified", again!["value"].CardText());
        var after = await RequestsOfAsync(app, engineerId);
        Assert.Equal(AccountRequestStatus.Verified, after.Single(r => r.Id == jira.Id).Status);
        Assert.Single(after.Single(r => r.Id == jira.Id).FollowUps, f => f.Kind == FollowUpKind.Verified);
        Assert.Equal(2, after.Count(r => r.Status == AccountRequestStatus.Requested));
    }

    [Fact]
    public async Task A_failing_report_escalates_to_every_team_lead_at_once_and_a_repeat_does_not()
    {
        var (user, engineerId, conversationId) = await app.EngineerWithOpenRequestsAsync();

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "Globex VPN account not working: MFA link expired", user, conversationId));
        await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "Globex VPN account not working: MFA link expired", user, conversationId));
        await app.Connector.WaitForAsync(r => r.ConversationId == conversationId && ReplyText(r).Contains("Already reported"));

        var vpn = (await RequestsOfAsync(app, engineerId)).Single(r => r.Customer.Name == "Globex" && r.System == "VPN");
        Assert.Equal(AccountRequestStatus.Failing, vpn.Status);
        Assert.Equal("MFA link expired", vpn.FailureReason);
        Assert.Single(vpn.FollowUps, f => f.Kind == FollowUpKind.Failing);
        Assert.Single(vpn.FollowUps, f => f.Kind == FollowUpKind.EscalatedToTeamLead);
        var escalations = await OutboxAsync(app, vpn.Id);
        // Demo team leads: Alex Wilber and Patti Fernandez, each in a 1:1 chat, in the same transaction as the report.
        Assert.Equal(["00000000-0000-0000-0000-0000000000020", "demo-aad-patti-fernandez"], escalations.Select(m => m.RecipientAadObjectId!).Order().ToArray());
        Assert.All(escalations, m => Assert.Equal(OutboxKind.SendPersonal, m.Kind));
        Assert.All(escalations, m => Assert.Contains("ACCOUNT NOT WORKING", CardText(m)));
        Assert.All(escalations, m => Assert.Contains("MFA link expired", CardText(m)));
    }

    [Fact]
    public async Task Someone_without_open_requests_gets_a_clear_answer_and_nothing_changes()
    {
        var conversationId = "a:1no-requests-" + Guid.NewGuid().ToString("N");
        var requestsBefore = await app.QueryAsync(db => db.AccountRequests.CountAsync(r => r.Status == AccountRequestStatus.Verified));

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "my Contoso account works", TestActivities.Megan, conversationId));

        var reply = ReplyText(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId));
        Assert.Contains("You have no open account requests", reply);
        Assert.Equal(requestsBefore, await app.QueryAsync(db => db.AccountRequests.CountAsync(r => r.Status == AccountRequestStatus.Verified)));
    }
}
