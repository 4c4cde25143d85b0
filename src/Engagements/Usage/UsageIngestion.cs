using System.Security.Cryptography;
using System.Text;
using Engagements.Alerts;
using Engagements.Audit;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Usage;

/// <summary>
/// Usage events, seat readings and signals from the product's usage pipeline. A batch is validated whole (the first
/// bad items are named by index and field, nothing is written), re-sent items are skipped by id, and the alerts the
/// batch causes (first use of a feature, seat utilization, early warnings) are raised in the same transaction, so
/// the alert card is in the outbox the moment the request returns.
/// </summary>
public sealed partial class UsageIngestion(
    EngagementsDb db, AlertService alerts, AuditLog audit, TimeProvider clock, IOptionsMonitor<UsageOptions> options,
    ILogger<UsageIngestion> logger)
{
    private const int MaxViolations = 20;

    // Well below SQLite's and PostgreSQL's parameter limits for one IN (...) list.
    private const int LookupChunk = 5_000;

    public async Task<IngestionResult> IngestEventsAsync(IReadOnlyList<UsageEventInput> events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var violations = new List<RuleViolation>();
        if (events.Count > options.CurrentValue.MaxEventsPerBatch)
        {
            throw new RuleViolationException([new("events", $"At most {options.CurrentValue.MaxEventsPerBatch} events per batch.")]);
        }

        for (var i = 0; i < events.Count && violations.Count < MaxViolations; i++)
        {
            var e = events[i];
            if (e is null)
            {
                violations.Add(new($"events[{i}]", "An event is required."));
                continue;
            }

            Require(violations, $"events[{i}].customerCrmId", e.CustomerCrmId, 64);
            Require(violations, $"events[{i}].userId", e.UserId, 200);
            Require(violations, $"events[{i}].feature", e.Feature, 200);
            Optional(violations, $"events[{i}].eventId", e.EventId, 128);
            Optional(violations, $"events[{i}].productVersion", e.ProductVersion, 32);
            RequireInstant(violations, $"events[{i}].occurredAt", e.OccurredAt, now);
        }

        var customers = await CustomersByCrmIdAsync(events.Where(e => e is not null).Select(e => e.CustomerCrmId), cancellationToken);
        for (var i = 0; i < events.Count && violations.Count < MaxViolations; i++)
        {
            if (events[i]?.CustomerCrmId is { Length: > 0 } crmId && !customers.ContainsKey(crmId))
            {
                violations.Add(new($"events[{i}].customerCrmId", $"No customer has CRM id '{crmId}'."));
            }
        }

        ThrowIfAny(violations);

        // Ids the sender gave, or a stable hash of what identifies the event, so a re-sent batch is recognised.
        var incoming = new Dictionary<string, UsageEvent>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var id = string.IsNullOrWhiteSpace(e.EventId) ? DerivedEventId(e) : e.EventId.Trim();
            incoming.TryAdd(id, new UsageEvent
            {
                EventId = id,
                CustomerId = customers[e.CustomerCrmId!].Id,
                UserId = e.UserId!.Trim(),
                Feature = e.Feature!.Trim(),
                OccurredAt = e.OccurredAt!.Value.ToUniversalTime(),
                ProductVersion = string.IsNullOrWhiteSpace(e.ProductVersion) ? null : e.ProductVersion.Trim(),
                ReceivedAt = now,
            });
        }

        // Re-sent ids are skipped by the insert itself (ON CONFLICT DO NOTHING); first uses are judged against what was
        // stored before this batch, so a re-sent batch raises nothing either.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var fresh = incoming.Values.ToList();
        var raised = await RaiseFirstUsesAsync(fresh, customers.Values, cancellationToken);
        LatestVersions(fresh, customers.Values, now);
        var inserted = await db.InsertAllIfAbsentAsync(fresh, nameof(UsageEvent.EventId), cancellationToken);
        RecordBatch("usage.events", events.Count, inserted, raised);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogEvents(events.Count, inserted, events.Count - inserted);
        return new IngestionResult(events.Count, inserted, events.Count - inserted) { AlertsRaised = raised };
    }

    public async Task<IngestionResult> IngestSeatsAsync(IReadOnlyList<SeatReadingInput> readings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var violations = new List<RuleViolation>();
        for (var i = 0; i < readings.Count && violations.Count < MaxViolations; i++)
        {
            var r = readings[i];
            if (r is null)
            {
                violations.Add(new($"readings[{i}]", "A reading is required."));
                continue;
            }

            Require(violations, $"readings[{i}].customerCrmId", r.CustomerCrmId, 64);
            RequireInstant(violations, $"readings[{i}].at", r.At, now);
            if (r.ActiveSeats is not >= 0)
            {
                violations.Add(new($"readings[{i}].activeSeats", "Active seats must be a whole number of at least 0."));
            }
        }

        var customers = await CustomersByCrmIdAsync(readings.Where(r => r is not null).Select(r => r.CustomerCrmId), cancellationToken);
        for (var i = 0; i < readings.Count && violations.Count < MaxViolations; i++)
        {
            if (readings[i]?.CustomerCrmId is { Length: > 0 } crmId && !customers.ContainsKey(crmId))
            {
                violations.Add(new($"readings[{i}].customerCrmId", $"No customer has CRM id '{crmId}'."));
            }
        }

        ThrowIfAny(violations);

        var incoming = readings
            .Select(r => new SeatReading { CustomerId = customers[r.CustomerCrmId!].Id, ActiveSeats = r.ActiveSeats!.Value, At = r.At!.Value.ToUniversalTime(), ReceivedAt = now })
            .DistinctBy(r => (r.CustomerId, r.At))
            .ToList();
        var customerIds = incoming.Select(r => r.CustomerId).Distinct().ToList();
        var stored = await db.SeatReadings.Where(r => customerIds.Contains(r.CustomerId))
            .Select(r => new { r.CustomerId, r.At })
            .ToListAsync(cancellationToken);
        var known = stored.Select(s => (s.CustomerId, s.At)).ToHashSet();
        var latestStored = stored.GroupBy(s => s.CustomerId).ToDictionary(g => g.Key, g => g.Max(s => s.At));
        var fresh = incoming.Where(r => !known.Contains((r.CustomerId, r.At))).ToList();
        db.SeatReadings.AddRange(fresh);

        // Only a reading newer than everything stored describes the customer now.
        var raised = 0;
        foreach (var latest in fresh.GroupBy(r => r.CustomerId).Select(g => g.MaxBy(r => r.At)!))
        {
            if (latestStored.TryGetValue(latest.CustomerId, out var storedAt) && storedAt >= latest.At)
            {
                continue;
            }

            raised += await CheckUtilizationAsync(customers.Values.Single(c => c.Id == latest.CustomerId), latest.ActiveSeats, cancellationToken);
        }

        RecordBatch("usage.seats", readings.Count, fresh.Count, raised);
        await db.SaveChangesAsync(cancellationToken);
        return new IngestionResult(readings.Count, fresh.Count, readings.Count - fresh.Count) { AlertsRaised = raised };
    }

    public async Task<IngestionResult> IngestSignalsAsync(IReadOnlyList<SignalInput> signals, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var violations = new List<RuleViolation>();
        var kinds = new SignalKind[signals.Count];
        for (var i = 0; i < signals.Count && violations.Count < MaxViolations; i++)
        {
            var s = signals[i];
            if (s is null)
            {
                violations.Add(new($"signals[{i}]", "A signal is required."));
                continue;
            }

            Require(violations, $"signals[{i}].customerCrmId", s.CustomerCrmId, 64);
            Optional(violations, $"signals[{i}].signalId", s.SignalId, 128);
            Optional(violations, $"signals[{i}].detail", s.Detail, 2000);
            RequireInstant(violations, $"signals[{i}].at", s.At, now);
            if (!TryParseKind(s.Kind, out kinds[i]))
            {
                violations.Add(new($"signals[{i}].kind", "Kind must be one of meeting-attendance, support-tickets, stakeholder-change, competitor-evaluation, nps."));
                continue;
            }

            var valueProblem = kinds[i] switch
            {
                SignalKind.MeetingAttendance when s.Value is not (>= 0 and <= 100) => "Attendance is a percentage from 0 to 100.",
                SignalKind.SupportTickets when s.Value is not >= 0 || s.Value % 1 != 0 => "Support tickets is a whole number of at least 0.",
                SignalKind.Nps when s.Value is not (>= 0 and <= 10) || s.Value % 1 != 0 => "An NPS score is a whole number from 0 to 10.",
                _ => null,
            };
            if (valueProblem is not null)
            {
                violations.Add(new($"signals[{i}].value", valueProblem));
            }
        }

        var customers = await CustomersByCrmIdAsync(signals.Where(s => s is not null).Select(s => s.CustomerCrmId), cancellationToken);
        for (var i = 0; i < signals.Count && violations.Count < MaxViolations; i++)
        {
            if (signals[i]?.CustomerCrmId is { Length: > 0 } crmId && !customers.ContainsKey(crmId))
            {
                violations.Add(new($"signals[{i}].customerCrmId", $"No customer has CRM id '{crmId}'."));
            }
        }

        ThrowIfAny(violations);

        var givenIds = signals.Where(s => !string.IsNullOrWhiteSpace(s.SignalId)).Select(s => s.SignalId!.Trim()).Distinct().ToList();
        var existing = (await db.Signals.Where(s => givenIds.Contains(s.SignalId!)).Select(s => s.SignalId!).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var accepted = 0;
        var raised = 0;
        for (var i = 0; i < signals.Count; i++)
        {
            var input = signals[i];
            var id = string.IsNullOrWhiteSpace(input.SignalId) ? null : input.SignalId.Trim();
            if (id is not null && !existing.Add(id))
            {
                continue;
            }

            var customer = customers[input.CustomerCrmId!];
            db.Signals.Add(new Signal
            {
                SignalId = id, CustomerId = customer.Id, Kind = kinds[i], Value = input.Value, Detail = input.Detail?.Trim(),
                At = input.At!.Value.ToUniversalTime(), ReceivedAt = now,
            });
            accepted++;
            raised += await RaiseEarlyWarningAsync(customer, kinds[i], input, cancellationToken);
        }

        RecordBatch("usage.signals", signals.Count, accepted, raised);
        await db.SaveChangesAsync(cancellationToken);
        return new IngestionResult(signals.Count, accepted, signals.Count - accepted) { AlertsRaised = raised };
    }

    /// <summary>A survey answer or any single NPS reading; the caller saves. Scores ≤ 6 are detractors.</summary>
    public async Task RecordNpsAsync(Customer customer, int score, string signalId, string detail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.Signals.Add(new Signal { SignalId = signalId, CustomerId = customer.Id, Kind = SignalKind.Nps, Value = score, Detail = detail, At = now, ReceivedAt = now });
        if (score <= 6)
        {
            await alerts.RaiseAsync(AlertKind.Detractor, customer.Id, $"Survey detractor: NPS {score} of 10", AlertSeverity.Warning,
                ChannelPurpose.AlertsHealth, cancellationToken, topic: "survey detractor");
        }
    }

    internal async Task<int> CheckUtilizationAsync(Customer customer, int activeSeats, CancellationToken cancellationToken)
    {
        if (customer.SeatsPurchased <= 0)
        {
            return 0;
        }

        var settings = options.CurrentValue;
        var utilization = (double)activeSeats / customer.SeatsPurchased;
        var percent = (int)Math.Round(utilization * 100, MidpointRounding.AwayFromZero);
        var low = $"below {settings.LowUtilization * 100:0}%";
        var high = $"above {settings.ExpansionUtilization * 100:0}%";
        if (utilization < settings.LowUtilization)
        {
            await alerts.ResolveAsync(AlertKind.ExpansionOpportunity, customer.Id, high, "Seat utilization fell", cancellationToken);
            await alerts.RaiseAsync(AlertKind.LowUtilization, customer.Id, $"Seat utilization {percent}% ({low}): {activeSeats} of {customer.SeatsPurchased} seats active",
                AlertSeverity.Warning, ChannelPurpose.AlertsCustomerUsage, cancellationToken, topic: low);
            return 1;
        }

        if (utilization > settings.ExpansionUtilization)
        {
            await alerts.ResolveAsync(AlertKind.LowUtilization, customer.Id, low, "Seat utilization rose", cancellationToken);
            await alerts.RaiseAsync(AlertKind.ExpansionOpportunity, customer.Id, $"Seat utilization {percent}% ({high}): {activeSeats} of {customer.SeatsPurchased} seats active",
                AlertSeverity.Info, ChannelPurpose.AlertsCustomerUsage, cancellationToken, topic: high);
            return 1;
        }

        await alerts.ResolveAsync(AlertKind.LowUtilization, customer.Id, low, "Seat utilization back in range", cancellationToken);
        await alerts.ResolveAsync(AlertKind.ExpansionOpportunity, customer.Id, high, "Seat utilization back in range", cancellationToken);
        return 0;
    }

    // One audit entry per batch (not per row): who sent how much, and what it caused.
    private void RecordBatch(string action, int received, int accepted, int alertsRaised) =>
        audit.Record(new AuditActor(null, "Usage pipeline"), AuditSource.Api, action, "UsageBatch", Guid.CreateVersion7().ToString(),
            after: new { received, accepted, duplicates = received - accepted, alertsRaised });

    internal static string DerivedEventId(UsageEventInput e)
    {
        var identity = string.Join('\n', e.CustomerCrmId!.Trim(), e.UserId!.Trim(), e.Feature!.Trim(),
            e.OccurredAt!.Value.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..40];
    }

    private async Task<int> RaiseFirstUsesAsync(List<UsageEvent> fresh, IEnumerable<Customer> customers, CancellationToken cancellationToken)
    {
        var pairs = fresh.Select(u => (u.CustomerId, u.Feature)).ToHashSet();
        if (pairs.Count == 0)
        {
            return 0;
        }

        var customerIds = pairs.Select(p => p.CustomerId).Distinct().ToList();
        var features = pairs.Select(p => p.Feature).Distinct().ToList();
        var seen = new HashSet<(Guid, string)>();
        foreach (var chunk in features.Chunk(LookupChunk))
        {
            var stored = await db.UsageEvents
                .Where(u => customerIds.Contains(u.CustomerId) && chunk.Contains(u.Feature))
                .Select(u => new { u.CustomerId, u.Feature })
                .Distinct()
                .ToListAsync(cancellationToken);
            seen.UnionWith(stored.Select(s => (s.CustomerId, s.Feature)));
        }

        var names = customers.ToDictionary(c => c.Id);
        var raised = 0;
        foreach (var (customerId, feature) in pairs.Where(p => !seen.Contains(p)).OrderBy(p => p.Feature, StringComparer.Ordinal))
        {
            await alerts.RaiseAsync(AlertKind.FirstFeatureUse, customerId, $"First use of {feature}", AlertSeverity.Info,
                ChannelPurpose.AlertsCustomerUsage, cancellationToken);
            audit.Record(AuditActor.System, AuditSource.Api, "usage.first-feature-use", nameof(Customer), customerId.ToString(),
                after: new { customer = names[customerId].Name, feature });
            raised++;
        }

        return raised;
    }

    // The customer's product version follows its most recent usage (version currency in health).
    private static void LatestVersions(List<UsageEvent> fresh, IEnumerable<Customer> customers, DateTimeOffset now)
    {
        var byId = customers.ToDictionary(c => c.Id);
        foreach (var latest in fresh.Where(u => u.ProductVersion is not null).GroupBy(u => u.CustomerId).Select(g => g.MaxBy(u => u.OccurredAt)!))
        {
            var customer = byId[latest.CustomerId];
            if (customer.ProductVersion != latest.ProductVersion)
            {
                customer.ProductVersion = latest.ProductVersion;
                customer.UpdatedAt = now;
            }
        }
    }

    private async Task<int> RaiseEarlyWarningAsync(Customer customer, SignalKind kind, SignalInput input, CancellationToken cancellationToken)
    {
        var reason = kind switch
        {
            SignalKind.StakeholderChange => "Key stakeholder change",
            SignalKind.CompetitorEvaluation => "Evaluating a competitor",
            _ => null,
        };
        if (reason is null)
        {
            return 0;
        }

        var detail = string.IsNullOrWhiteSpace(input.Detail) ? reason : $"{reason}: {input.Detail.Trim()}";
        await alerts.RaiseAsync(AlertKind.EarlyWarning, customer.Id, detail, AlertSeverity.Warning, ChannelPurpose.AlertsHealth, cancellationToken, topic: reason);
        return 1;
    }

    private async Task<Dictionary<string, Customer>> CustomersByCrmIdAsync(IEnumerable<string?> crmIds, CancellationToken cancellationToken)
    {
        var wanted = crmIds.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, Customer>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(LookupChunk))
        {
            foreach (var customer in await db.Customers.Where(c => chunk.Contains(c.CrmId)).ToListAsync(cancellationToken))
            {
                found[customer.CrmId] = customer;
            }
        }

        return found;
    }

    private static bool TryParseKind(string? text, out SignalKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return Enum.TryParse(compact, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    private static void Require(List<RuleViolation> violations, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, "Required."));
        }
        else if (value.Length > maxLength)
        {
            violations.Add(new(field, $"At most {maxLength} characters."));
        }
    }

    private static void Optional(List<RuleViolation> violations, string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            violations.Add(new(field, $"At most {maxLength} characters."));
        }
    }

    private static void RequireInstant(List<RuleViolation> violations, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is null || value == default(DateTimeOffset))
        {
            violations.Add(new(field, "Required (ISO 8601 with offset, e.g. 2026-11-23T09:00:00Z)."));
        }
        else if (value > now.AddDays(1))
        {
            violations.Add(new(field, "Lies more than a day in the future."));
        }
    }

    private static void ThrowIfAny(List<RuleViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new RuleViolationException(violations);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage batch: {Received} events received, {Accepted} stored, {Duplicates} already known")]
    private partial void LogEvents(int received, int accepted, int duplicates);
}
