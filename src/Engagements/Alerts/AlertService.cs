using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Alerts;

/// <summary>
/// Alert hygiene shared by every feature that raises alerts: one live alert per dedupe key, a re-fire updates the
/// existing card (count, last seen) instead of posting again, snoozed alerts stay quiet until the snooze ends, and
/// the daily digest replaces single posts when configured. Nothing is saved here: the caller's SaveChanges writes
/// the alert, its outbox rows and the audit entry together with the change that raised it.
/// </summary>
public sealed partial class AlertService(
    EngagementsDb db,
    OutboxWriter outbox,
    AuditLog audit,
    CardCatalog cards,
    TimeProvider clock,
    IOptionsMonitor<AlertOptions> options,
    ILogger<AlertService> logger)
{
    /// <param name="topic">What the dedupe key is built from when the reason carries changing figures
    /// (e.g. reason "Seat utilization 38% (below 50%)", topic "below 50%"); the reason by default.</param>
    public async Task<Alert> RaiseAsync(
        AlertKind kind, Guid customerId, string reason, AlertSeverity severity, ChannelPurpose? purpose,
        CancellationToken cancellationToken, string? topic = null)
    {
        var now = clock.GetUtcNow();
        var dedupeKey = Alert.DedupeKeyFor(customerId, kind, topic ?? reason);
        var alert = db.Alerts.Local.FirstOrDefault(a => a.DedupeKey == dedupeKey && a.State != AlertState.Resolved)
            ?? await db.Alerts.SingleOrDefaultAsync(a => a.DedupeKey == dedupeKey && a.State != AlertState.Resolved, cancellationToken);

        if (alert is null)
        {
            alert = new Alert
            {
                Kind = kind,
                CustomerId = customerId,
                Reason = reason,
                Severity = severity,
                DedupeKey = dedupeKey,
                State = AlertState.Open,
                FirstSeenAt = now,
                LastSeenAt = now,
                Purpose = purpose ?? AlertRouting.PurposeOf(kind),
            };
            db.Alerts.Add(alert);
            audit.Record(AuditActor.System, AuditSource.Job, "alert.raised", nameof(Alert), alert.Id.ToString(), after: Summary(alert));
            await PublishAsync(alert, cancellationToken);
            return alert;
        }

        alert.Refire(now);
        alert.Reason = reason;
        alert.Severity = (AlertSeverity)Math.Max((int)alert.Severity, (int)severity);
        if (alert.State == AlertState.Snoozed)
        {
            if (alert.SnoozedUntil > now)
            {
                LogSnoozedRefire(alert.Id, alert.SnoozedUntil);
                return alert;
            }

            alert.State = AlertState.Open;
            alert.SnoozedUntil = null;
        }

        await PublishAsync(alert, cancellationToken);
        return alert;
    }

    public async Task<AlertActionResult> AcknowledgeAsync(Guid alertId, AuditActor actor, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.Include(a => a.Customer).SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null)
        {
            return AlertActionResult.NotFound;
        }

        if (alert.State is AlertState.Acknowledged or AlertState.Resolved)
        {
            return new AlertActionResult(alert, Changed: false);
        }

        var before = Summary(alert);
        alert.State = AlertState.Acknowledged;
        alert.AcknowledgedAt = clock.GetUtcNow();
        alert.AcknowledgedByAadObjectId = actor.AadObjectId;
        alert.SnoozedUntil = null;
        audit.Record(actor, AuditSource.Card, "alert.acknowledged", nameof(Alert), alert.Id.ToString(), before, Summary(alert));
        await UpdateCardAsync(alert, actor.Name, cancellationToken);
        return new AlertActionResult(alert, Changed: true);
    }

    public async Task<AlertActionResult> SnoozeAsync(Guid alertId, AuditActor actor, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.Include(a => a.Customer).SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null)
        {
            return AlertActionResult.NotFound;
        }

        var now = clock.GetUtcNow();
        if (alert.State == AlertState.Resolved || (alert.State == AlertState.Snoozed && alert.SnoozedUntil > now))
        {
            return new AlertActionResult(alert, Changed: false);
        }

        var before = Summary(alert);
        alert.State = AlertState.Snoozed;
        alert.SnoozedUntil = now.AddDays(options.CurrentValue.SnoozeDays);
        audit.Record(actor, AuditSource.Card, "alert.snoozed", nameof(Alert), alert.Id.ToString(), before, Summary(alert));
        await UpdateCardAsync(alert, actor.Name, cancellationToken);
        return new AlertActionResult(alert, Changed: true);
    }

    /// <summary>Resolves the live alert for a dedupe key, if any (e.g. utilization back in range); its card shows it resolved.</summary>
    public async Task ResolveAsync(AlertKind kind, Guid customerId, string topic, string why, CancellationToken cancellationToken)
    {
        var dedupeKey = Alert.DedupeKeyFor(customerId, kind, topic);
        var alert = db.Alerts.Local.FirstOrDefault(a => a.DedupeKey == dedupeKey && a.State != AlertState.Resolved)
            ?? await db.Alerts.SingleOrDefaultAsync(a => a.DedupeKey == dedupeKey && a.State != AlertState.Resolved, cancellationToken);
        if (alert is null)
        {
            return;
        }

        var before = Summary(alert);
        alert.State = AlertState.Resolved;
        alert.ResolvedAt = clock.GetUtcNow();
        audit.Record(AuditActor.System, AuditSource.Job, "alert.resolved", nameof(Alert), alert.Id.ToString(), before, Summary(alert), why);
        await UpdateCardAsync(alert, actorName: null, cancellationToken);
    }

    /// <summary>Re-opens alerts whose snooze has ended and shows them again in their channel. Saves.</summary>
    public async Task<int> WakeSnoozedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Alerts
            .Where(a => a.State == AlertState.Snoozed && a.SnoozedUntil <= now)
            .OrderBy(a => a.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var alert in due)
        {
            alert.State = AlertState.Open;
            alert.SnoozedUntil = null;
            audit.Record(AuditActor.Job(nameof(AlertWakeJob)), AuditSource.Job, "alert.snooze-ended", nameof(Alert), alert.Id.ToString(), after: Summary(alert));
            await PublishAsync(alert, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone acknowledged or re-snoozed one of them meanwhile (or another run woke them); theirs stands,
            // and whatever is still due is picked up by the next run.
            db.ChangeTracker.Clear();
            LogWakeConflict(due.Count);
            return 0;
        }

        return due.Count;
    }

    /// <summary>One digest card per channel with the alerts that are open and fired in the last day. Saves.</summary>
    public async Task<int> PostDigestAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-1);
        var recent = await db.Alerts.AsNoTracking().Include(a => a.Customer)
            .Where(a => a.State == AlertState.Open && a.LastSeenAt > since)
            .ToListAsync(cancellationToken);
        var posted = 0;
        foreach (var group in recent.GroupBy(a => a.Purpose ?? AlertRouting.PurposeOf(a.Kind)))
        {
            var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var key = $"alerts:digest:{StoredText.Of(group.Key)}:{day}";
            if (await db.OutboxMessages.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
            {
                continue;
            }

            var card = ListCard($"Alert digest for {day}", $"{group.Count()} alert(s) fired in the last 24 hours in {StoredText.Of(group.Key)}.", group);
            if (await outbox.PostToChannelAsync(group.Key, Messages.Card(card), key, null, cancellationToken) is not null)
            {
                posted++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return posted;
    }

    public async Task<JsonObject> OpenAlertsCardAsync(CancellationToken cancellationToken)
    {
        var open = await db.Alerts.AsNoTracking().Include(a => a.Customer)
            .Where(a => a.State != AlertState.Resolved)
            .ToListAsync(cancellationToken);
        var ordered = open.OrderByDescending(a => a.Severity).ThenByDescending(a => a.LastSeenAt).ToList();
        var intro = ordered.Count == 0 ? "No open alerts." : $"{ordered.Count} unresolved alert(s), most severe first.";
        return ListCard("Open alerts", intro, ordered.Take(25));
    }

    public async Task<JsonObject> CardAsync(Alert alert, string? actorName, CancellationToken cancellationToken)
    {
        var customer = alert.Customer ?? await db.Customers.AsNoTracking().SingleAsync(c => c.Id == alert.CustomerId, cancellationToken);
        return cards.Render("alert", CardData(alert, customer, actorName ?? await AcknowledgerAsync(alert, cancellationToken)));
    }

    public static string PostKey(Guid alertId) => $"alert:{alertId:N}:post";

    private async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        // In digest mode single alerts stay in the database; the daily digest shows them.
        if (options.CurrentValue.Delivery == AlertDelivery.Daily)
        {
            return;
        }

        var post = await FindPostAsync(alert.Id, cancellationToken);
        var card = Messages.Card(await CardAsync(alert, null, cancellationToken));
        if (post is not null)
        {
            outbox.UpdatePosted(post, card);
            return;
        }

        var purpose = alert.Purpose ?? AlertRouting.PurposeOf(alert.Kind);
        if (await outbox.PostToChannelAsync(purpose, card, PostKey(alert.Id), Related.To<Alert>(alert.Id), cancellationToken) is null)
        {
            // Recorded, listed by `alerts`; posted on its next re-fire once a channel is bound.
            LogNoChannel(alert.Id, StoredText.Of(purpose));
        }
    }

    private async Task UpdateCardAsync(Alert alert, string? actorName, CancellationToken cancellationToken)
    {
        if (await FindPostAsync(alert.Id, cancellationToken) is { } post)
        {
            outbox.UpdatePosted(post, Messages.Card(await CardAsync(alert, actorName, cancellationToken)));
        }
    }

    private async Task<OutboxMessage?> FindPostAsync(Guid alertId, CancellationToken cancellationToken)
    {
        var key = PostKey(alertId);
        return db.OutboxMessages.Local.FirstOrDefault(m => m.IdempotencyKey == key)
            ?? await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.IdempotencyKey == key, cancellationToken);
    }

    private async Task<string?> AcknowledgerAsync(Alert alert, CancellationToken cancellationToken)
    {
        if (alert.State != AlertState.Acknowledged)
        {
            return null;
        }

        var id = alert.Id.ToString();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(Alert) && e.EntityId == id && e.Action == "alert.acknowledged")
            .OrderByDescending(e => e.Id)
            .Select(e => e.ActorName)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private JsonObject ListCard(string title, string intro, IEnumerable<Alert> alerts) => cards.Render("alerts", new
    {
        title,
        intro,
        alerts = alerts.Select(a => new
        {
            alertId = a.Id,
            customer = a.Customer.Name,
            kind = AlertRouting.TitleOf(a.Kind),
            severity = StoredText.Of(a.Severity),
            reason = a.Reason,
            state = StateText(a),
            count = a.Count,
            lastSeen = Format(a.LastSeenAt),
            actionable = a.State is AlertState.Open or AlertState.Snoozed,
        }),
    });

    private static object CardData(Alert alert, Customer customer, string? actorName) => new
    {
        alertId = alert.Id,
        kind = AlertRouting.TitleOf(alert.Kind),
        severity = StoredText.Of(alert.Severity),
        customer = customer.Name,
        reason = alert.Reason,
        count = alert.Count,
        firstSeen = Format(alert.FirstSeenAt),
        lastSeen = Format(alert.LastSeenAt),
        state = StateText(alert),
        stateNote = alert.State switch
        {
            AlertState.Acknowledged => $"Acknowledged{(actorName is null ? "" : " by " + actorName)} on {Format(alert.AcknowledgedAt!.Value)}",
            AlertState.Snoozed => $"Snoozed until {Format(alert.SnoozedUntil!.Value)}",
            AlertState.Resolved => $"Resolved on {Format(alert.ResolvedAt ?? alert.LastSeenAt)}",
            _ => null,
        },
        canAcknowledge = alert.State is AlertState.Open or AlertState.Snoozed,
        canSnooze = alert.State is AlertState.Open or AlertState.Acknowledged,
    };

    private static string StateText(Alert alert) => StoredText.Of(alert.State);

    internal static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static object Summary(Alert alert) => new
    {
        kind = StoredText.Of(alert.Kind),
        alert.CustomerId,
        alert.Reason,
        state = StoredText.Of(alert.State),
        alert.Count,
        alert.SnoozedUntil,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} re-fired while snoozed until {SnoozedUntil}; not posted")]
    private partial void LogSnoozedRefire(Guid alertId, DateTimeOffset? snoozedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waking {Count} snoozed alerts conflicted with a concurrent change; retried next run")]
    private partial void LogWakeConflict(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} was not posted: no channel is bound to {Purpose}")]
    private partial void LogNoChannel(Guid alertId, string purpose);
}

public sealed record AlertActionResult(Alert? Alert, bool Changed)
{
    public static AlertActionResult NotFound { get; } = new(null, false);
}

public static class AlertRouting
{
    public static ChannelPurpose PurposeOf(AlertKind kind) => kind switch
    {
        AlertKind.FirstFeatureUse or AlertKind.LowUtilization or AlertKind.ExpansionOpportunity => ChannelPurpose.AlertsCustomerUsage,
        AlertKind.AccountAccessOverdue => ChannelPurpose.Escalations,
        _ => ChannelPurpose.AlertsHealth,
    };

    public static string TitleOf(AlertKind kind) => kind switch
    {
        AlertKind.FirstFeatureUse => "First feature use",
        AlertKind.LowUtilization => "Low seat utilization",
        AlertKind.ExpansionOpportunity => "Expansion opportunity",
        AlertKind.HealthBandDrop => "Health band drop",
        AlertKind.EarlyWarning => "Early warning",
        AlertKind.Detractor => "Survey detractor",
        AlertKind.AccountAccessOverdue => "Account access overdue",
        _ => kind.ToString(),
    };
}
