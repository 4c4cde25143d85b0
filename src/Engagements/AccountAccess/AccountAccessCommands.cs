using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Links;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.AccountAccess;

/// <summary>The chat side of account access: reports by message, `follow-up`, and the card verbs. Rules live in the services.</summary>
public sealed class AccountAccessCommands(
    EngagementsDb db,
    AccountAccessService service,
    FollowUpDocument document,
    AccessListEditor accessList,
    AccountRequestMessages messages,
    SignedLinks links,
    CardCatalog cards,
    TimeProvider clock)
{
    public const string ExportPurpose = "follow-up-export";
    public const string ExportPath = "api/follow-up/export";
    private const int CardRowLimit = 25;

    public static readonly Role[] FollowUpRoles = [Role.TeamLead, Role.Manager, Role.Csm, Role.Admin];
    public static readonly Role[] AccessListRoles = [Role.TeamLead, Role.Admin];
    public static readonly Role[] TicketRoles = [Role.TeamLead, Role.Admin];
    public static readonly Role[] CustomerFollowUpRoles = [Role.Csm, Role.TeamLead, Role.Admin];

    // "my Contoso account works" / "Contoso VPN account not working: MFA link expired"
    public async Task ReportAsync(TurnContext turn, Command command, CancellationToken cancellationToken)
    {
        var works = command.Kind == CommandKind.AccountWorks;
        var open = await OpenRequestsOfAsync(turn.Caller.AadObjectId, cancellationToken);
        if (open.Count == 0)
        {
            await turn.ReplyCardAsync(messages.Message("No open account request",
                "You have no open account requests, so there is nothing to update. If you expected one, ask your team lead to check `follow-up`.", "warning"), cancellationToken);
            return;
        }

        var matches = AccountReportMatcher.Match(open, command.Subject);
        switch (matches.Count)
        {
            case 0:
                await turn.ReplyCardAsync(messages.Message("Which account?",
                    $"None of your open account requests matches \"{command.Subject}\", so nothing changed. Your open requests: {string.Join(", ", open.Select(AccountRequestMessages.Label))}.", "warning"), cancellationToken);
                return;
            case 1:
                await turn.ReplyCardAsync(await ApplyReportAsync(matches[0], works, command.Detail, turn.Caller, AuditSource.Command, cancellationToken), cancellationToken);
                return;
            default:
                await turn.ReplyCardAsync(PickCard(matches, works, command.Detail), cancellationToken);
                return;
        }
    }

    // The pick list's answer (verb reportAccount).
    public async Task<AdaptiveCardInvokeResponse> ReportAccountAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (GuidOf(data, "requestId") is not { } requestId || BoolOf(data, "works") is not { } works)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "Pick one of the account requests.");
        }

        var request = await service.FindAsync(requestId, cancellationToken);
        if (request is null || request.Engineer.AadObjectId != turn.Caller.AadObjectId)
        {
            return AdaptiveCardInvokeResponse.Message("Only the engineer the account is for can report on it; nothing changed.");
        }

        if (!request.IsOpen)
        {
            return AdaptiveCardInvokeResponse.Card(messages.Message(
                $"{AccountRequestMessages.Label(request)} account is already {DisplayText.Of(request.Status)}", "Nothing changed."));
        }

        return AdaptiveCardInvokeResponse.Card(await ApplyReportAsync(request, works, StringOf(data, "reason"), turn.Caller, AuditSource.Card, cancellationToken));
    }

    // `follow-up [{customer} | overdue | export]`
    public async Task FollowUpAsync(TurnContext turn, Command command, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(FollowUpRoles))
        {
            await turn.ReplyCardAsync(messages.Message("Not allowed", "`follow-up` is for team leads, managers, CSMs and admins.", "warning"), cancellationToken);
            return;
        }

        var filter = command.Subject?.Trim();
        if (string.Equals(filter, "export", StringComparison.OrdinalIgnoreCase))
        {
            var link = links.CreateLink(ExportPath, ExportPurpose, "all");
            var expires = clock.GetUtcNow() + links.Lifetime;
            await turn.ReplyCardAsync(cards.Render("follow-up-export", new { url = link.ToString(), expires = AccountRequestMessages.At(expires) }), cancellationToken);
            return;
        }

        if (string.Equals(filter, "overdue", StringComparison.OrdinalIgnoreCase))
        {
            await turn.ReplyCardAsync(FollowUpCard(await document.RowsAsync(null, overdueOnly: true, cancellationToken), "Overdue account requests", null, turn.Caller), cancellationToken);
            return;
        }

        if (string.IsNullOrEmpty(filter))
        {
            await turn.ReplyCardAsync(FollowUpCard(await document.RowsAsync(null, overdueOnly: false, cancellationToken), "Follow-up document", null, turn.Caller), cancellationToken);
            return;
        }

        var customers = await FindCustomersAsync(filter, cancellationToken);
        if (customers.Count == 0)
        {
            await turn.ReplyCardAsync(messages.Message("No such customer", $"No customer matches \"{filter}\". Try `follow-up`, `follow-up overdue` or `follow-up export`.", "warning"), cancellationToken);
            return;
        }

        var rows = await document.RowsAsync([.. customers.Select(c => c.Id)], overdueOnly: false, cancellationToken);
        Guid? single = customers.Count == 1 ? customers[0].Id : null;
        await turn.ReplyCardAsync(FollowUpCard(rows, "Follow-up: " + string.Join(", ", customers.Select(c => c.Name)), single, turn.Caller), cancellationToken);
    }

    public async Task<AdaptiveCardInvokeResponse> TicketFiledAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(TicketRoles))
        {
            return AdaptiveCardInvokeResponse.Message("Only a team lead can mark a ticket filed; nothing changed.");
        }

        var request = GuidOf(data, "requestId") is { } id ? await service.FindAsync(id, cancellationToken) : null;
        if (request is null)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "That account request no longer exists.");
        }

        var outcome = await service.MarkTicketFiledAsync(request, Actor(turn.Caller), cancellationToken);
        var filed = request.FollowUps.Where(f => f.Kind == FollowUpKind.TicketFiled).OrderBy(f => f.At).FirstOrDefault();
        return outcome == AccountAccessService.TicketFiledOutcome.NotATicket
            ? AdaptiveCardInvokeResponse.Message("This account is requested by email, not by ticket; nothing changed.")
            : AdaptiveCardInvokeResponse.Card(messages.TicketCard(request, filed?.ActorName ?? "someone", filed?.At ?? clock.GetUtcNow()));
    }

    public async Task<AdaptiveCardInvokeResponse> SendAccountFollowUpAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(CustomerFollowUpRoles))
        {
            return AdaptiveCardInvokeResponse.Message("Only the CSM or a team lead can email the customer; nothing was sent.");
        }

        var request = GuidOf(data, "requestId") is { } id ? await service.FindAsync(id, cancellationToken) : null;
        if (request is null)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "That account request no longer exists.");
        }

        var outcome = await service.SendCustomerFollowUpAsync(request, Actor(turn.Caller), cancellationToken);
        if (outcome == AccountAccessService.CustomerFollowUpOutcome.NotOpen)
        {
            return AdaptiveCardInvokeResponse.Card(messages.Message(
                $"{AccountRequestMessages.Label(request)} account is {DisplayText.Of(request.Status)}", "No follow-up needed; nothing was sent."));
        }

        var sent = request.FollowUps.Where(f => f.Kind == FollowUpKind.CustomerFollowUpSent).OrderBy(f => f.At).First();
        var last = request.FollowUps.Where(f => f.Kind == FollowUpKind.EscalatedToCsm).OrderBy(f => f.At).LastOrDefault();
        return AdaptiveCardInvokeResponse.Card(messages.EscalationCard(request, EscalationKind.OverdueToCsm, last?.Note ?? "Customer follow-up", sent));
    }

    public async Task<AdaptiveCardInvokeResponse> ShowAccessListAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(AccessListRoles))
        {
            return AdaptiveCardInvokeResponse.Message("Only team leads and admins maintain the access list.");
        }

        var card = GuidOf(data, "customerId") is { } customerId ? await accessList.ListCardAsync(customerId, null, cancellationToken) : null;
        return card is null ? AdaptiveCardInvokeResponse.Error(404, "NotFound", "That customer no longer exists.") : AdaptiveCardInvokeResponse.Card(card);
    }

    public async Task<AdaptiveCardInvokeResponse> EditAccessEntryAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(AccessListRoles))
        {
            return AdaptiveCardInvokeResponse.Message("Only team leads and admins maintain the access list.");
        }

        var card = GuidOf(data, "customerId") is { } customerId
            ? await accessList.FormCardAsync(customerId, GuidOf(data, "entryId"), cancellationToken)
            : null;
        return card is null ? AdaptiveCardInvokeResponse.Error(404, "NotFound", "That access-list entry no longer exists.") : AdaptiveCardInvokeResponse.Card(card);
    }

    public async Task<AdaptiveCardInvokeResponse> SaveAccessEntryAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(AccessListRoles))
        {
            return AdaptiveCardInvokeResponse.Message("Only team leads and admins maintain the access list; nothing changed.");
        }

        if (GuidOf(data, "customerId") is not { } customerId)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The form has no customer.");
        }

        var form = new AccessEntryForm(StringOf(data, "system"), StringOf(data, "contactTo"), StringOf(data, "cc"), StringOf(data, "method"),
            StringOf(data, "customSubject"), StringOf(data, "otherRequirements"), StringOf(data, "expectedDays"));
        var result = await accessList.SaveAsync(customerId, GuidOf(data, "entryId"), form, Actor(turn.Caller), cancellationToken);
        return result is null ? AdaptiveCardInvokeResponse.Error(404, "NotFound", "That access-list entry no longer exists.") : AdaptiveCardInvokeResponse.Card(result.Card);
    }

    private async Task<JsonObject> ApplyReportAsync(AccountRequest request, bool works, string? reason, Caller caller, AuditSource source, CancellationToken cancellationToken)
    {
        var label = $"{AccountRequestMessages.Label(request)} account for {request.Engineer.Name}";
        if (works)
        {
            await service.VerifyAsync(request, Actor(caller), source, cancellationToken);
            var after = request.RequestDate is { } requested
                ? (document.Today.DayNumber - requested.DayNumber) switch
                {
                    0 => "the same day as the request",
                    1 => "1 day after the request",
                    var days => $"{days} days after the request",
                }
                : "before the request was sent";
            return messages.Message($"Verified: {label} — {after}", "Thanks! The follow-up document is updated.", "good");
        }

        var why = string.IsNullOrWhiteSpace(reason) ? "No reason given" : reason.Trim();
        if (request.Status == AccountRequestStatus.Failing && string.Equals(request.FailureReason, why, StringComparison.OrdinalIgnoreCase))
        {
            // A repeated report (or a retried click) adds nothing: the team lead already has this one.
            return messages.Message($"Already reported: {label}", $"It is marked failing ({request.FailureReason}) and your team lead knows. Nothing changed.");
        }

        await service.ReportFailingAsync(request, why, Actor(caller), source, cancellationToken);
        return messages.Message($"Not working: {label}", $"Marked failing ({request.FailureReason}). Your team lead has been told and will follow up.", "attention");
    }

    private JsonObject PickCard(IReadOnlyList<AccountRequest> matches, bool works, string? reason) => cards.Render("account-report-pick", new
    {
        title = works ? "Which account works?" : "Which account is not working?",
        text = $"You have {matches.Count} open account requests that match. Pick the one you mean.",
        works,
        reason = reason ?? "",
        requests = matches.Select(r => new
        {
            id = r.Id,
            label = $"{AccountRequestMessages.Label(r)} (requested {AccountRequestMessages.Day(r.RequestDate)}, {DisplayText.Of(r.Status)})",
        }),
        defaultId = matches[0].Id,
    });

    private JsonObject FollowUpCard(IReadOnlyList<FollowUpRow> rows, string title, Guid? customerId, Caller caller) => cards.Render("follow-up", new
    {
        title,
        summary = $"{rows.Count} requests · {rows.Count(r => AccountRequest.OpenStatuses.Contains(r.Status))} open · {rows.Count(r => r.Overdue)} overdue",
        rows = rows.Take(CardRowLimit).Select(r => new
        {
            engineer = r.Engineer,
            customer = r.Customer,
            system = r.System,
            requested = AccountRequestMessages.Day(r.RequestDate),
            expectedBy = AccountRequestMessages.Day(r.ExpectedBy),
            status = DisplayText.Of(r.Status),
            lastFollowUp = r.LastFollowUpAt is { } at ? $"{r.LastFollowUp} ({AccountRequestMessages.Day(DateOnly.FromDateTime(at.UtcDateTime))})" : "—",
            overdue = r.Overdue,
        }),
        more = rows.Count > CardRowLimit ? $"{rows.Count - CardRowLimit} more: use `follow-up export` for the whole document." : null,
        empty = rows.Count == 0 ? "No account requests here." : null,
        customerId = customerId?.ToString() ?? "",
        canEditAccessList = customerId is not null && caller.HasAny(AccessListRoles),
    });

    private async Task<List<AccountRequest>> OpenRequestsOfAsync(string? aadObjectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(aadObjectId))
        {
            return [];
        }

        var open = AccountRequest.OpenStatuses;
        return await service.WithDetails()
            .Where(r => r.Engineer.AadObjectId == aadObjectId && open.Contains(r.Status))
            .OrderBy(r => r.Customer.Name).ThenBy(r => r.System)
            .ToListAsync(cancellationToken);
    }

    // Exact name, then prefix or word prefix; with nothing found, one typo among customers that have account requests.
    private async Task<List<(Guid Id, string Name)>> FindCustomersAsync(string term, CancellationToken cancellationToken)
    {
        var lower = term.ToLowerInvariant();
        var found = await db.Customers.AsNoTracking()
            .Where(c => c.Name.ToLower() == lower || c.Name.ToLower().StartsWith(lower) || c.Name.ToLower().Contains(" " + lower))
            .OrderBy(c => c.Name).Take(10)
            .Select(c => new { c.Id, c.Name })
            .ToListAsync(cancellationToken);
        if (found.FirstOrDefault(c => c.Name.Equals(term, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return [(exact.Id, exact.Name)];
        }

        if (found.Count > 0)
        {
            return [.. found.Select(c => (c.Id, c.Name))];
        }

        var withRequests = await db.AccountRequests.AsNoTracking().Select(r => new { r.Customer.Id, r.Customer.Name }).Distinct().ToListAsync(cancellationToken);
        return [.. withRequests.Where(c => c.Name.Length >= 4 && EditDistance.WithinOne(lower, c.Name.ToLowerInvariant())).Select(c => (c.Id, c.Name))];
    }

    private static AuditActor Actor(Caller caller) => new(caller.AadObjectId, caller.Name);

    private static string? StringOf(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static Guid? GuidOf(JsonElement? data, string name) => Guid.TryParse(StringOf(data, name), out var id) ? id : null;

    private static bool? BoolOf(JsonElement? data, string name) => StringOf(data, name)?.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };
}
