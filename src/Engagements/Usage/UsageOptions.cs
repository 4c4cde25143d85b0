namespace Engagements.Usage;

public sealed class UsageOptions
{
    // Keys the usage pipeline sends in X-Api-Key. None configured = every ingestion request is refused (401).
    public List<string> ApiKeys { get; set; } = [];

    // Fractions of purchased seats: below LowUtilization raises a low-utilization alert, above
    // ExpansionUtilization an expansion-opportunity alert (SPEC §3.5, seed 004).
    public double LowUtilization { get; set; } = 0.5;
    public double ExpansionUtilization { get; set; } = 0.9;

    // Body caps. 8 MB holds well over 10,000 events of ~150 bytes each.
    public int MaxEventsBodyBytes { get; set; } = 8 * 1024 * 1024;
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
    public int MaxEventsPerBatch { get; set; } = 50_000;
}
