using System.Globalization;

namespace Engagements.Health;

public static class HealthComponents
{
    public const string SeatUtilization = "seat-utilization";
    public const string FeatureAdoption = "feature-adoption";
    public const string ActiveUsers = "active-users";
    public const string VersionCurrency = "version-currency";
    public const string Nps = "nps";
    public const string Milestones = "milestones";
    public const string OpenBlockers = "open-blockers";
    public const string MeetingAttendance = "meeting-attendance";
    public const string SupportTickets = "support-tickets";

    public static IReadOnlyList<string> All { get; } =
        [SeatUtilization, FeatureAdoption, ActiveUsers, VersionCurrency, Nps, Milestones, OpenBlockers, MeetingAttendance, SupportTickets];

    public static string TitleOf(string component) => component switch
    {
        SeatUtilization => "Seat utilization",
        FeatureAdoption => "Feature adoption",
        ActiveUsers => "Active users",
        VersionCurrency => "Version currency",
        Nps => "NPS / survey",
        Milestones => "Milestone status",
        OpenBlockers => "Open blockers",
        MeetingAttendance => "Meeting attendance",
        SupportTickets => "Support tickets",
        _ => component,
    };
}

/// <summary>What the health job knows about one customer, all from aggregates (see HealthService).</summary>
public sealed record HealthInputs
{
    public int SeatsPurchased { get; init; }
    public int? ActiveSeats { get; init; }
    public int FeaturesUsed { get; init; }
    public int FeatureCatalogSize { get; init; }
    public int ActiveUsers { get; init; }
    public string? ProductVersion { get; init; }
    public string? CurrentVersion { get; init; }
    public double? NpsAverage { get; init; }
    public int NpsAnswers { get; init; }
    public int Deliverables { get; init; }
    public int DeliverablesDue { get; init; }
    public int DeliverablesDueCompleted { get; init; }
    public int OpenBlockers { get; init; }
    public double? AttendanceAverage { get; init; }
    public int? SupportTickets { get; init; }
}

public sealed record HealthResult(double ExactScore, int Score, HealthBand Band, List<HealthComponent> Components);

