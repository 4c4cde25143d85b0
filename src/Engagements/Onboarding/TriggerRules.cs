namespace Engagements.Onboarding;

// The rule keys templates refer to ("rule": "...") and the stable alert titles they raise. A title is part of the
// alert's dedupe key, so it must not carry changing numbers (only the configured threshold).
public static class TriggerRules
{
    public const string EngagementScoreBelow = "engagementScoreBelow";
    public const string BlockerOpenDays = "blockerOpenDays";
    public const string MilestoneMissedDays = "milestoneMissedDays";
    public const string AttendanceBelow = "attendanceBelow";
    public const string UsageBelowExpectation = "usageBelowExpectation";
    public const string SupportTicketSpike = "supportTicketSpike";
    public const string StakeholderChange = "stakeholderChange";
    public const string CompetitorEvaluation = "competitorEvaluation";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        EngagementScoreBelow, BlockerOpenDays, MilestoneMissedDays, AttendanceBelow, UsageBelowExpectation,
        SupportTicketSpike, StakeholderChange, CompetitorEvaluation,
    };

    public static string TitleOf(string rule, TriggerOptions options) => rule switch
    {
        EngagementScoreBelow => $"Engagement score below {options.EngagementScoreBelow}",
        // Same wording as the demo data's open alert, so the first run re-fires it instead of adding a twin.
        BlockerOpenDays => $"Technical blocker open for more than {options.BlockerOpenDays} days",
        MilestoneMissedDays => $"Milestone missed by more than {options.MilestoneMissedDays} days",
        AttendanceBelow => $"Meeting or training attendance below {options.AttendanceBelowPercent}%",
        UsageBelowExpectation => "Usage below expectation",
        SupportTicketSpike => "Support ticket volume spike",
        StakeholderChange => "Key stakeholder change",
        CompetitorEvaluation => "Competitor evaluation activity",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown trigger rule"),
    };
}
