using System.Globalization;
using Engagements.Alerts;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Onboarding;

public sealed record TriggerFiring(Guid CustomerId, string Rule, TriggerAlertOutcome Outcome);

/// <summary>
/// Seed 003's trigger alerts and early warnings, evaluated per customer with an active plan. A rule is watched while
/// the customer's current phase (or the plan's early warnings) lists it, unless switched off in Onboarding:Triggers.
/// </summary>
public sealed partial class OnboardingTriggers(
    EngagementsDb db, PlanTemplateCatalog templates, TriggerAlerts alerts, OnboardingCommunications communications, IOptions<TriggerOptions> options,
    TimeProvider clock, ILogger<OnboardingTriggers> logger)
{
    private TriggerOptions Options => options.Value;

    public async Task<IReadOnlyList<TriggerFiring>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var plans = await db.OnboardingPlans
            .Where(p => p.State == PlanState.Active)
            .Include(p => p.Phases).ThenInclude(p => p.Items)
            .Include(p => p.Project).ThenInclude(p => p.Deliverables)
            .Include(p => p.Project).ThenInclude(p => p.Engagement).ThenInclude(e => e.Customer)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        var firings = new List<TriggerFiring>();
        foreach (var customerPlans in plans.GroupBy(p => p.Project.Engagement.CustomerId))
        {
            var customer = customerPlans.First().Project.Engagement.Customer;
            var rules = customerPlans
                .SelectMany(plan => templates.Find(plan.TemplateId) is { } template
                    ? template.TriggersActiveIn(plan.CurrentPhase is { } phase ? template.PhaseNamed(phase.Name) : null)
                    : [])
                .Select(t => t.Rule!)
                .Where(rule => !Options.Disabled.Contains(rule, StringComparer.OrdinalIgnoreCase))
                .Distinct()
                .Order(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                var detail = await ConditionAsync(rule, customer, [.. customerPlans], now, today, cancellationToken);
                if (detail is null)
                {
                    continue;
                }
                // A missed milestone is an issue escalation: its post uses seed 003's escalation template.
                var missedMilestone = rule == TriggerRules.MilestoneMissedDays;
                var outcome = await alerts.RaiseAsync(
                    customer, TriggerRules.TitleOf(rule, Options), detail,
                    missedMilestone ? AlertSeverity.Critical : AlertSeverity.Warning,
                    missedMilestone ? ChannelPurpose.Escalations : ChannelPurpose.AlertsHealth,
                    cancellationToken,
                    missedMilestone ? EscalationText(customer, detail) : null);
                firings.Add(new(customer.Id, rule, outcome));
            }
        }

        if (firings.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogFirings(firings.Count(f => f.Outcome == TriggerAlertOutcome.Raised), firings.Count(f => f.Outcome == TriggerAlertOutcome.Refired));
        }
        return firings;
    }

    // The alert's detail when the rule's condition holds now; null when it does not.
    private async Task<string?> ConditionAsync(
        string rule, Customer customer, List<OnboardingPlan> plans, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var since = now.AddDays(-Options.SignalLookbackDays);
        switch (rule)
        {
            case TriggerRules.EngagementScoreBelow:
            {
                var latest = await db.HealthSnapshots.AsNoTracking().Where(s => s.CustomerId == customer.Id)
                    .OrderByDescending(s => s.Day).FirstOrDefaultAsync(cancellationToken);
                return latest is not null && latest.Score < Options.EngagementScoreBelow
                    ? $"Engagement score {latest.Score} on {Format(latest.Day)} (threshold {Options.EngagementScoreBelow})."
                    : null;
            }
            case TriggerRules.BlockerOpenDays:
            {
                var cutoff = now.AddDays(-Options.BlockerOpenDays);
                var blocked = plans.SelectMany(p => p.Project.Deliverables)
                    .Where(d => d.IsBlocked && d.Status != DeliverableStatus.Completed && d.BlockedSince is { } at && at <= cutoff)
                    .OrderBy(d => d.BlockedSince).ToList();
                return blocked.Count == 0 ? null : string.Join(" ", blocked.Select(d =>
                    $"{d.Title}: blocked for {(int)(now - d.BlockedSince!.Value).TotalDays} days ({d.BlockedReason})."));
            }
            case TriggerRules.MilestoneMissedDays:
            {
                var cutoff = today.AddDays(-Options.MilestoneMissedDays);
                var missed = plans.SelectMany(p => p.Phases.SelectMany(ph => ph.Items)
                        .Where(i => !i.IsDone && p.KickoffDate.AddDays(i.DueDay - 1) < cutoff)
                        .Select(i => (i.Title, Due: p.KickoffDate.AddDays(i.DueDay - 1))))
                    .Concat(plans.SelectMany(p => p.Project.Deliverables)
                        .Where(d => d.Status != DeliverableStatus.Completed && d.DueDate is { } due && due < cutoff)
                        .Select(d => (d.Title, Due: d.DueDate!.Value)))
                    .OrderBy(m => m.Due).ToList();
                return missed.Count == 0 ? null : "Overdue: " + string.Join(", ", missed.Select(m => $"{m.Title} (due {Format(m.Due)})")) + ".";
            }
            case TriggerRules.AttendanceBelow:
            {
                var latest = await LatestSignalAsync(customer.Id, SignalKind.MeetingAttendance, since, cancellationToken);
                return latest?.Value is { } attendance && attendance < Options.AttendanceBelowPercent
                    ? $"Attendance {attendance:0.#}% on {Format(latest.At)}{(latest.Detail is null ? "" : $" ({latest.Detail})")}."
                    : null;
            }
            case TriggerRules.UsageBelowExpectation:
            {
                if (customer.SeatsPurchased <= 0)
                {
                    return null;
                }
                var windowStart = now.AddDays(-Options.UsageWindowDays);
                var activeUsers = await db.UsageEvents.AsNoTracking()
                    .Where(u => u.CustomerId == customer.Id && u.OccurredAt >= windowStart)
                    .Select(u => u.UserId).Distinct().CountAsync(cancellationToken);
                var percent = 100.0 * activeUsers / customer.SeatsPurchased;
                return percent < Options.UsageExpectationPercent
                    ? $"{activeUsers} active users in the last {Options.UsageWindowDays} days for {customer.SeatsPurchased} seats ({percent:0.#}%, expected {Options.UsageExpectationPercent}%)."
                    : null;
            }
            case TriggerRules.SupportTicketSpike:
            {
                var tickets = await db.Signals.AsNoTracking()
                    .Where(s => s.CustomerId == customer.Id && s.Kind == SignalKind.SupportTickets && s.At >= since && s.Value != null)
                    .OrderBy(s => s.At).ToListAsync(cancellationToken);
                if (tickets.Count < 2)
                {
                    return null;
                }
                var latest = tickets[^1].Value!.Value;
                var baseline = tickets.SkipLast(1).Average(s => s.Value!.Value);
                return latest > Options.SupportTicketSpikeFactor * Math.Max(baseline, 1)
                    ? $"{latest:0} tickets against an average of {baseline:0.#} over the previous {Options.SignalLookbackDays} days."
                    : null;
            }
            case TriggerRules.StakeholderChange:
            case TriggerRules.CompetitorEvaluation:
            {
                var kind = rule == TriggerRules.StakeholderChange ? SignalKind.StakeholderChange : SignalKind.CompetitorEvaluation;
                var latest = await LatestSignalAsync(customer.Id, kind, since, cancellationToken);
                return latest is null ? null : $"{latest.Detail ?? "Reported"} ({Format(latest.At)}).";
            }
            default:
                return null;
        }
    }

    private string EscalationText(Customer customer, string issue) =>
        OnboardingCommunications.Fill(communications.Templates.IssueEscalation!.Text, new Dictionary<string, string>
        {
            ["customer"] = customer.Name,
            ["issue"] = issue,
            ["csm"] = customer.CsmName ?? "the CSM",
        });

    private Task<Signal?> LatestSignalAsync(Guid customerId, SignalKind kind, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Signals.AsNoTracking().Where(s => s.CustomerId == customerId && s.Kind == kind && s.At >= since)
            .OrderByDescending(s => s.At).FirstOrDefaultAsync(cancellationToken);

    private static string Format(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset at) => Format(DateOnly.FromDateTime(at.UtcDateTime));

    [LoggerMessage(LogLevel.Information, "Onboarding triggers: {Raised} alerts raised, {Refired} re-fired")]
    private partial void LogFirings(int raised, int refired);
}
