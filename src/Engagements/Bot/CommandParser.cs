using System.Text.RegularExpressions;

namespace Engagements.Bot;

/// <summary>
/// The one grammar for everything people type to the bot (SPEC §3.7, §3.3, §3.4). Input is the message text with the
/// bot's own mention already removed by entity; other mentions (a user in `grant`) stay as &lt;at&gt;Name&lt;/at&gt;.
/// The first word selects a rule; a misspelt keyword within one edit still matches (`stauts` → status).
/// </summary>
public static partial class CommandParser
{
    private sealed record Rule(string Keyword, Func<string, Command?> Parse, bool AllowTypo = true);

    private static readonly Rule[] Rules =
    [
        new("help", rest => new Command(CommandKind.Help)),
        new("status", rest => Required(CommandKind.Status, rest)),
        new("my", ParseMy, AllowTypo: false),
        new("board", rest => new Command(CommandKind.Board, NullIfEmpty(rest))),
        new("overdue", rest => rest.Length == 0 ? new Command(CommandKind.Overdue) : null),
        new("blocked", ParseBlocked),
        new("block", ParseBlocked, AllowTypo: false),
        new("unblocked", rest => Required(CommandKind.Unblocked, rest)),
        new("unblock", rest => Required(CommandKind.Unblocked, rest), AllowTypo: false),
        new("done", ParseDone, AllowTypo: false),
        new("health", rest => Required(CommandKind.Health, rest)),
        new("alerts", rest => rest.Length == 0 ? new Command(CommandKind.Alerts) : null),
        new("follow-up", rest => new Command(CommandKind.FollowUp, NullIfEmpty(rest))),
        new("followup", rest => new Command(CommandKind.FollowUp, NullIfEmpty(rest)), AllowTypo: false),
        new("playbooks", rest => rest.Length == 0 ? new Command(CommandKind.Playbooks) : null),
        new("use", ParseUseChannel, AllowTypo: false),
        new("grant", rest => ParseRoleChange(CommandKind.Grant, rest, "to")),
        new("revoke", rest => ParseRoleChange(CommandKind.Revoke, rest, "from")),
        new("new", rest => Words(rest) is ["engagement"] ? new Command(CommandKind.NewEngagement) : null, AllowTypo: false),
        new("kickoff", ParseKickoff),
    ];

    public static Command Parse(string? text)
    {
        var input = Normalize(text);
        if (input.Length == 0)
        {
            return new Command(CommandKind.Help);
        }

        if (ParseAccountReport(input) is { } report)
        {
            return report;
        }

        var (first, rest) = SplitFirst(input);
        first = first.ToLowerInvariant();
        if (first == "follow" && rest.StartsWith("up", StringComparison.OrdinalIgnoreCase) && (rest.Length == 2 || rest[2] == ' '))
        {
            (first, rest) = ("follow-up", rest[2..].Trim());
        }

        foreach (var rule in Rules)
        {
            if (rule.Keyword == first)
            {
                return rule.Parse(rest) ?? Command.Unknown;
            }
        }

        foreach (var rule in Rules)
        {
            if (rule.AllowTypo && first.Length >= 4 && EditDistance.WithinOne(first, rule.Keyword))
            {
                return rule.Parse(rest) ?? Command.Unknown;
            }
        }

        return Command.Unknown;
    }

    /// <summary>Collapses whitespace (including non-breaking spaces Teams inserts around mentions) and trims punctuation people add.</summary>
    private static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var collapsed = Whitespace().Replace(text.Replace('\u00a0', ' '), " ").Trim();
        return collapsed.TrimStart('/').TrimEnd('.', '!', '?').Trim();
    }

    private static (string Head, string Tail) SplitFirst(string input)
    {
        var space = input.IndexOf(' ');
        return space < 0 ? (input, "") : (input[..space], input[(space + 1)..].Trim());
    }

    private static string[] Words(string text) => text.Length == 0 ? [] : text.ToLowerInvariant().Split(' ');

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static Command? Required(CommandKind kind, string rest) => rest.Length == 0 ? null : new Command(kind, rest);

    private static Command? ParseMy(string rest) =>
        Words(rest) is ["work"] or ["tasks"] or ["deliverables"] ? new Command(CommandKind.MyWork) : null;

    private static Command? ParseBlocked(string rest)
    {
        var colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var item = rest[..colon].Trim();
        var reason = rest[(colon + 1)..].Trim();
        return item.Length == 0 || reason.Length == 0 ? null : new Command(CommandKind.Blocked, item, reason);
    }

    private static Command? ParseDone(string rest)
    {
        if (rest.Length == 0)
        {
            return null;
        }

        var forAt = rest.LastIndexOf(" for ", StringComparison.OrdinalIgnoreCase);
        return forAt > 0
            ? new Command(CommandKind.Done, rest[..forAt].Trim(), Customer: rest[(forAt + 5)..].Trim())
            : new Command(CommandKind.Done, rest);
    }

    private static Command? ParseUseChannel(string rest)
    {
        var match = UseChannel().Match(rest);
        return match.Success ? new Command(CommandKind.UseChannel, match.Groups["purpose"].Value.ToLowerInvariant()) : null;
    }

    private static Command? ParseRoleChange(CommandKind kind, string rest, string preposition)
    {
        var (role, target) = SplitFirst(rest);
        var (word, user) = SplitFirst(target);
        return role.Length > 0 && word.Equals(preposition, StringComparison.OrdinalIgnoreCase) && user.Length > 0
            ? new Command(kind, role, user)
            : null;
    }

    private static Command? ParseKickoff(string rest)
    {
        var lastSpace = rest.LastIndexOf(' ');
        return lastSpace > 0 ? new Command(CommandKind.Kickoff, rest[..lastSpace].Trim(), rest[(lastSpace + 1)..]) : null;
    }

    /// <summary>
    /// `account works`, `my Contoso account works`, `Contoso VPN account works`, `account not working`,
    /// `Contoso account not working: reason` and close variants. Subject holds the words before "account"
    /// (customer and system, resolved later against the caller's open requests).
    /// </summary>
    private static Command? ParseAccountReport(string input)
    {
        var match = AccountReport().Match(input);
        if (!match.Success)
        {
            return null;
        }

        var subject = NullIfEmpty(match.Groups["subject"].Value.Trim());
        var reason = NullIfEmpty(match.Groups["reason"].Value.Trim());
        return match.Groups["bad"].Success
            ? new Command(CommandKind.AccountNotWorking, subject, reason)
            : new Command(CommandKind.AccountWorks, subject);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^this channel for (?<purpose>approvals|alerts-customer-usage|alerts-health|escalations|standup)$", RegexOptions.IgnoreCase)]
    private static partial Regex UseChannel();

    [GeneratedRegex(
        @"^(?:my\s+)?(?<subject>[^:]*?)\s*\baccount\s+(?:(?<bad>is\s+not\s+working|not\s+working|isn'?t\s+working|doesn'?t\s+work|does\s+not\s+work|is\s+broken|broken|fails|failed)|(?:works|is\s+working|working|verified|is\s+verified|ok|works\s+now))\s*(?::\s*(?<reason>.*))?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex AccountReport();
}
