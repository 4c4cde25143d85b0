namespace Engagements.Alerts;

public enum AlertDelivery
{
    // Each alert is posted (and updated in place) as it fires.
    Single,

    // One digest card per channel a day (AlertDigestJob); single alerts are stored but not posted.
    Daily,
}

public sealed class AlertOptions
{
    // Alerts:Digest = "daily" switches to the digest; anything else (or nothing) posts single alerts.
    public string? Digest { get; set; }

    public int SnoozeDays { get; set; } = 7;

    // Quartz cron (with seconds) for the digest and for re-opening alerts whose snooze ended.
    public string DigestCron { get; set; } = "0 0 8 * * ?";
    public string WakeCron { get; set; } = "0 */15 * * * ?";

    public AlertDelivery Delivery => string.Equals(Digest, "daily", StringComparison.OrdinalIgnoreCase) ? AlertDelivery.Daily : AlertDelivery.Single;
}
