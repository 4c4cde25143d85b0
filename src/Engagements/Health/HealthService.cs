using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Alerts;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Health;

/// <summary>
/// The daily health job and the `health` explanation. Scores are computed from per-customer aggregates (GROUP BY in
/// the database) for a batch of customers at a time, never by loading usage events, so the job's cost grows with the
/// number of customers, not events.
/// </summary>
public sealed partial class HealthService(
    EngagementsDb db, AlertService alerts, CustomerMatcher customers, CardCatalog cards, TimeProvider clock, IOptionsMonitor<HealthOptions> options,
    ILogger<HealthService> logger)
{
    public const int TrendWeeks = 8;

    /// <summary>Scores every customer (not churned) for today, in batches; one SaveChanges per batch. Returns the count.</summary>
    public async Task<int> ComputeAllAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var context = await RunContextAsync(settings, cancellationToken);
        var computed = 0;

        // Ids first (small even for 100k customers), then one batch of customers and aggregates at a time.
        var ids = await db.Customers.AsNoTracking()
            .Where(c => c.Lifecycle != LifecycleStage.Churned)
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(Math.Max(1, settings.BatchSize)))
        {
            var batch = await db.Customers.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(cancellationToken);
            computed += await ComputeBatchAsync(batch, settings, context, cancellationToken);
            db.ChangeTracker.Clear();
        }

        LogComputed(computed, context.Today);
        return computed;
    }

    /// <summary>Scores one customer now (e.g. `health` for a customer the job has not scored yet). Saves.</summary>
    public async Task<HealthSnapshot?> ComputeOneAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, cancellationToken);
        var context = await RunContextAsync(settings, cancellationToken);
        await ComputeBatchAsync([customer], settings, context, cancellationToken);
        return await db.HealthSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.CustomerId == customerId && s.Day == context.Today, cancellationToken);
    }

    /// <summary>Weekly scores for the last eight weeks, oldest first: the latest snapshot in each 7-day bucket.</summary>
    public async Task<IReadOnlyList<(DateOnly WeekEnding, int? Score)>> TrendAsync(Guid customerId, DateOnly today, CancellationToken cancellationToken)
    {
        var from = today.AddDays(-7 * TrendWeeks + 1);
        var points = await db.HealthSnapshots.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Day >= from && s.Day <= today)
            .Select(s => new { s.Day, s.Score })
            .ToListAsync(cancellationToken);
        return [.. Enumerable.Range(0, TrendWeeks).Reverse().Select(weeksAgo =>
        {
            var end = today.AddDays(-7 * weeksAgo);
            var start = end.AddDays(-6);
            var latest = points.Where(p => p.Day >= start && p.Day <= end).MaxBy(p => p.Day);
            return (end, latest?.Score);
        })];
    }

    /// <summary>The `health {customer}` answer: the latest snapshot explained, with the eight-week trend.</summary>
    public async Task<JsonObject> ExplainAsync(string customerText, CancellationToken cancellationToken)
    {
        var match = await customers.MatchAsync(customerText, cancellationToken);
        if (match.IsAmbiguous)
        {
            return cards.Render("message", new
            {
                title = "Which customer?",
                text = $"\"{customerText}\" matches {string.Join(", ", match.Candidates.Take(8).Select(c => c.Name))}{(match.Candidates.Count > 8 ? ", ..." : "")}. Type more of the name.",
                style = "warning",
            });
        }

        if (match.Customer is null
            || await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == match.Customer.Id, cancellationToken) is not { } customer)
        {
            return cards.Render("message", new { title = "No such customer", text = match.NotFoundText(customerText), style = "warning" });
        }

        var snapshot = await db.HealthSnapshots.AsNoTracking()
            .Where(s => s.CustomerId == customer.Id)
            .OrderByDescending(s => s.Day)
            .FirstOrDefaultAsync(cancellationToken)
            ?? await ComputeOneAsync(customer.Id, cancellationToken);
        if (snapshot is null)
        {
            return cards.Render("message", new { title = customer.Name, text = "No health score yet: there is no data to score.", style = "default" });
        }

        var trend = await TrendAsync(customer.Id, snapshot.Day, cancellationToken);
        return cards.Render("health", CardData(customer, snapshot, trend, options.CurrentValue));
    }

    internal static object CardData(Customer customer, HealthSnapshot snapshot, IReadOnlyList<(DateOnly WeekEnding, int? Score)> trend, HealthOptions settings)
    {
        var components = snapshot.Components;
        var counted = components.Where(c => c.Weight > 0).ToList();
        var totalWeight = counted.Sum(c => c.Weight);
        return new
        {
            customer = customer.Name,
            score = snapshot.Score,
            exactScore = HealthCalculator.WeightedScore(components).ToString("0.0#", CultureInfo.InvariantCulture),
            band = StoredText.Of(snapshot.Band),
            bandStyle = snapshot.Band switch { HealthBand.Red => "attention", HealthBand.Yellow => "warning", _ => "good" },
            trend = StoredText.Of(snapshot.Trend),
            day = snapshot.Day.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            bands = $"Red 0–{settings.RedMax} · yellow {settings.RedMax + 1}–{settings.YellowMax} · green {settings.YellowMax + 1}–100",
            components = components.Select(c => new
            {
                name = HealthComponents.TitleOf(c.Name),
                weight = totalWeight > 0 && c.Weight > 0 ? (c.Weight / totalWeight).ToString("0%", CultureInfo.InvariantCulture) : "—",
                score = c.Weight > 0 ? c.Score.ToString(CultureInfo.InvariantCulture) : "—",
                detail = c.Detail ?? "",
            }),
            drags = counted
                .Select(c => new { c, lost = HealthCalculator.PointsLost(c, components) })
                .Where(x => x.lost > 0)
                .OrderByDescending(x => x.lost)
                .Take(3)
                .Select(x => new
                {
                    name = HealthComponents.TitleOf(x.c.Name),
                    lost = x.lost.ToString("0.0", CultureInfo.InvariantCulture),
                    detail = x.c.Detail ?? "",
                }),
            weeks = trend.Select(t => new
            {
                week = t.WeekEnding.ToString("d MMM", CultureInfo.InvariantCulture),
                score = t.Score is { } s ? s.ToString(CultureInfo.InvariantCulture) : "—",
            }),
        };
    }

    private async Task<int> ComputeBatchAsync(List<Customer> batch, HealthOptions settings, RunContext context, CancellationToken cancellationToken)
    {
        var ids = batch.Select(c => c.Id).ToList();
        var windowStart = context.Now.AddDays(-settings.ActiveUserWindowDays);
        var npsStart = context.Now.AddDays(-settings.NpsWindowDays);

        var seats = (await db.SeatReadings
                .Where(r => ids.Contains(r.CustomerId))
                .GroupBy(r => r.CustomerId)
                .Select(g => new { CustomerId = g.Key, ActiveSeats = g.OrderByDescending(r => r.At).Select(r => r.ActiveSeats).First() })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.CustomerId, x => x.ActiveSeats);

        var usage = (await db.UsageEvents
                .Where(u => ids.Contains(u.CustomerId) && u.OccurredAt >= windowStart)
                .GroupBy(u => u.CustomerId)
                .Select(g => new
                {
                    CustomerId = g.Key,
                    Users = g.Select(u => u.UserId).Distinct().Count(),
                    Features = g.Select(u => u.Feature).Distinct().Count(),
                })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.CustomerId);

        // With a configured catalogue only its features count towards adoption.
        Dictionary<Guid, int>? catalogueFeatures = null;
        if (settings.Features.Count > 0)
        {
            var catalogue = settings.Features;
            catalogueFeatures = (await db.UsageEvents
                    .Where(u => ids.Contains(u.CustomerId) && u.OccurredAt >= windowStart && catalogue.Contains(u.Feature))
                    .GroupBy(u => u.CustomerId)
                    .Select(g => new { CustomerId = g.Key, Features = g.Select(u => u.Feature).Distinct().Count() })
                    .ToListAsync(cancellationToken))
                .ToDictionary(x => x.CustomerId, x => x.Features);
        }

        var windowKinds = new[] { SignalKind.MeetingAttendance, SignalKind.SupportTickets };
        var signals = await db.Signals
            .Where(s => ids.Contains(s.CustomerId) && s.At >= windowStart && windowKinds.Contains(s.Kind) && s.Value != null)
            .GroupBy(s => new { s.CustomerId, s.Kind })
            .Select(g => new { g.Key.CustomerId, g.Key.Kind, Average = g.Average(s => s.Value!.Value), Sum = g.Sum(s => s.Value!.Value) })
            .ToListAsync(cancellationToken);
        var nps = (await db.Signals
                .Where(s => ids.Contains(s.CustomerId) && s.At >= npsStart && s.Kind == SignalKind.Nps && s.Value != null)
                .GroupBy(s => s.CustomerId)
                .Select(g => new { CustomerId = g.Key, Average = g.Average(s => s.Value!.Value), Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.CustomerId);

        var today = context.Today;
        var delivery = (await db.Deliverables
                .Where(d => ids.Contains(d.Project.Engagement.CustomerId)
                    && d.Project.Engagement.Status != EngagementStatus.Completed
                    && d.Project.Engagement.Status != EngagementStatus.Cancelled)
                .GroupBy(d => d.Project.Engagement.CustomerId)
                .Select(g => new
                {
                    CustomerId = g.Key,
                    Total = g.Count(),
                    Due = g.Count(d => d.DueDate != null && d.DueDate <= today),
                    DueCompleted = g.Count(d => d.DueDate != null && d.DueDate <= today && d.Status == DeliverableStatus.Completed),
                    Blocked = g.Count(d => d.IsBlocked && d.Status != DeliverableStatus.Completed),
                })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.CustomerId);

        var weekAgo = today.AddDays(-7);
        var earlier = await db.HealthSnapshots.AsNoTracking()
            .Where(s => ids.Contains(s.CustomerId) && s.Day >= today.AddDays(-14) && s.Day < today)
            .Select(s => new { s.CustomerId, s.Day, s.Score, s.Band })
            .ToListAsync(cancellationToken);
        var todays = await db.HealthSnapshots
            .Where(s => ids.Contains(s.CustomerId) && s.Day == today)
            .ToDictionaryAsync(s => s.CustomerId, cancellationToken);

        // Indexed once per batch: searching the lists per customer made a batch quadratic.
        var signalsOf = signals.ToLookup(s => (s.CustomerId, s.Kind));
        var historyOf = earlier.ToLookup(s => s.CustomerId);

        foreach (var customer in batch)
        {
            usage.TryGetValue(customer.Id, out var used);
            delivery.TryGetValue(customer.Id, out var work);
            nps.TryGetValue(customer.Id, out var survey);
            var attendance = signalsOf[(customer.Id, SignalKind.MeetingAttendance)].SingleOrDefault();
            var tickets = signalsOf[(customer.Id, SignalKind.SupportTickets)].SingleOrDefault();
            var inputs = new HealthInputs
            {
                SeatsPurchased = customer.SeatsPurchased,
                ActiveSeats = seats.TryGetValue(customer.Id, out var active) ? active : null,
                FeaturesUsed = catalogueFeatures is null ? used?.Features ?? 0 : catalogueFeatures.GetValueOrDefault(customer.Id),
                FeatureCatalogSize = context.FeatureCatalogSize,
                ActiveUsers = used?.Users ?? 0,
                ProductVersion = customer.ProductVersion,
                CurrentVersion = context.CurrentVersion,
                NpsAverage = survey?.Average,
                NpsAnswers = survey?.Count ?? 0,
                Deliverables = work?.Total ?? 0,
                DeliverablesDue = work?.Due ?? 0,
                DeliverablesDueCompleted = work?.DueCompleted ?? 0,
                OpenBlockers = work?.Blocked ?? 0,
                AttendanceAverage = attendance?.Average,
                SupportTickets = tickets is null ? null : (int)Math.Round(tickets.Sum),
            };
            var result = HealthCalculator.Compute(inputs, settings);

            var history = historyOf[customer.Id].ToList();
            var yesterday = history.MaxBy(s => s.Day);
            var reference = history.Where(s => s.Day <= weekAgo).MaxBy(s => s.Day) ?? history.MinBy(s => s.Day);
            var trend = reference is null ? HealthTrend.Flat
                : result.Score - reference.Score >= 3 ? HealthTrend.Up
                : result.Score - reference.Score <= -3 ? HealthTrend.Down
                : HealthTrend.Flat;

            // A re-run on the same day compares with what today already showed, so it doesn't raise the drop twice.
            var previousBand = todays.TryGetValue(customer.Id, out var existing) ? existing.Band : yesterday?.Band;
            if (existing is null)
            {
                existing = new HealthSnapshot { CustomerId = customer.Id, Day = today };
                db.HealthSnapshots.Add(existing);
            }

            existing.Score = result.Score;
            existing.Band = result.Band;
            existing.Trend = trend;
            existing.Components = result.Components;
            existing.ComputedAt = context.Now;

            if (previousBand is { } before && result.Band < before)
            {
                await alerts.RaiseAsync(AlertKind.HealthBandDrop, customer.Id,
                    $"Health dropped from {StoredText.Of(before).ToLowerInvariant()} to {StoredText.Of(result.Band).ToLowerInvariant()} ({result.Score})",
                    result.Band == HealthBand.Red ? AlertSeverity.Critical : AlertSeverity.Warning,
                    ChannelPurpose.AlertsHealth, cancellationToken, topic: $"dropped to {StoredText.Of(result.Band)}");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    private async Task<RunContext> RunContextAsync(HealthOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var catalogueSize = settings.Features.Count;
        if (catalogueSize == 0)
        {
            var since = now.AddDays(-90);
            catalogueSize = await db.UsageEvents.Where(u => u.OccurredAt >= since).Select(u => u.Feature).Distinct().CountAsync(cancellationToken);
        }

        var current = settings.CurrentProductVersion;
        if (string.IsNullOrWhiteSpace(current))
        {
            var versions = await db.Customers.Where(c => c.ProductVersion != null).Select(c => c.ProductVersion!).Distinct().ToListAsync(cancellationToken);
            current = versions
                .Select(v => (Text: v, Ok: HealthCalculator.TryParse(v, out var parsed), Parsed: parsed))
                .Where(v => v.Ok)
                .MaxBy(v => v.Parsed).Text;
        }

        return new RunContext(now, DateOnly.FromDateTime(now.UtcDateTime), catalogueSize, current);
    }

    private sealed record RunContext(DateTimeOffset Now, DateOnly Today, int FeatureCatalogSize, string? CurrentVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health job scored {Customers} customers for {Day}")]
    private partial void LogComputed(int customers, DateOnly day);
}
