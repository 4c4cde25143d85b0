namespace Engagements.Onboarding;

// The shape of templates/plans/*.json. Everything optional here is checked by PlanTemplateValidator, so a bad file fails
// startup with the file and field named rather than a null reference later.
public sealed class PlanTemplate
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Source { get; init; }
    public List<PhaseTemplate> Phases { get; init; } = [];
    public List<CriteriaGroup> SuccessCriteria { get; init; } = [];
    public List<RiskResponse> Risks { get; init; } = [];
    public List<TriggerTemplate> EarlyWarningTriggers { get; init; } = [];
    public HandoffTemplate? Handoff { get; init; }
    public List<string> Communications { get; init; } = [];

    public PhaseTemplate? PhaseNamed(string name) =>
        Phases.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    // The rules a plan is watched for while this phase runs: the phase's own trigger alerts plus the early warnings.
    public IEnumerable<TriggerTemplate> TriggersActiveIn(PhaseTemplate? phase) =>
        (phase?.Triggers ?? []).Concat(EarlyWarningTriggers).Where(t => t.Rule is not null);
}

public sealed class PhaseTemplate
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public int StartDay { get; init; }
    public int EndDay { get; init; }
    public string? Responsible { get; init; }
    public List<ItemTemplate> Items { get; init; } = [];
    public List<TargetTemplate> Targets { get; init; } = [];
    public List<TriggerTemplate> Triggers { get; init; } = [];
}

public sealed class ItemTemplate
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public string? Week { get; init; }
    public string? Responsible { get; init; }
    public string? Role { get; init; }
    public int? FromDay { get; init; }
    public int DueDay { get; init; }
    public List<string> Details { get; init; } = [];
}

public sealed class TargetTemplate
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Goal { get; init; }
    public string? Metric { get; init; }
    public string? Comparison { get; init; }
    public double? Threshold { get; init; }
}

public sealed class TriggerTemplate
{
    public string? Id { get; init; }
    public string? Name { get; init; }

    // A TriggerRules key, or null for a trigger of the seed that no data source can evaluate yet (listed, not watched).
    public string? Rule { get; init; }
}

public sealed class CriteriaGroup
{
    public string? Group { get; init; }
    public List<string> Criteria { get; init; } = [];
}

public sealed class RiskResponse
{
    public string? Risk { get; init; }
    public string? Response { get; init; }
}

public sealed class HandoffTemplate
{
    public string? To { get; init; }
    public List<string> Criteria { get; init; } = [];
    public List<string> Meeting { get; init; } = [];
    public string? LifecycleOnConfirm { get; init; }
}

// The names of what a phase target can measure (TargetEvaluator) and how it compares.
public static class TargetMetrics
{
    public const string TechnicalProgress = "technicalProgress";
    public const string EngagementScore = "engagementScore";
    public const string ResolutionTimeHours = "resolutionTimeHours";
    public const string TrainingAttendance = "trainingAttendance";
    public const string Adoption = "adoption";
    public const string Nps = "nps";

    // Confirmed by the CSM's judgement: the card shows it as not measured, so confirming asks for a reason.
    public const string Manual = "manual";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        TechnicalProgress, EngagementScore, ResolutionTimeHours, TrainingAttendance, Adoption, Nps, Manual,
    };

    public static readonly IReadOnlySet<string> Comparisons = new HashSet<string>(StringComparer.Ordinal) { "atLeast", "above", "below" };
}
