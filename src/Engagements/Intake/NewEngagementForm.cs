using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Intake;

/// <summary>`new engagement` (SPEC §3.1, Manager): a form card whose `createEngagement` verb runs the same intake as the CRM webhook.</summary>
public sealed class NewEngagementForm(EngagementsDb db, IntakeService intake, CardCatalog cards, TimeProvider clock)
{
    public const string Verb = "createEngagement";

    // The segment choice that leaves it to the segmentation rules (a choice value cannot be empty).
    private const string RulesSegment = "rules";

    // "Nobody named": the post-close checklist then goes to the approvals channel; "not known": the pre-sales engineer decides.
    private const string NoPresalesEngineer = "none";
    private const string UnknownDeployment = "unknown";

    private static readonly string[] Inputs =
    [
        "customerName", "customerCrmId", "kind", "closeDate", "amount", "seats", "contractReference", "mouReference",
        "supportLevel", "segment", "csmEmail", "contactName", "contactEmail", "projectName", "projectKind",
        "presalesEngineer", "deployment",
    ];

    // The intake's field paths, as the form labels them.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["opportunityId"] = "Opportunity", ["kind"] = "Kind", ["stage"] = "Stage", ["closeDate"] = "Close date", ["amount"] = "Amount",
        ["contractReference"] = "Contract reference", ["mouReference"] = "MOU reference", ["customer.crmId"] = "Customer CRM id",
        ["customer.name"] = "Customer", ["customer.seats"] = "Seats", ["customer.supportLevel"] = "Support level",
        ["customer.segment"] = "Segment", ["customer.csmEmail"] = "CSM email", ["customer.contactName"] = "Customer contact",
        ["customer.contactEmail"] = "Contact email", ["sow.projects[0].name"] = "First project", ["sow.projects[0].kind"] = "Plan",
        ["presalesEngineer.aadObjectId"] = "Pre-sales engineer", ["deployment"] = "Deployment",
    };

    public async Task<JsonObject> ShowAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.Has(Role.Manager))
        {
            return cards.Render("message", new { title = "Not allowed", text = "Only a manager can start an engagement by hand. Nothing was created.", style = "attention" });
        }
        var values = Inputs.ToDictionary(i => i, _ => "");
        values["kind"] = "new";
        values["closeDate"] = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        values["projectKind"] = "onboarding-90-day";
        values["segment"] = RulesSegment;
        values["presalesEngineer"] = NoPresalesEngineer;
        values["deployment"] = UnknownDeployment;
        return Render(Guid.NewGuid().ToString("N"), values, await PresalesEngineersAsync(cancellationToken), []);
    }

    public async Task<AdaptiveCardInvokeResponse> SubmitAsync(Caller caller, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!caller.Has(Role.Manager))
        {
            return AdaptiveCardInvokeResponse.Message("Only a manager can start an engagement by hand. Nothing was created.");
        }
        var values = Inputs.ToDictionary(i => i, i => Read(data, i));
        // The form id makes the opportunity id, so a retried or double click returns the engagement it already created.
        var formId = Read(data, "formId");
        if (formId.Length is < 8 or > 40 || !formId.All(char.IsAsciiLetterOrDigit))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "This form is incomplete; type `new engagement` to get a fresh one.");
        }

        var violations = new List<RuleViolation>();
        decimal? amount = decimal.TryParse(values["amount"], NumberStyles.Number, CultureInfo.InvariantCulture, out var a) ? a : null;
        int? seats = int.TryParse(values["seats"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
        DateOnly? closeDate = DateOnly.TryParseExact(values["closeDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        if (amount is null && values["amount"].Length > 0)
        {
            violations.Add(new("amount", "The amount must be a number, e.g. 120000 or 99.50."));
        }
        if (seats is null && values["seats"].Length > 0)
        {
            violations.Add(new("customer.seats", "The seats must be a whole number."));
        }
        var presalesEngineers = await PresalesEngineersAsync(cancellationToken);
        var presales = values["presalesEngineer"] is { Length: > 0 } chosen && chosen != NoPresalesEngineer ? chosen : null;
        if (presales is not null && !presalesEngineers.Any(p => p.Value == presales))
        {
            violations.Add(new("presalesEngineer.aadObjectId", "Pick one of the pre-sales engineers, or nobody."));
        }

        var payload = new OpportunityPayload
        {
            OpportunityId = "MANUAL-" + formId[..12].ToUpperInvariant(),
            Kind = values["kind"],
            Stage = StoredText.Of(OpportunityStage.ClosedWon),
            CloseDate = closeDate,
            Amount = amount,
            ContractReference = values["contractReference"],
            MouReference = values["mouReference"],
            Deployment = values["deployment"] == UnknownDeployment ? null : values["deployment"],
            PresalesEngineer = presales is null ? null : new PresalesEngineerPayload
            {
                AadObjectId = presales,
                Name = presalesEngineers.FirstOrDefault(p => p.Value == presales)?.Title,
            },
            Customer = new CustomerPayload
            {
                CrmId = values["customerCrmId"].Length > 0 ? values["customerCrmId"] : await CustomerCrmIdAsync(values["customerName"], formId, cancellationToken),
                Name = values["customerName"],
                Seats = seats,
                SupportLevel = values["supportLevel"],
                Segment = values["segment"] == RulesSegment ? null : values["segment"],
                CsmEmail = values["csmEmail"],
                ContactName = values["contactName"],
                ContactEmail = values["contactEmail"],
            },
            Sow = values["projectName"].Length == 0 ? null : new SowPayload
            {
                Projects = [new ProjectPayload { Name = values["projectName"], Kind = values["projectKind"] }],
            },
        };

        var result = violations.Count > 0
            ? new IntakeResult(IntakeStatus.Invalid, violations)
            : await intake.IntakeAsync(payload, new IntakeContext(
                new AuditActor(caller.AadObjectId, caller.Name), AuditSource.Card, caller.AadObjectId, caller.Name), cancellationToken);
        if (result.Status == IntakeStatus.Invalid)
        {
            return AdaptiveCardInvokeResponse.Card(Render(formId, values, presalesEngineers, result.Violations));
        }

        var posted = result.Status == IntakeStatus.AlreadyProcessed || result.ApprovalCardPosted;
        return AdaptiveCardInvokeResponse.Card(cards.Render("message", new
        {
            title = $"Engagement created for {values["customerName"]}",
            style = "good",
            text = posted
                ? "The Assign engineer card is in the approvals channel."
                : "No channel is bound to approvals yet, so the Assign engineer card was not posted: an admin can run `use this channel for approvals` in the managers' channel.",
            facts = new[]
            {
                new { title = "Opportunity", value = payload.OpportunityId },
                new { title = "Customer CRM id", value = payload.Customer.CrmId ?? "" },
                new { title = "Post-close checklist", value = result.ChecklistSentTo is { } sentTo ? $"sent to {sentTo}" : "sent when the engagement was created" },
                new { title = "Created by", value = caller.Name },
            },
        }));
    }

    private JsonObject Render(string formId, Dictionary<string, string> values, IReadOnlyList<Choice> presalesEngineers, IReadOnlyList<RuleViolation> errors) =>
        cards.Render("new-engagement", new
        {
            formId,
            values,
            presalesEngineers = presalesEngineers.Prepend(new Choice("Nobody: use approvals", NoPresalesEngineer)),
            errors = errors.Select(e => new { field = Labels.GetValueOrDefault(e.Field, e.Field), message = e.Message }),
        });

    private sealed record Choice(string Title, string Value);

    // The people the form offers: holders of the PresalesEngineer role granted in chat (configuration carries no names).
    private async Task<IReadOnlyList<Choice>> PresalesEngineersAsync(CancellationToken cancellationToken) =>
        [.. (await db.RoleAssignments.AsNoTracking()
                .Where(r => r.Role == Role.PresalesEngineer)
                .Select(r => new { r.AadObjectId, r.DisplayName })
                .ToListAsync(cancellationToken))
            .Select(r => new Choice(r.DisplayName ?? r.AadObjectId, r.AadObjectId))
            .OrderBy(c => c.Title, StringComparer.OrdinalIgnoreCase)];

    // A customer typed by name is matched to an existing one (case-insensitive), so a second engagement lands on it.
    private async Task<string> CustomerCrmIdAsync(string name, string formId, CancellationToken cancellationToken)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            return "MANUAL-CUSTOMER-" + formId[..12].ToUpperInvariant();
        }
        var lower = trimmed.ToLowerInvariant();
        var existing = await db.Customers.AsNoTracking()
            .Where(c => c.Name.ToLower() == lower)
            .Select(c => c.CrmId)
            .FirstOrDefaultAsync(cancellationToken);
        return existing ?? "MANUAL-CUSTOMER-" + formId[..12].ToUpperInvariant();
    }

    private static string Read(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property)
            ? property.ValueKind switch
            {
                JsonValueKind.String => property.GetString()?.Trim() ?? "",
                JsonValueKind.Number => property.GetRawText(),
                _ => "",
            }
            : "";
}
