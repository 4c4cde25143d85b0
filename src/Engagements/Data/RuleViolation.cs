namespace Engagements.Data;

// A broken business rule, named by the input field it concerns so an endpoint can answer 422 with a field-level
// message and a card can show it next to the input.
public sealed record RuleViolation(string Field, string Message);

public sealed class RuleViolationException(IReadOnlyList<RuleViolation> violations)
    : InvalidOperationException(string.Join(" ", violations.Select(v => $"{v.Field}: {v.Message}")))
{
    public IReadOnlyList<RuleViolation> Violations { get; } = violations;
}
