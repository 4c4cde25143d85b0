using Engagements.Customers;
using Microsoft.Extensions.Options;

namespace Engagements.Intake;

/// <summary>
/// Seed 004 "Customer Segmentation Assignment" as configuration (section "Segments"): rules are tried in order and the
/// first match gives the segment. A rule with SupportLevels matches only those support levels; a rule with MinSeats
/// and/or MinAmount matches when either threshold is reached. Without configured rules the defaults below apply.
/// </summary>
public sealed class SegmentOptions
{
    public List<SegmentRule> Rules { get; set; } = [];

    // Used when no rule matches.
    public CustomerSegment Fallback { get; set; } = CustomerSegment.Smb;

    // Not a property initialiser: the configuration binder would append configured rules to these instead of replacing them.
    public static IReadOnlyList<SegmentRule> DefaultRules { get; } =
    [
        // Seed 004: "Digital Scaled customers are assigned an account segment attribute of: Scaled."
        new() { Segment = CustomerSegment.Scaled, SupportLevels = ["Digital", "Scaled"] },
        new() { Segment = CustomerSegment.Strategic, MinSeats = 5000, MinAmount = 1_000_000m },
        new() { Segment = CustomerSegment.Enterprise, MinSeats = 1000, MinAmount = 250_000m },
        new() { Segment = CustomerSegment.MidMarket, MinSeats = 200, MinAmount = 50_000m },
    ];
}

public sealed class SegmentRule
{
    public CustomerSegment Segment { get; set; }
    public string[] SupportLevels { get; set; } = [];
    public int? MinSeats { get; set; }
    public decimal? MinAmount { get; set; }

    public bool Matches(int seats, decimal amount, string? supportLevel)
    {
        if (SupportLevels.Length > 0 && !SupportLevels.Contains(supportLevel?.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        if (MinSeats is null && MinAmount is null)
        {
            return SupportLevels.Length > 0;
        }
        return (MinSeats is { } minSeats && seats >= minSeats) || (MinAmount is { } minAmount && amount >= minAmount);
    }
}

public sealed class SegmentRules(IOptionsMonitor<SegmentOptions> options)
{
    public CustomerSegment Assign(int seats, decimal amount, string? supportLevel)
    {
        var configured = options.CurrentValue;
        var rules = configured.Rules.Count > 0 ? configured.Rules : SegmentOptions.DefaultRules;
        return rules.FirstOrDefault(r => r.Matches(seats, amount, supportLevel))?.Segment ?? configured.Fallback;
    }
}
