using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Mail;

namespace Engagements.AccountAccess;

/// <summary>What the bot says about an account request: the customer emails, the ticket text, the escalation cards.</summary>
public sealed class AccountRequestMessages(CardCatalog cards)
{
    public const string RequestTemplate = "account-request-email";
    public const string FollowUpTemplate = "account-follow-up-email";

    public static string Day(DateOnly? day) => day?.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture) ?? "—";

    public static string At(DateTimeOffset at) => at.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Label(AccountRequest request) => $"{request.Customer.Name} {request.System}";

    public static EmailMessage RequestEmail(AccountRequest request, IEnumerable<string> smeCc)
    {
        var entry = request.AccessListEntry;
        var subject = string.IsNullOrWhiteSpace(entry.CustomSubject)
            ? $"New account request: {request.System} for {request.Engineer.Name} ({request.Customer.Name})"
            : entry.CustomSubject.Trim();
        var body = HtmlTemplates.Render(RequestTemplate, new Dictionary<string, string?>
        {
            ["customer"] = request.Customer.Name,
            ["system"] = request.System,
            ["engineerName"] = request.Engineer.Name,
            ["engineerEmail"] = request.Engineer.Email,
            ["engineerPhone"] = request.Engineer.Phone ?? "—",
            ["startDate"] = Day(request.NotBefore),
            ["expectedBy"] = Day(request.ExpectedBy),
            ["otherRequirements"] = string.IsNullOrWhiteSpace(entry.OtherRequirements) ? "" : "Your requirements for this request: " + entry.OtherRequirements.Trim(),
            ["csmName"] = request.Customer.CsmName ?? "your customer success manager",
        });
        return new EmailMessage([entry.ContactTo], Cc(request, entry.Cc.Concat(smeCc)), subject, body, RequestTemplate);
    }

    public static EmailMessage FollowUpEmail(AccountRequest request)
    {
        var entry = request.AccessListEntry;
        var original = string.IsNullOrWhiteSpace(entry.CustomSubject)
            ? $"New account request: {request.System} for {request.Engineer.Name} ({request.Customer.Name})"
            : entry.CustomSubject.Trim();
        var body = HtmlTemplates.Render(FollowUpTemplate, new Dictionary<string, string?>
        {
            ["customer"] = request.Customer.Name,
            ["system"] = request.System,
            ["engineerName"] = request.Engineer.Name,
            ["engineerEmail"] = request.Engineer.Email,
            ["requestDate"] = Day(request.RequestDate),
            ["expectedBy"] = Day(request.ExpectedBy),
            ["status"] = request.Status == AccountRequestStatus.Failing ? "the account does not work" : "no account yet",
            ["failureReason"] = request.FailureReason is null ? "" : "Reported problem: " + request.FailureReason,
            ["csmName"] = request.Customer.CsmName ?? "Customer Success",
        });
        return new EmailMessage([entry.ContactTo], Cc(request, entry.Cc), "Follow-up: " + original, body, FollowUpTemplate);
    }

    // The seed's CC list: the customer's own CCs, then the engineer and the CSM (and SMEs for the first request).
    private static string[] Cc(AccountRequest request, IEnumerable<string> customerCc) =>
        [.. customerCc
            .Append(request.Engineer.Email)
            .Append(request.Customer.CsmEmail ?? "")
            .Where(a => !string.IsNullOrWhiteSpace(a) && !a.Equals(request.AccessListEntry.ContactTo, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    // One line per field. Each becomes its own TextBlock: Teams reads TextBlock text as markdown, where a single
    // newline is no line break.
    public static IReadOnlyList<string> TicketLines(AccountRequest request)
    {
        var entry = request.AccessListEntry;
        var lines = new List<string>
        {
            $"Summary: New {request.System} account for {request.Engineer.Name} ({request.Customer.Name} implementation)",
            $"Name: {request.Engineer.Name}",
            $"Email: {request.Engineer.Email}",
            $"Contact number: {request.Engineer.Phone ?? "—"}",
            $"Start date: {Day(request.NotBefore)}",
            $"Needed by: {Day(request.ExpectedBy)}",
        };
        if (!string.IsNullOrWhiteSpace(entry.OtherRequirements))
        {
            lines.Add($"Requirements: {entry.OtherRequirements.Trim()}");
        }

        return lines;
    }

    public JsonObject TicketCard(AccountRequest request, string? filedBy = null, DateTimeOffset? filedAt = null) => cards.Render("account-ticket", new
    {
        requestId = request.Id,
        customer = request.Customer.Name,
        system = request.System,
        engineer = request.Engineer.Name,
        contact = request.AccessListEntry.ContactTo,
        expectedBy = Day(request.ExpectedBy),
        ticketLines = TicketLines(request),
        filed = filedBy is null ? null : new { by = filedBy, at = At(filedAt!.Value) },
    });

    public JsonObject EscalationCard(AccountRequest request, EscalationKind kind, string reason, AccountRequestFollowUp? followUpSent = null) => cards.Render("account-escalation", new
    {
        requestId = request.Id,
        heading = kind switch
        {
            EscalationKind.NotWorking => "ACCOUNT NOT WORKING",
            EscalationKind.OverdueToTeamLead => "ACCOUNT OVERDUE",
            _ => "ACCOUNT OVERDUE: CUSTOMER FOLLOW-UP NEEDED",
        },
        title = $"{Label(request)} account for {request.Engineer.Name}",
        reason,
        facts = new[]
        {
            new { title = "Customer", value = request.Customer.Name },
            new { title = "System", value = request.System },
            new { title = "Engineer", value = request.Engineer.Name },
            new { title = "Requested", value = Day(request.RequestDate) },
            new { title = "Expected by", value = Day(request.ExpectedBy) },
            new { title = "Status", value = DisplayText.Of(request.Status) },
            new { title = "Customer contact", value = request.AccessListEntry.ContactTo },
        },
        offerFollowUp = kind == EscalationKind.OverdueToCsm,
        contact = request.AccessListEntry.ContactTo,
        followUpSent = followUpSent is null ? null : new { by = followUpSent.ActorName ?? "someone", at = At(followUpSent.At) },
    });

    public JsonObject Message(string title, string text, string style = "emphasis") =>
        cards.Render("message", new { title, text, style });
}

public enum EscalationKind
{
    NotWorking,
    OverdueToTeamLead,
    OverdueToCsm,
}

internal static class AccessListEntryText
{
    public static string MethodText(this CommunicationMethod method) => method == CommunicationMethod.Email ? "email" : "ticket";
}