/// <summary>
/// Component scores (each 0–100) and their weighted average. Rules:
/// seat utilization = active seats / purchased; feature adoption = features used in the window / catalogue;
/// active users = distinct users in the window / purchased seats; version currency = 100 − 25 per minor version
/// behind (a major version behind counts as 4; patches don't count); NPS = average answer × 10; milestones = due deliverables completed /
/// due (100 when nothing is due yet); open blockers = 100 − 25 per blocker; meeting attendance = average percent;
/// support tickets = 100 − 10 per ticket in the window. Each is capped to 0–100 and rounded; a component without
/// data gets weight 0. Score = Σ weight × score / Σ weight, rounded half away from zero for the band.
/// </summary>
public static class HealthCalculator
{
    public static HealthResult Compute(HealthInputs inputs, HealthOptions options)
    {
        var components = new List<HealthComponent>
        {
            Component(options, HealthComponents.SeatUtilization,
                inputs.ActiveSeats is { } seats && inputs.SeatsPurchased > 0 ? Percent(seats, inputs.SeatsPurchased) : null,
                inputs.ActiveSeats is { } active && inputs.SeatsPurchased > 0 ? $"{active} of {inputs.SeatsPurchased} seats active" : "No seat reading"),
            Component(options, HealthComponents.FeatureAdoption,
                inputs.FeatureCatalogSize > 0 ? Percent(inputs.FeaturesUsed, inputs.FeatureCatalogSize) : null,
                inputs.FeatureCatalogSize > 0 ? $"{inputs.FeaturesUsed} of {inputs.FeatureCatalogSize} features used in {options.ActiveUserWindowDays} days" : "No feature catalogue"),
            Component(options, HealthComponents.ActiveUsers,
                inputs.SeatsPurchased > 0 ? Percent(inputs.ActiveUsers, inputs.SeatsPurchased) : null,
                inputs.SeatsPurchased > 0 ? $"{inputs.ActiveUsers} active users in {options.ActiveUserWindowDays} days for {inputs.SeatsPurchased} seats" : "No seats purchased"),
            VersionComponent(options, inputs.ProductVersion, inputs.CurrentVersion),
            Component(options, HealthComponents.Nps,
                inputs.NpsAverage is { } nps ? Clamp(nps * 10) : null,
                inputs.NpsAverage is { } average ? $"Average {average.ToString("0.#", CultureInfo.InvariantCulture)} of 10 from {inputs.NpsAnswers} answer(s)" : "No survey answers"),
            Component(options, HealthComponents.Milestones,
                inputs.Deliverables == 0 ? null : inputs.DeliverablesDue == 0 ? 100 : Percent(inputs.DeliverablesDueCompleted, inputs.DeliverablesDue),
                inputs.Deliverables == 0 ? "No delivery plan" : $"{inputs.DeliverablesDueCompleted} of {inputs.DeliverablesDue} due deliverables completed"),
            Component(options, HealthComponents.OpenBlockers,
                inputs.Deliverables == 0 ? null : Clamp(100 - 25.0 * inputs.OpenBlockers),
                inputs.Deliverables == 0 ? "No delivery plan" : $"{inputs.OpenBlockers} open blocker(s)"),
            Component(options, HealthComponents.MeetingAttendance,
                inputs.AttendanceAverage is { } attendance ? Clamp(attendance) : null,
                inputs.AttendanceAverage is { } percent ? $"Average attendance {percent.ToString("0.#", CultureInfo.InvariantCulture)}%" : "No meeting attendance reported"),
            Component(options, HealthComponents.SupportTickets,
                inputs.SupportTickets is { } tickets ? Clamp(100 - 10.0 * tickets) : null,
                inputs.SupportTickets is { } count ? $"{count} support ticket(s) in {options.ActiveUserWindowDays} days" : "No support ticket counts"),
        };

        var exact = WeightedScore(components);
        var score = (int)Math.Round(exact, MidpointRounding.AwayFromZero);
        return new HealthResult(exact, score, options.BandOf(score), components);
    }

    /// <summary>The overall score from stored components, so a snapshot explains itself exactly.</summary>
    public static double WeightedScore(IReadOnlyCollection<HealthComponent> components)
    {
        var total = components.Sum(c => c.Weight);
        return total <= 0 ? 0 : Math.Round(components.Sum(c => c.Weight * c.Score) / total, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Points each component costs the overall score: weight share × (100 − component score).</summary>
    public static double PointsLost(HealthComponent component, IReadOnlyCollection<HealthComponent> all)
    {
        var total = all.Sum(c => c.Weight);
        return total <= 0 ? 0 : Math.Round(component.Weight / total * (100 - component.Score), 2, MidpointRounding.AwayFromZero);
    }

    internal static int MinorsBehind(string version, string current)
    {
        if (!TryParse(version, out var mine) || !TryParse(current, out var latest) || mine >= latest)
        {
            return 0;
        }

        return latest.Major > mine.Major ? 4 * (latest.Major - mine.Major) : Math.Max(0, latest.Minor - mine.Minor);
    }

    internal static bool TryParse(string? text, out Version version)
    {
        version = new Version(0, 0);
        var trimmed = text?.Trim().TrimStart('v', 'V');
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (!trimmed.Contains('.', StringComparison.Ordinal))
        {
            trimmed += ".0";
        }

        return Version.TryParse(trimmed.Split('-')[0], out version!);
    }

    private static HealthComponent VersionComponent(HealthOptions options, string? version, string? current)
    {
        if (version is null || current is null || !TryParse(version, out _) || !TryParse(current, out _))
        {
            return Component(options, HealthComponents.VersionCurrency, null, "Product version unknown");
        }

        var behind = MinorsBehind(version, current);
        return Component(options, HealthComponents.VersionCurrency, Clamp(100 - 25.0 * behind),
            behind == 0 ? $"On {version}, the current version" : $"On {version}, {behind} minor version(s) behind {current}");
    }

    private static HealthComponent Component(HealthOptions options, string name, int? score, string detail) => new()
    {
        Name = name,
        Weight = score is null ? 0 : options.WeightOf(name),
        Score = score ?? 0,
        Detail = score is null ? detail + " (not counted)" : detail,
    };

    private static int Percent(int part, int whole) => Clamp(100.0 * part / whole);

    private static int Clamp(double value) => (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero);
}
