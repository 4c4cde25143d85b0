using System.Net.Mail;
using Engagements.Customers;
using Engagements.Data;

namespace Engagements.Intake;

// Whole-body validation: every broken rule is reported with the JSON path of its field, before anything is written.
public static class IntakeValidator
{
    private const int MaxProjects = 50;
    private const int MaxDeliverablesPerProject = 200;
    private const int MaxAccessListEntries = 50;

    public static IReadOnlyList<RuleViolation> Validate(OpportunityPayload payload)
    {
        var violations = new List<RuleViolation>();
        void Add(string field, string message) => violations.Add(new(field, message));

        RequireLength(payload.OpportunityId, "opportunityId", 64, required: true, Add);
        var kindKnown = TryParseKind(payload.Kind, out var kind);
        if (!kindKnown)
        {
            Add("kind", "The kind must be 'new' or 'renewal'.");
        }
        var stageKnown = TryParseStage(payload.Stage, out var stage);
        if (!stageKnown)
        {
            Add("stage", $"The stage must be one of: {string.Join(", ", StoredText.AllOf<OpportunityStage>())}.");
        }
        if (payload.CloseDate is null)
        {
            Add("closeDate", "The close date is required (yyyy-mm-dd).");
        }
        if (payload.Amount is null)
        {
            Add("amount", "The amount is required.");
        }
        RequireLength(payload.ContractReference, "contractReference", 128, required: false, Add);
        RequireLength(payload.MouReference, "mouReference", 128, required: false, Add);
        if (kindKnown && stageKnown)
        {
            // Seed 001, shared with the domain model: a closed-won new opportunity needs a contract or an MOU.
            violations.AddRange(OpportunityRules.Validate(
                    payload.OpportunityId, kind, stage, payload.Amount ?? 0, payload.ContractReference, payload.MouReference)
                .Where(v => v.Field != "opportunityId"));
        }
        if (payload.StartDate is { } start && payload.EndDate is { } end && end < start)
        {
            Add("endDate", "The engagement cannot end before it starts.");
        }

        if (!string.IsNullOrWhiteSpace(payload.Deployment) && !TryParseDeployment(payload.Deployment, out _))
        {
            Add("deployment", "The deployment must be 'cloud', 'on-prem' or 'hybrid'.");
        }

        ValidateCustomer(payload.Customer, Add);
        ValidatePresalesEngineer(payload.PresalesEngineer, Add);
        ValidateSow(payload.Sow, Add);
        ValidateAccessList(payload.AccessList, Add);
        return violations;
    }

    public static bool TryParseKind(string? text, out OpportunityKind kind) => StoredText.TryParse(text, out kind);

    // CRMs write stages in several ways: "Closed Won", "closed-won", "ClosedWon", "closed_won".
    public static bool TryParseStage(string? text, out OpportunityStage stage) =>
        StoredText.TryParse(text?.Replace('-', ' ').Replace('_', ' '), out stage) || StoredText.TryParse(text, out stage);

    // "On-premises", "onprem" and "On Prem" all mean on-prem.
    public static bool TryParseDeployment(string? text, out Deployment deployment)
    {
        var normalized = text?.Trim().ToLowerInvariant().Replace(' ', '-') switch
        {
            "onprem" or "on-premises" or "on-premise" => "on-prem",
            var other => other,
        };
        return StoredText.TryParse(normalized, out deployment);
    }

    public static bool TryParseSegment(string? text, out CustomerSegment segment) =>
        StoredText.TryParse(text?.Replace("midmarket", "Mid-Market", StringComparison.OrdinalIgnoreCase), out segment);

    private static void ValidateCustomer(CustomerPayload? customer, Action<string, string> add)
    {
        if (customer is null)
        {
            add("customer", "The customer is required.");
            return;
        }
        RequireLength(customer.CrmId, "customer.crmId", 64, required: true, add);
        RequireLength(customer.Name, "customer.name", 200, required: true, add);
        if (customer.Seats is null or < 0)
        {
            add("customer.seats", "The number of seats purchased is required and cannot be negative.");
        }
        RequireLength(customer.SupportLevel, "customer.supportLevel", 64, required: false, add);
        if (!string.IsNullOrWhiteSpace(customer.Segment) && !TryParseSegment(customer.Segment, out _))
        {
            add("customer.segment", $"The segment must be one of: {string.Join(", ", StoredText.AllOf<CustomerSegment>())}.");
        }
        RequireEmail(customer.CsmEmail, "customer.csmEmail", required: true, add);
        RequireLength(customer.CsmName, "customer.csmName", 200, required: false, add);
        RequireLength(customer.ProductVersion, "customer.productVersion", 32, required: false, add);
        RequireLength(customer.ContactName, "customer.contactName", 200, required: false, add);
        RequireEmail(customer.ContactEmail, "customer.contactEmail", required: false, add);
    }

