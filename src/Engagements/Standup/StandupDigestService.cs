using System.Globalization;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Health;
using Engagements.Onboarding;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Standup;

public sealed class StandupOptions
{
    // Quartz cron with seconds: 09:00 on weekdays.
    public string Cron { get; set; } = "0 0 9 ? * MON-FRI";

    // IANA id; the cron fires at this zone's local time, so the UTC instant moves with daylight saving.
    public string TimeZone { get; set; } = "Europe/London";
}

public enum DigestOutcome
{
    Posted,
    AlreadyPosted,
    NoChannelBound,
}

/// <summary>
/// The daily standup digest (SPEC §3.7): one line per active engagement — phase, progress, health, blockers — grouped
/// by engineer, posted to the channel bound to `standup` through the outbox. The idempotency key is the local date,
/// so a second fire on the same day (misfire, another instance) posts nothing.
/// </summary>
public sealed partial class StandupDigestService(
    EngagementsDb db,
    OutboxWriter outbox,
    CardCatalog cards,
    TimeProvider clock,
    IOptions<StandupOptions> options,
    ILogger<StandupDigestService> logger)
{
    public const int MaxLinesPerEngineer = 15;
    public const string Unassigned = "Unassigned";

    public static string IdempotencyKeyFor(DateOnly localDate) => $"standup-digest:{localDate:yyyy-MM-dd}";

    public async Task<DigestOutcome> PostDigestAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var key = IdempotencyKeyFor(localDate);
        if (await db.OutboxMessages.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            LogAlreadyPosted(localDate);
            return DigestOutcome.AlreadyPosted;
        }

        var card = cards.Render("standup-digest", await BuildAsync(localDate, now, cancellationToken));
        var post = await outbox.PostToChannelAsync(ChannelPurpose.Standup, Messages.Card(card), key, null, cancellationToken);
        if (post is null)
        {
            LogNoChannel(localDate);
            return DigestOutcome.NoChannelBound;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance fired at the same moment; the unique idempotency key kept its post.
            db.ChangeTracker.Clear();
            if (await db.OutboxMessages.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
            {
                return DigestOutcome.AlreadyPosted;
            }
            throw;
        }
        LogPosted(localDate);
        return DigestOutcome.Posted;
    }

    public async Task<object> BuildAsync(DateOnly localDate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var active = db.Engagements.AsNoTracking().Where(e => e.Status == EngagementStatus.Active || e.Status == EngagementStatus.AwaitingAssignment);
        var engagements = await active
            .Select(e => new
            {
                e.Id, e.CustomerId, Customer = e.Customer.Name,
                Engineers = e.Engineers.Where(a => a.ReleasedAt == null).Select(a => a.Engineer.Name).ToList(),
            })
            .ToListAsync(cancellationToken);
        var activeIds = active.Select(e => e.Id);
        var deliverables = (await db.Deliverables.AsNoTracking().Where(d => activeIds.Contains(d.Project.EngagementId))
            .GroupBy(d => d.Project.EngagementId)
            .Select(g => new
            {
                EngagementId = g.Key,
                Total = g.Count(),
                Done = g.Count(d => d.Status == DeliverableStatus.Completed),
                Blocked = g.Count(d => d.IsBlocked),
                OldestBlock = g.Where(d => d.IsBlocked).Min(d => d.BlockedSince),
            })
            .ToListAsync(cancellationToken)).ToDictionary(d => d.EngagementId);
        var plans = (await db.OnboardingPlans.AsNoTracking().Where(p => p.State == PlanState.Active && activeIds.Contains(p.Project.EngagementId))
            .Select(p => new
            {
                p.Project.EngagementId, p.KickoffDate,
                Phase = p.Phases.Where(ph => ph.Status != PhaseStatus.Completed).OrderBy(ph => ph.Order).Select(ph => ph.Name).FirstOrDefault(),
                Items = p.Phases.SelectMany(ph => ph.Items).Count(),
                ItemsDone = p.Phases.SelectMany(ph => ph.Items).Count(i => i.DoneAt != null),
            })
            .ToListAsync(cancellationToken))
            .GroupBy(p => p.EngagementId).ToDictionary(g => g.Key, g => g.First());
        // Snapshots are daily; a week back finds the latest one of every customer that has any.
        var since = today.AddDays(-7);
        var health = (await db.HealthSnapshots.AsNoTracking().Where(s => s.Day >= since && active.Any(e => e.CustomerId == s.CustomerId))
            .Select(s => new { s.CustomerId, s.Day, s.Score, s.Band, s.Trend })
            .ToListAsync(cancellationToken))
            .GroupBy(s => s.CustomerId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Day)!);

        var lines = engagements.SelectMany(e =>
        {
            var counts = deliverables.GetValueOrDefault(e.Id);
            var plan = plans.GetValueOrDefault(e.Id);
            var total = (counts?.Total ?? 0) + (plan?.Items ?? 0);
            var done = (counts?.Done ?? 0) + (plan?.ItemsDone ?? 0);
            var day = plan is null ? 0 : localDate.DayNumber - plan.KickoffDate.DayNumber + 1;
            var phase = plan is null ? "no plan" : plan.Phase is null ? "plan complete" : day < 1 ? $"{plan.Phase}, {1 - day} days to kickoff" : $"{plan.Phase} day {day}";
            var progress = total == 0 ? "no deliverables" : $"{(int)Math.Round(100.0 * done / total)}%";
            var healthText = health.GetValueOrDefault(e.CustomerId) is { } h ? $"health {h.Score} {h.Band}{Arrow(h.Trend)}" : "no health data";
            var blockers = counts is null || counts.Blocked == 0 ? "no blockers"
                : $"{counts.Blocked} blocker{(counts.Blocked == 1 ? "" : "s")} (oldest {Ages.Describe(now - (counts.OldestBlock ?? now))})";
            var text = $"**{e.Customer}** · {phase} · {progress} · {healthText} · {blockers}";
            return e.Engineers.Count == 0 ? [(Engineer: Unassigned, e.Customer, Text: text)] : e.Engineers.Select(name => (Engineer: name, e.Customer, Text: text));
        });
        var groups = lines.GroupBy(l => l.Engineer)
            .OrderBy(g => g.Key == Unassigned ? 1 : 0).ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var ordered = g.OrderBy(l => l.Customer, StringComparer.OrdinalIgnoreCase).ToList();
                return new
                {
                    name = g.Key,
                    lines = ordered.Take(MaxLinesPerEngineer).Select(l => new Line(l.Text)),
                    more = Math.Max(0, ordered.Count - MaxLinesPerEngineer),
                };
            })
            .ToList();
        var blockerTotal = deliverables.Values.Sum(d => d.Blocked);
        return new
        {
            title = $"Daily standup · {localDate.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}",
            subtitle = $"{engagements.Count} active engagements · {blockerTotal} open blocker{(blockerTotal == 1 ? "" : "s")}",
            engineers = groups,
        };
    }

    private static string Arrow(HealthTrend trend) => trend switch { HealthTrend.Up => " ↑", HealthTrend.Down => " ↓", _ => "" };

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted the standup digest for {LocalDate}")]
    private partial void LogPosted(DateOnly localDate);

    [LoggerMessage(Level = LogLevel.Information, Message = "The standup digest for {LocalDate} was already posted")]
    private partial void LogAlreadyPosted(DateOnly localDate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No channel is bound to standup; the digest for {LocalDate} was not posted (an admin can say \"use this channel for standup\")")]
    private partial void LogNoChannel(DateOnly localDate);
}
