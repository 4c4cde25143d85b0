using Engagements.Alerts;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;

namespace Engagements.Onboarding;

public enum TriggerAlertOutcome
{
    Raised,
    Refired,
}

/// <summary>
/// Seed 003's triggers raise alerts through the shared mechanism (one open alert per customer + rule, the alert card
/// with acknowledge and snooze, re-fires update that card); this only names the rule and tells new from re-fired.
/// </summary>
public sealed class TriggerAlerts(EngagementsDb db, AlertService alerts)
{
    /// <summary>Adds or re-fires the alert in the DbContext; the caller saves it with everything else.</summary>
    public async Task<TriggerAlertOutcome> RaiseAsync(
        Customer customer, string title, string detail, AlertSeverity severity, ChannelPurpose channel, CancellationToken cancellationToken,
        string? cardText = null)
    {
        var reason = Shorten($"{title}: {cardText ?? detail}", 1000);
        var alert = await alerts.RaiseAsync(AlertKind.EarlyWarning, customer.Id, reason, severity, channel, cancellationToken, topic: title);
        return db.Entry(alert).State == Microsoft.EntityFrameworkCore.EntityState.Added ? TriggerAlertOutcome.Raised : TriggerAlertOutcome.Refired;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
