namespace Engagements.Health;

/// <summary>
/// Health:* settings. Defaults (SPEC §2, §3.5):
/// weights seat-utilization 0.20, feature-adoption 0.15, active-users 0.15, version-currency 0.05, nps 0.10,
/// milestones 0.15, open-blockers 0.10, meeting-attendance 0.05, support-tickets 0.05 (any positive numbers; the
/// score divides by their sum); bands red 0–50, yellow 51–75, green 76–100; an active user used the product in
/// the last 30 days. A component without data (no seat reading, no survey, ...) is shown but not weighted.
/// </summary>
public sealed class HealthOptions
{
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [HealthComponents.SeatUtilization] = 0.20,
        [HealthComponents.FeatureAdoption] = 0.15,
        [HealthComponents.ActiveUsers] = 0.15,
        [HealthComponents.VersionCurrency] = 0.05,
        [HealthComponents.Nps] = 0.10,
        [HealthComponents.Milestones] = 0.15,
        [HealthComponents.OpenBlockers] = 0.10,
        [HealthComponents.MeetingAttendance] = 0.05,
        [HealthComponents.SupportTickets] = 0.05,
    };

    // Highest score of the red and the yellow band; above YellowMax is green.
    public int RedMax { get; set; } = 50;
    public int YellowMax { get; set; } = 75;

    public int ActiveUserWindowDays { get; set; } = 30;

    // NPS answers count for this long (surveys are rare).
    public int NpsWindowDays { get; set; } = 180;

    // The feature catalogue adoption is measured against; empty = every feature any customer used in the last 90 days.
    public List<string> Features { get; set; } = [];

    // The current product version; empty = the newest version any customer runs.
    public string? CurrentProductVersion { get; set; }

    public int BatchSize { get; set; } = 200;

    // Quartz cron (with seconds): daily at 02:00 UTC by default.
    public string Cron { get; set; } = "0 0 2 * * ?";

    public double WeightOf(string component) => Weights.TryGetValue(component, out var weight) ? Math.Max(0, weight) : 0;

    public HealthBand BandOf(int score) => score <= RedMax ? HealthBand.Red : score <= YellowMax ? HealthBand.Yellow : HealthBand.Green;
}
