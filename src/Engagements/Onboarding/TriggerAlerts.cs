using Engagements.Alerts;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

public enum TriggerAlertOutcome
{
    Raised,
    Refired,
}

/// <summary>
/// Onboarding's own, deliberately small way to raise an alert: one row per open dedupe key (the database enforces it),
/// a re-fire counts instead of creating, and a plain message card goes to the channel. The integrator replaces the body
/// of <see cref="RaiseAsync"/> with the shared AlertService (feat/health: alert card, acknowledge, snooze, in-place
/// re-fire updates) once it lands; callers and tests stay as they are.
/// </summary>
public sealed class TriggerAlerts(EngagementsDb db, OutboxWriter outbox, CardCatalog cards, TimeProvider clock)
{
    /// <summary>Adds or re-fires the alert in the DbContext; the caller saves it with everything else.</summary>
    public async Task<TriggerAlertOutcome> RaiseAsync(
        Customer customer, string title, string detail, AlertSeverity severity, ChannelPurpose channel, CancellationToken cancellationToken,
        string? cardText = null)
    {
        var now = clock.GetUtcNow();
        var key = Alert.DedupeKeyFor(customer.Id, AlertKind.EarlyWarning, title);
        var open = db.Alerts.Local.FirstOrDefault(a => a.DedupeKey == key && a.State != AlertState.Resolved)
            ?? await db.Alerts.FirstOrDefaultAsync(a => a.DedupeKey == key && a.State != AlertState.Resolved, cancellationToken);
        if (open is not null)
        {
            open.Refire(now);
            return TriggerAlertOutcome.Refired;
        }

        var alert = new Alert
        {
            Kind = AlertKind.EarlyWarning,
            CustomerId = customer.Id,
            Reason = Shorten($"{title}: {detail}", 1000),
            Severity = severity,
            DedupeKey = key,
            State = AlertState.Open,
            FirstSeenAt = now,
            LastSeenAt = now,
        };
        db.Alerts.Add(alert);
        var card = cards.Render("message", new
        {
            title = $"{(severity == AlertSeverity.Critical ? "🚨" : "⚠️")} {customer.Name}: {title}",
            text = cardText ?? detail,
            style = severity == AlertSeverity.Critical ? "attention" : "warning",
        });
        await outbox.PostToChannelAsync(channel, Messages.Card(card), $"alert:{alert.Id:N}:post", Related.To<Alert>(alert.Id), cancellationToken);
        return TriggerAlertOutcome.Raised;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