    private static void ValidatePresalesEngineer(PresalesEngineerPayload? presales, Action<string, string> add)
    {
        if (presales is null)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(presales.Email) && string.IsNullOrWhiteSpace(presales.AadObjectId))
        {
            add("presalesEngineer.email", "Give the pre-sales engineer's email (or presalesEngineer.aadObjectId), or leave presalesEngineer out.");
            return;
        }
        RequireEmail(presales.Email, "presalesEngineer.email", required: false, add);
        RequireLength(presales.Name, "presalesEngineer.name", 200, required: false, add);
        if (presales.AadObjectId is { } aad && !string.IsNullOrWhiteSpace(aad)
            && (aad.Trim().Length > 64 || !aad.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            add("presalesEngineer.aadObjectId", "presalesEngineer.aadObjectId must be the person's Entra object id (a GUID).");
        }
    }

    private static void ValidateSow(SowPayload? sow, Action<string, string> add)
    {
        if (sow is null)
        {
            return;
        }
        RequireLength(sow.Reference, "sow.reference", 128, required: false, add);
        var projects = sow.Projects ?? [];
        if (projects.Count > MaxProjects)
        {
            add("sow.projects", $"At most {MaxProjects} projects per statement of work.");
            return;
        }
        for (var p = 0; p < projects.Count; p++)
        {
            var project = projects[p];
            var at = $"sow.projects[{p}]";
            if (project is null)
            {
                add(at, "A project cannot be null.");
                continue;
            }
            RequireLength(project.Name, at + ".name", 200, required: true, add);
            if (!string.IsNullOrWhiteSpace(project.Kind) && !IsProjectKind(project.Kind))
            {
                add(at + ".kind", "The project kind is a plan template id: lowercase letters, digits and dashes (e.g. onboarding-90-day).");
            }
            var deliverables = project.Deliverables ?? [];
            if (deliverables.Count > MaxDeliverablesPerProject)
            {
                add(at + ".deliverables", $"At most {MaxDeliverablesPerProject} deliverables per project.");
                continue;
            }
            for (var d = 0; d < deliverables.Count; d++)
            {
                var deliverable = deliverables[d];
                var dat = $"{at}.deliverables[{d}]";
                if (deliverable is null)
                {
                    add(dat, "A deliverable cannot be null.");
                    continue;
                }
                RequireLength(deliverable.Title, dat + ".title", 300, required: true, add);
                // Seed 001: a deliverable is a measurable unit of work; we must be able to tell when it is done.
                RequireLength(deliverable.DoneCriterion, dat + ".doneCriterion", 1000, required: true, add);
                if (deliverable.GithubIssueUrl is { Length: > 0 } url
                    && (url.Length > 500 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
                {
                    add(dat + ".githubIssueUrl", "The GitHub issue URL must be an absolute https URL.");
                }
            }
        }
    }

    private static void ValidateAccessList(List<AccessListPayload>? accessList, Action<string, string> add)
    {
        if (accessList is null)
        {
            return;
        }
        if (accessList.Count > MaxAccessListEntries)
        {
            add("accessList", $"At most {MaxAccessListEntries} access-list entries.");
            return;
        }
        var systems = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < accessList.Count; i++)
        {
            var entry = accessList[i];
            var at = $"accessList[{i}]";
            if (entry is null)
            {
                add(at, "An access-list entry cannot be null.");
                continue;
            }
            RequireLength(entry.System, at + ".system", 100, required: true, add);
            if (entry.System is { Length: > 0 } system && !systems.Add(system.Trim()))
            {
                add(at + ".system", $"The system '{system}' is listed twice.");
            }
            RequireEmail(entry.ContactTo, at + ".contactTo", required: true, add);
            var cc = entry.Cc ?? [];
            for (var c = 0; c < cc.Count; c++)
            {
                RequireEmail(cc[c], $"{at}.cc[{c}]", required: true, add);
            }
            if (!StoredText.TryParse<CommunicationMethod>(entry.Method, out _))
            {
                add(at + ".method", "The communication method must be 'email' or 'ticket'.");
            }
            RequireLength(entry.CustomSubject, at + ".customSubject", 300, required: false, add);
            RequireLength(entry.OtherRequirements, at + ".otherRequirements", 2000, required: false, add);
            if (entry.ExpectedDaysToCreate is < 0 or > 90)
            {
                add(at + ".expectedDaysToCreate", "The expected days to create an account must be between 0 and 90.");
            }
        }
    }

    private static bool IsProjectKind(string kind) =>
        kind.Length <= 64 && kind.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static void RequireLength(string? value, string field, int maxLength, bool required, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                add(field, $"{field} is required.");
            }
        }
        else if (value.Trim().Length > maxLength)
        {
            add(field, $"{field} is longer than {maxLength} characters.");
        }
    }

    private static void RequireEmail(string? value, string field, bool required, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                add(field, $"{field} is required.");
            }
            return;
        }
        if (value.Length > 320 || !MailAddress.TryCreate(value.Trim(), out var address) || address.Address != value.Trim())
        {
            add(field, $"{field} is not an email address.");
        }
    }
}
