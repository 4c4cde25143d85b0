using System.Text.Json;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Roles;

namespace Engagements.Onboarding;

public sealed class PlanTemplateException(string file, string field, string message)
    : InvalidOperationException($"Plan template {file}: {field}: {message}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
}

/// <summary>The plan templates embedded from templates/plans/*.json, validated once; a bad template stops the app at startup.</summary>
public sealed class PlanTemplateCatalog
{
    private const string ResourcePrefix = "templates/plans/";
    private readonly Dictionary<string, PlanTemplate> templates;

    public PlanTemplateCatalog() : this(EmbeddedTemplateFiles()) { }

    public PlanTemplateCatalog(IEnumerable<(string File, string Json)> files)
    {
        templates = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (file, json) in files)
        {
            var template = Parse(file, json);
            PlanTemplateValidator.Validate(file, template);
            if (!templates.TryAdd(template.Id!, template))
            {
                throw new PlanTemplateException(file, "id", $"'{template.Id}' is already used by another template.");
            }
        }
    }

    public IReadOnlyCollection<PlanTemplate> All => templates.Values;

    public PlanTemplate? Find(string templateId) => templates.GetValueOrDefault(templateId);

    public PlanTemplate Get(string templateId) =>
        Find(templateId) ?? throw new KeyNotFoundException($"No plan template '{templateId}'.");

    private static PlanTemplate Parse(string file, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<PlanTemplate>(json, JsonSerializerOptions.Web)
                ?? throw new PlanTemplateException(file, "$", "the file is empty.");
        }
        catch (JsonException e)
        {
            throw new PlanTemplateException(file, e.Path ?? "$", "is not valid JSON for a plan template (" + e.Message + ")");
        }
    }

    // Plan templates have a folder of their own: templates/ also holds emails, communications and playbooks.
    private static IEnumerable<(string File, string Json)> EmbeddedTemplateFiles()
    {
        var assembly = typeof(PlanTemplateCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name, reader.ReadToEnd());
        }
    }
}

internal static class PlanTemplateValidator
{
    public static void Validate(string file, PlanTemplate template)
    {
        void Fail(string field, string message) => throw new PlanTemplateException(file, field, message);

        if (string.IsNullOrWhiteSpace(template.Id))
        {
            Fail("id", "is required.");
        }
        if (template.Phases.Count == 0)
        {
            Fail("phases", "a plan needs at least one phase.");
        }

        var phaseIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var itemIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        PhaseTemplate? previous = null;
        for (var p = 0; p < template.Phases.Count; p++)
        {
            var phase = template.Phases[p];
            var at = $"phases[{p}]";
            if (string.IsNullOrWhiteSpace(phase.Id))
            {
                Fail($"{at}.id", "is required.");
            }
            if (!phaseIds.Add(phase.Id!))
            {
                Fail($"{at}.id", $"duplicate phase id '{phase.Id}'.");
            }
            if (string.IsNullOrWhiteSpace(phase.Name))
            {
                Fail($"{at}.name", "is required.");
            }
            if (phase.EndDay < phase.StartDay)
            {
                Fail($"{at}.endDay", $"day {phase.EndDay} is before the phase's start day {phase.StartDay}.");
            }
            if (previous is not null && phase.StartDay <= previous.EndDay)
            {
                Fail($"{at}.startDay", $"phase '{phase.Name}' (days {phase.StartDay}..{phase.EndDay}) overlaps phase '{previous.Name}' (days {previous.StartDay}..{previous.EndDay}); phases run in order without overlap.");
            }
            previous = phase;

            for (var i = 0; i < phase.Items.Count; i++)
            {
                var item = phase.Items[i];
                var itemAt = $"{at}.items[{i}]";
                if (string.IsNullOrWhiteSpace(item.Id))
                {
                    Fail($"{itemAt}.id", "is required.");
                }
                if (!itemIds.Add(item.Id!))
                {
                    Fail($"{itemAt}.id", $"duplicate item id '{item.Id}'.");
                }
                if (string.IsNullOrWhiteSpace(item.Title))
                {
                    Fail($"{itemAt}.title", "is required.");
                }
                if (!StoredText.TryParse<Role>(item.Role, out _))
                {
                    Fail($"{itemAt}.role", $"unknown role '{item.Role}'; use one of {string.Join(", ", StoredText.AllOf<Role>())}.");
                }
                if (item.DueDay < phase.StartDay || item.DueDay > phase.EndDay)
                {
                    Fail($"{itemAt}.dueDay", $"day {item.DueDay} is outside phase '{phase.Name}' (days {phase.StartDay}..{phase.EndDay}).");
                }
                if (item.FromDay is { } from && (from < phase.StartDay || from > item.DueDay))
                {
                    Fail($"{itemAt}.fromDay", $"day {from} must be within phase '{phase.Name}' and not after the due day {item.DueDay}.");
                }
            }

            var targetIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var t = 0; t < phase.Targets.Count; t++)
            {
                var target = phase.Targets[t];
                var targetAt = $"{at}.targets[{t}]";
                if (string.IsNullOrWhiteSpace(target.Id) || !targetIds.Add(target.Id))
                {
                    Fail($"{targetAt}.id", $"missing or duplicate target id '{target.Id}'.");
                }
                if (string.IsNullOrWhiteSpace(target.Name) || string.IsNullOrWhiteSpace(target.Goal))
                {
                    Fail($"{targetAt}.name", "a target needs a name and a goal.");
                }
                if (target.Metric is null || !TargetMetrics.All.Contains(target.Metric))
                {
                    Fail($"{targetAt}.metric", $"unknown metric '{target.Metric}'; use one of {string.Join(", ", TargetMetrics.All)}.");
                }
                if (target.Metric != TargetMetrics.Manual && (target.Threshold is null || target.Comparison is null || !TargetMetrics.Comparisons.Contains(target.Comparison)))
                {
                    Fail($"{targetAt}.comparison", $"a measured target needs a threshold and a comparison ({string.Join(", ", TargetMetrics.Comparisons)}).");
                }
            }
            ValidateTriggers(file, $"{at}.triggers", phase.Triggers);
        }
        ValidateTriggers(file, "earlyWarningTriggers", template.EarlyWarningTriggers);

        if (template.Handoff is null || template.Handoff.Criteria.Count == 0)
        {
            Fail("handoff.criteria", "a plan needs handoff criteria.");
        }
        if (template.Handoff!.LifecycleOnConfirm is { } stage && !StoredText.TryParse<LifecycleStage>(stage, out _))
        {
            Fail("handoff.lifecycleOnConfirm", $"unknown lifecycle stage '{stage}'.");
        }
    }

    private static void ValidateTriggers(string file, string at, List<TriggerTemplate> triggers)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < triggers.Count; i++)
        {
            var trigger = triggers[i];
            if (string.IsNullOrWhiteSpace(trigger.Id) || !ids.Add(trigger.Id))
            {
                throw new PlanTemplateException(file, $"{at}[{i}].id", $"missing or duplicate trigger id '{trigger.Id}'.");
            }
            if (string.IsNullOrWhiteSpace(trigger.Name))
            {
                throw new PlanTemplateException(file, $"{at}[{i}].name", "is required.");
            }
            if (trigger.Rule is not null && !TriggerRules.All.Contains(trigger.Rule))
            {
                throw new PlanTemplateException(file, $"{at}[{i}].rule", $"unknown rule '{trigger.Rule}'; use one of {string.Join(", ", TriggerRules.All)} or null.");
            }
        }
    }
}
