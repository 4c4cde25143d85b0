namespace Engagements.Assignments;

/// <summary>Section "Assignment": when a pending approval is chased, and how often the job looks.</summary>
public sealed class AssignmentOptions
{
    public TimeSpan RemindAfter { get; set; } = TimeSpan.FromDays(1);
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromDays(2);

    // Quartz cron (with seconds), UTC.
    public string FollowUpCron { get; set; } = "0 */15 * * * ?";
}
