namespace Engagements.Intake;

// The body of POST /api/crm/opportunities (SPEC §3.1), also filled from the `new engagement` form card. Everything is
// nullable and enums are text, so a missing or mistyped value becomes a 422 naming the field instead of a parse error.
public sealed class OpportunityPayload
{
    public string? OpportunityId { get; set; }
    public string? Kind { get; set; }
    public string? Stage { get; set; }
    public DateOnly? CloseDate { get; set; }
    public decimal? Amount { get; set; }
    public string? ContractReference { get; set; }
    public string? MouReference { get; set; }

    // The contract's span; when absent the engagement runs one year from the close date.
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public CustomerPayload? Customer { get; set; }

    // "cloud", "on-prem" or "hybrid"; optional.
    public string? Deployment { get; set; }

    // Who completes the post-close checklist (seed 004); optional: without one the card goes to the approvals channel.
    public PresalesEngineerPayload? PresalesEngineer { get; set; }
    public SowPayload? Sow { get; set; }
    public List<AccessListPayload>? AccessList { get; set; }
}

public sealed class CustomerPayload
{
    public string? CrmId { get; set; }
    public string? Name { get; set; }
    public int? Seats { get; set; }
    public string? SupportLevel { get; set; }
    public string? Segment { get; set; }
    public string? CsmEmail { get; set; }
    public string? CsmName { get; set; }
    public string? ProductVersion { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
}

// CRMs know people by email; a middleware that resolves Entra ids can send the object id, which the bot needs for a 1:1 card.
public sealed class PresalesEngineerPayload
{
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
}

public sealed class SowPayload
{
    public string? Reference { get; set; }
    public List<ProjectPayload>? Projects { get; set; }
}

public sealed class ProjectPayload
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public List<DeliverablePayload>? Deliverables { get; set; }
}

public sealed class DeliverablePayload
{
    public string? Title { get; set; }
    public string? DoneCriterion { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? GithubIssueUrl { get; set; }
}

public sealed class AccessListPayload
{
    public string? System { get; set; }
    public string? ContactTo { get; set; }
    public List<string>? Cc { get; set; }
    public string? Method { get; set; }
    public string? CustomSubject { get; set; }
    public string? OtherRequirements { get; set; }
    public int? ExpectedDaysToCreate { get; set; }
}
