using System.ComponentModel.DataAnnotations;

namespace Engagements.Onboarding;

/// <summary>"Onboarding:Triggers:*": the thresholds of seed 003's trigger alerts and early warnings.</summary>
public sealed class TriggerOptions
{
    [Range(0, 100)] public int EngagementScoreBelow { get; set; } = 70;
    [Range(1, 365)] public int BlockerOpenDays { get; set; } = 3;
    [Range(1, 365)] public int MilestoneMissedDays { get; set; } = 7;
    [Range(0, 100)] public int AttendanceBelowPercent { get; set; } = 80;

    // Distinct active users over the usage window, as a share of purchased seats.
    [Range(0, 100)] public int UsageExpectationPercent { get; set; } = 50;
    [Range(1, 90)] public int UsageWindowDays { get; set; } = 7;

    // The latest support-ticket count against the average of the earlier ones in the look-back window.
    [Range(1.0, 100.0)] public double SupportTicketSpikeFactor { get; set; } = 2.0;

    // How far back a signal (attendance, stakeholder change, competitor evaluation, tickets) still counts.
    [Range(1, 90)] public int SignalLookbackDays { get; set; } = 14;

    // Rule keys (TriggerRules) switched off without a deploy.
    public List<string> Disabled { get; set; } = [];
}
