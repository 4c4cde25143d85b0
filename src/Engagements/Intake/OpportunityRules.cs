using Engagements.Data;

namespace Engagements.Intake;

// Seed 001 rules the database cannot express. Field names are the intake JSON's (camelCase) so a 422 can point at
// the input that broke the rule.
public static class OpportunityRules
{
    public static IReadOnlyList<RuleViolation> Validate(
        string? crmId, OpportunityKind kind, OpportunityStage stage, decimal amount, string? contractReference, string? mouReference)
    {
        var violations = new List<RuleViolation>();
        if (string.IsNullOrWhiteSpace(crmId))
        {
            violations.Add(new("opportunityId", "The CRM opportunity id is required."));
        }
        if (amount < 0)
        {
            violations.Add(new("amount", "The amount cannot be negative."));
        }
        if (stage == OpportunityStage.ClosedWon && kind == OpportunityKind.New
            && string.IsNullOrWhiteSpace(contractReference) && string.IsNullOrWhiteSpace(mouReference))
        {
            violations.Add(new("contractReference",
                "A closed-won new opportunity needs a contract or an MOU reference (contractReference or mouReference)."));
        }
        return violations;
    }

    public static IReadOnlyList<RuleViolation> Validate(Opportunity opportunity) =>
        Validate(opportunity.CrmId, opportunity.Kind, opportunity.Stage, opportunity.Amount,
            opportunity.ContractReference, opportunity.MouReference);

    public static IReadOnlyList<RuleViolation> CanStartEngagement(Opportunity opportunity)
    {
        if (!opportunity.IsClosedWon)
        {
            return [new("stage", $"Only a closed-won opportunity gets an engagement; this one is '{StoredText.Of(opportunity.Stage)}'.")];
        }
        return Validate(opportunity);
    }
}
