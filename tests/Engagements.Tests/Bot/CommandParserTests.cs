using Engagements.Bot;

namespace Engagements.Tests.Bot;

public class CommandParserTests
{
    public static TheoryData<string, CommandKind, string?, string?, string?> Inputs => new()
    {
        { "help", CommandKind.Help, null, null, null },
        { "HELP", CommandKind.Help, null, null, null },
        { "  help  ", CommandKind.Help, null, null, null },
        { "", CommandKind.Help, null, null, null },
        { "/help", CommandKind.Help, null, null, null },
        { "status Contoso", CommandKind.Status, "Contoso", null, null },
        { "Status   Northwind Traders", CommandKind.Status, "Northwind Traders", null, null },
        { "status contso", CommandKind.Status, "contso", null, null },
        { "stauts Contoso", CommandKind.Status, "Contoso", null, null },
        { "statu Contoso", CommandKind.Status, "Contoso", null, null },
        { "status", CommandKind.Unknown, null, null, null },
        { "status\u00a0Contoso", CommandKind.Status, "Contoso", null, null },
        { "status Contoso?", CommandKind.Status, "Contoso", null, null },
        { "my work", CommandKind.MyWork, null, null, null },
        { "My Work", CommandKind.MyWork, null, null, null },
        { "my tasks", CommandKind.MyWork, null, null, null },
        { "my stuff", CommandKind.Unknown, null, null, null },
        { "board", CommandKind.Board, null, null, null },
        { "board Fabrikam", CommandKind.Board, "Fabrikam", null, null },
        { "baord", CommandKind.Board, null, null, null },
        { "overdue", CommandKind.Overdue, null, null, null },
        { "overdue please now", CommandKind.Unknown, null, null, null },
        { "blocked SSO setup: waiting for the customer's IdP metadata", CommandKind.Blocked, "SSO setup", "waiting for the customer's IdP metadata", null },
        { "blocked SSO setup", CommandKind.Unknown, null, null, null },
        { "blocked : reason only", CommandKind.Unknown, null, null, null },
        { "unblocked SSO setup", CommandKind.Unblocked, "SSO setup", null, null },
        { "unblock SSO setup", CommandKind.Unblocked, "SSO setup", null, null },
        { "done Data migration", CommandKind.Done, "Data migration", null, null },
        { "done Kickoff meeting for Contoso", CommandKind.Done, "Kickoff meeting", null, "Contoso" },
        { "done", CommandKind.Unknown, null, null, null },
        { "health Woodgrove Bank", CommandKind.Health, "Woodgrove Bank", null, null },
        { "helth Woodgrove", CommandKind.Health, "Woodgrove", null, null },
        { "alerts", CommandKind.Alerts, null, null, null },
        { "follow-up", CommandKind.FollowUp, null, null, null },
        { "follow-up Contoso", CommandKind.FollowUp, "Contoso", null, null },
        { "follow up overdue", CommandKind.FollowUp, "overdue", null, null },
        { "followup export", CommandKind.FollowUp, "export", null, null },
        { "playbooks", CommandKind.Playbooks, null, null, null },
        { "use this channel for approvals", CommandKind.UseChannel, "approvals", null, null },
        { "Use this channel for Alerts-Customer-Usage", CommandKind.UseChannel, "alerts-customer-usage", null, null },
        { "use this channel for lunch", CommandKind.Unknown, null, null, null },
        { "grant manager to <at>Megan Bowen</at>", CommandKind.Grant, "manager", "<at>Megan Bowen</at>", null },
        { "revoke csm from <at>Megan Bowen</at>", CommandKind.Revoke, "csm", "<at>Megan Bowen</at>", null },
        { "grant manager <at>Megan Bowen</at>", CommandKind.Unknown, null, null, null },
        { "new engagement", CommandKind.NewEngagement, null, null, null },
        { "new thing", CommandKind.Unknown, null, null, null },
        { "kickoff Contoso 2026-12-01", CommandKind.Kickoff, "Contoso", "2026-12-01", null },
        { "kickoff Wide World Importers 2026-12-01", CommandKind.Kickoff, "Wide World Importers", "2026-12-01", null },
        { "hello there", CommandKind.Unknown, null, null, null },
        { "what's up?", CommandKind.Unknown, null, null, null },
        { "statuses of everything", CommandKind.Unknown, null, null, null },
        { "x", CommandKind.Unknown, null, null, null },
        { "status  Wide   World  Importers ", CommandKind.Status, "Wide World Importers", null, null },
        { "STATUS northwind-traders", CommandKind.Status, "northwind-traders", null, null },
        { "status Contoso please", CommandKind.Status, "Contoso please", null, null },
        { "sttaus Fabrikam", CommandKind.Status, "Fabrikam", null, null },
        { "stat Contoso", CommandKind.Unknown, null, null, null },
        { "board   Northwind Traders", CommandKind.Board, "Northwind Traders", null, null },
        { "bord", CommandKind.Board, null, null, null },
        { "Board fabrikam!", CommandKind.Board, "fabrikam", null, null },
        { "overdeu", CommandKind.Overdue, null, null, null },
        { "OVERDUE", CommandKind.Overdue, null, null, null },
        { "my  work", CommandKind.MyWork, null, null, null },
        { "my deliverables", CommandKind.MyWork, null, null, null },
        { "mywork", CommandKind.Unknown, null, null, null },
        { "blocked Security review for Contoso: questionnaire not returned", CommandKind.Blocked, "Security review for Contoso", "questionnaire not returned", null },
        { "block UAT: test data missing", CommandKind.Blocked, "UAT", "test data missing", null },
        { "blokced UAT: test data missing", CommandKind.Blocked, "UAT", "test data missing", null },
        { "blocked UAT:", CommandKind.Unknown, null, null, null },
        { "blocked UAT: waiting: still", CommandKind.Blocked, "UAT", "waiting: still", null },
        { "unblocked   UAT  for  Fabrikam", CommandKind.Unblocked, "UAT for Fabrikam", null, null },
        { "unblocked", CommandKind.Unknown, null, null, null },
        { "unblokced UAT", CommandKind.Unblocked, "UAT", null, null },
        { "status\u00a0<at>Megan Bowen</at>", CommandKind.Status, "<at>Megan Bowen</at>", null, null },
        { "please show status Contoso", CommandKind.Unknown, null, null, null },
        { "boards", CommandKind.Board, null, null, null },
        { "help me", CommandKind.Help, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_parses_to_the_expected_command(string input, CommandKind kind, string? subject, string? detail, string? customer)
    {
        var command = CommandParser.Parse(input);

        Assert.Equal(new Command(kind, subject, detail, customer), command);
    }

    public static TheoryData<string, CommandKind, string?, string?> AccountReports => new()
    {
        { "account works", CommandKind.AccountWorks, null, null },
        { "Account Works", CommandKind.AccountWorks, null, null },
        { "account works!", CommandKind.AccountWorks, null, null },
        { "my account works", CommandKind.AccountWorks, null, null },
        { "my Contoso account works", CommandKind.AccountWorks, "Contoso", null },
        { "Contoso VPN account works", CommandKind.AccountWorks, "Contoso VPN", null },
        { "contoso vpn account is working", CommandKind.AccountWorks, "contoso vpn", null },
        { "my Northwind Traders Jira account works now", CommandKind.AccountWorks, "Northwind Traders Jira", null },
        { "Fabrikam account verified", CommandKind.AccountWorks, "Fabrikam", null },
        { "account not working", CommandKind.AccountNotWorking, null, null },
        { "Account NOT working", CommandKind.AccountNotWorking, null, null },
        { "my account is not working", CommandKind.AccountNotWorking, null, null },
        { "Contoso account not working: password reset link expired", CommandKind.AccountNotWorking, "Contoso", "password reset link expired" },
        { "Contoso VPN account doesn't work: MFA prompt loops", CommandKind.AccountNotWorking, "Contoso VPN", "MFA prompt loops" },
        { "Contoso account does not work", CommandKind.AccountNotWorking, "Contoso", null },
        { "my Litware account isn't working: locked out", CommandKind.AccountNotWorking, "Litware", "locked out" },
        { "Woodgrove Bank account is broken", CommandKind.AccountNotWorking, "Woodgrove Bank", null },
        { "account not working:   no access to prod  ", CommandKind.AccountNotWorking, null, "no access to prod" },
        { "account", CommandKind.Unknown, null, null },
        { "account works maybe tomorrow", CommandKind.Unknown, null, null },
        { "accounts work", CommandKind.Unknown, null, null },
        { "does my account work", CommandKind.Unknown, null, null },
        { "the account workshop is tomorrow", CommandKind.Unknown, null, null },
        { "status Contoso account works", CommandKind.AccountWorks, "status Contoso", null },
    };

    [Theory]
    [MemberData(nameof(AccountReports))]
    public void Account_report_phrasings_are_recognised_or_refused(string input, CommandKind kind, string? subject, string? reason)
    {
        var command = CommandParser.Parse(input);

        Assert.Equal(kind, command.Kind);
        Assert.Equal(subject, command.Subject);
        Assert.Equal(reason, command.Detail);
    }
}
