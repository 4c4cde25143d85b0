namespace Engagements.AccountAccess;

public sealed class AccountAccessOptions
{
    // After expected-by, the team lead is asked first; this many business days later the CSM (SPEC §3.3).
    public int CsmGraceDays { get; set; } = 2;

    // Days nobody at the customer creates accounts; skipped like weekends when counting business days.
    public List<DateOnly> Holidays { get; set; } = [];

    // Optional subject-matter experts copied on every request email (seed 002: "SME as needed").
    public List<string> SmeCc { get; set; } = [];

    // The daily run: send requests that became due, escalate overdue ones (Quartz cron, with seconds).
    public string Cron { get; set; } = "0 0 7 * * ?";

    public string? TimeZone { get; set; }
}
