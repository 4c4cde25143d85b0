namespace Engagements.Bot;

public enum CommandKind
{
    Help,
    Status,
    MyWork,
    Board,
    Overdue,
    Blocked,
    Unblocked,
    Done,
    Health,
    Alerts,
    FollowUp,
    Playbooks,
    UseChannel,
    Grant,
    Revoke,
    NewEngagement,
    Kickoff,
    AccountWorks,
    AccountNotWorking,
    /// <summary>Input that is no command; answered with the help card, never with silence.</summary>
    Unknown,
}

/// <param name="Subject">The customer, item, purpose or role the command is about, as typed.</param>
/// <param name="Detail">The second argument: a blocker reason, a grant's user mention, a kickoff date, a `for customer`, an account's system.</param>
public sealed record Command(CommandKind Kind, string? Subject = null, string? Detail = null, string? Customer = null)
{
    public static Command Unknown { get; } = new(CommandKind.Unknown);
}
