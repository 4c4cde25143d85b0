using System.Globalization;
using Engagements.Data;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

/// <summary>Measures a phase's health targets from the data at hand; a target without data counts as not met.</summary>
public sealed class TargetEvaluator(EngagementsDb db, PlanTemplateCatalog templates, TimeProvider clock)
{
    public const string NoData = "no data";

    public async Task<List<PhaseTarget>> EvaluateAsync(OnboardingPlan plan, PlanPhase phase, CancellationToken cancellationToken)
    {
        var template = templates.Find(plan.TemplateId);
        // A target is defined by its phase in the template; a stored target the phase no longer lists (an older plan)
        // is measured like the same-named target of another phase, since the metric is the same.
        var definitions = (template?.PhaseNamed(phase.Name)?.Targets ?? [])
            .Concat(template?.Phases.SelectMany(p => p.Targets) ?? []).ToList();
        var measured = new List<PhaseTarget>();
        foreach (var target in phase.Targets)
        {
            var definition = definitions.FirstOrDefault(d => string.Equals(d.Name, target.Name, StringComparison.OrdinalIgnoreCase));
            var (met, actual) = definition is null ? (false, NoData) : await MeasureAsync(plan, phase, definition, cancellationToken);
            measured.Add(new PhaseTarget { Name = target.Name, Goal = target.Goal, Met = met, Actual = actual });
        }
        return measured;
    }

    private async Task<(bool Met, string Actual)> MeasureAsync(OnboardingPlan plan, PlanPhase phase, TargetTemplate target, CancellationToken cancellationToken)
    {
        var customerId = plan.Project.Engagement.CustomerId;
        double? value = target.Metric switch
        {
            TargetMetrics.TechnicalProgress => PlanProgress.PercentOf(plan),
            TargetMetrics.EngagementScore => await db.HealthSnapshots.AsNoTracking().Where(s => s.CustomerId == customerId)
                .OrderByDescending(s => s.Day).Select(s => (double?)s.Score).FirstOrDefaultAsync(cancellationToken),
            TargetMetrics.TrainingAttendance => await TrainingAttendanceAsync(plan, phase, customerId, cancellationToken),
            TargetMetrics.Adoption => await AdoptionAsync(plan, customerId, cancellationToken),
            TargetMetrics.Nps => await NpsAsync(customerId, cancellationToken),
            // No source reports resolution times yet (no signal kind or health component carries them).
            _ => null,
        };
        if (value is not { } actual)
        {
            return (false, target.Metric == TargetMetrics.Manual ? "not measured: confirm with a reason" : NoData);
        }
        var met = target.Comparison switch
        {
            "atLeast" => actual >= target.Threshold,
            "above" => actual > target.Threshold,
            "below" => actual < target.Threshold,
            _ => false,
        };
        var unit = target.Metric is TargetMetrics.TechnicalProgress or TargetMetrics.TrainingAttendance or TargetMetrics.Adoption ? "%" : "";
        return (met, actual.ToString("0.#", CultureInfo.InvariantCulture) + unit);
    }

    private async Task<double?> TrainingAttendanceAsync(OnboardingPlan plan, PlanPhase phase, Guid customerId, CancellationToken cancellationToken)
    {
        var phaseStart = new DateTimeOffset(PlanProgress.DateOfDay(plan, phase.StartDay).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return await db.Signals.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Kind == SignalKind.MeetingAttendance && s.At >= phaseStart && s.Value != null)
            .OrderByDescending(s => s.At).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<double?> AdoptionAsync(OnboardingPlan plan, Guid customerId, CancellationToken cancellationToken)
    {
        var seats = plan.Project.Engagement.Customer.SeatsPurchased;
        if (seats <= 0)
        {
            return null;
        }
        var reading = await db.SeatReadings.AsNoTracking().Where(r => r.CustomerId == customerId)
            .OrderByDescending(r => r.At).Select(r => (int?)r.ActiveSeats).FirstOrDefaultAsync(cancellationToken);
        if (reading is null)
        {
            var since = clock.GetUtcNow().AddDays(-30);
            var users = await db.UsageEvents.AsNoTracking().Where(u => u.CustomerId == customerId && u.OccurredAt >= since)
                .Select(u => u.UserId).Distinct().CountAsync(cancellationToken);
            reading = users == 0 ? null : users;
        }
        return reading is null ? null : Math.Round(100.0 * reading.Value / seats, 1);
    }

    private async Task<double?> NpsAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var signal = await db.Signals.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Kind == SignalKind.Nps && s.Value != null)
            .OrderByDescending(s => s.At).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return signal;
    }
}
