using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Standup;

/// <summary>
/// The chat side of §3.7's status commands: role checks, customer matching and the cards. Commands reply in the
/// conversation; the pick-list verbs answer the invoke with the same card, replacing the pick list for the clicker.
/// </summary>
public sealed class StandupCommands(
    EngagementsDb db,
    CustomerMatcher customers,
    StatusService status,
    BoardService board,
    MyWorkService myWork,
    OverdueService overdue,
    BlockerService blockers,
    CardCatalog cards)
{
    public const string PickCustomerVerb = "pickCustomer";
    public const string PickDeliverableVerb = "pickDeliverable";

    private static readonly Role[] BlockerRoles = [Role.Engineer, Role.TeamLead, Role.Manager, Role.Admin];

    public async Task StatusAsync(TurnContext turn, string typed, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(await ForCustomerAsync(turn.Caller, "status", typed, cancellationToken), cancellationToken);

    public async Task BoardAsync(TurnContext turn, string? typed, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(typed is null
            ? await OwnBoardAsync(turn.Caller, cancellationToken)
            : await ForCustomerAsync(turn.Caller, "board", typed, cancellationToken), cancellationToken);

    public async Task MyWorkAsync(TurnContext turn, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(NoRoleRefusal(turn.Caller) ?? cards.Render("my-work", await myWork.BuildAsync(turn.Caller, cancellationToken)), cancellationToken);

    public async Task OverdueAsync(TurnContext turn, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(NoRoleRefusal(turn.Caller)
            ?? cards.Render("overdue", await overdue.BuildAsync(await ScopeOfAsync(turn.Caller, cancellationToken), cancellationToken)), cancellationToken);

    public async Task BlockedAsync(TurnContext turn, string item, string reason, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(await BlockerAsync(turn.Caller, item, reason, cancellationToken), cancellationToken);

    public async Task UnblockedAsync(TurnContext turn, string item, CancellationToken cancellationToken) =>
        await turn.ReplyCardAsync(await BlockerAsync(turn.Caller, item, null, cancellationToken), cancellationToken);

    /// <summary>A click on a pick-list entry (or the status card's board button): runs the command for that customer.</summary>
    public async Task<AdaptiveCardInvokeResponse> PickCustomerAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (NoRoleRefusal(turn.Caller) is { } refusal)
        {
            return AdaptiveCardInvokeResponse.Card(refusal);
        }
        var command = Text(data, "command");
        if (!Guid.TryParse(Text(data, "customerId"), out var customerId) || command is not ("status" or "board"))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "This button does not name a customer and a command.");
        }
        var name = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken);
        return name is null
            ? AdaptiveCardInvokeResponse.Card(Message("Customer not found", "That customer no longer exists.", "warning"))
            : AdaptiveCardInvokeResponse.Card(await CardForAsync(command, new CustomerName(customerId, name), cancellationToken));
    }

    public async Task<AdaptiveCardInvokeResponse> PickDeliverableAsync(TurnContext turn, JsonElement? data, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(BlockerRoles))
        {
            return AdaptiveCardInvokeResponse.Card(BlockerRefusal());
        }
        var command = Text(data, "command");
        var reason = Text(data, "reason")?.Trim();
        if (!Guid.TryParse(Text(data, "deliverableId"), out var deliverableId) || command is not ("blocked" or "unblocked")
            || (command == "blocked" && string.IsNullOrEmpty(reason)))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "This button does not name a deliverable and a change.");
        }
        var scope = await BlockerScopeOfAsync(turn.Caller, cancellationToken);
        var outcome = await blockers.ApplyAsync(scope, deliverableId, command == "blocked" ? reason : null, turn.Caller, cancellationToken);
        return AdaptiveCardInvokeResponse.Card(OutcomeCard(outcome, command, "", reason));
    }

    private async Task<JsonObject> ForCustomerAsync(Caller caller, string command, string typed, CancellationToken cancellationToken)
    {
        if (NoRoleRefusal(caller) is { } refusal)
        {
            return refusal;
        }
        var match = await customers.MatchAsync(typed, cancellationToken);
        if (match.Customer is { } customer)
        {
            return await CardForAsync(command, customer, cancellationToken);
        }
        return match.IsAmbiguous
            ? cards.Render("pick-customer", new
            {
                typed,
                command,
                commandName = command,
                candidates = match.Candidates.Select(c => new { id = c.Id, name = c.Name }),
            })
            : Message("Customer not found", match.NotFoundText(typed), "warning");
    }

    private async Task<JsonObject> CardForAsync(string command, CustomerName customer, CancellationToken cancellationToken)
    {
        if (command == "board")
        {
            return cards.Render("board", await board.BuildAsync($"Board: {customer.Name}", new EngagementScope(customer.Name, CustomerId: customer.Id), cancellationToken));
        }
        var view = await status.BuildAsync(customer.Id, cancellationToken);
        return view is null ? Message("Customer not found", "That customer no longer exists.", "warning") : cards.Render("status", view.ToCardData());
    }

    private async Task<JsonObject> OwnBoardAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (NoRoleRefusal(caller) is { } refusal)
        {
            return refusal;
        }
        var scope = await ScopeOfAsync(caller, cancellationToken);
        return cards.Render("board", await board.BuildAsync(scope.EngineerId is null ? "Delivery board" : "Your board", scope, cancellationToken));
    }

    private async Task<JsonObject> BlockerAsync(Caller caller, string item, string? reason, CancellationToken cancellationToken)
    {
        if (!caller.HasAny(BlockerRoles))
        {
            return BlockerRefusal();
        }
        var command = reason is null ? "unblocked" : "blocked";
        var scope = await BlockerScopeOfAsync(caller, cancellationToken);
        var found = await blockers.FindAsync(scope, item, onlyBlocked: reason is null, cancellationToken);
        var outcome = found is BlockerOutcome.Found one
            ? await blockers.ApplyAsync(scope, one.Deliverable.Id, reason, caller, cancellationToken)
            : found;
        return OutcomeCard(outcome, command, item, reason);
    }

    private JsonObject OutcomeCard(BlockerOutcome outcome, string command, string typed, string? reason) => outcome switch
    {
        BlockerOutcome.Changed { Reason: not null } c => cards.Render("message", new
        {
            title = "Blocker recorded",
            text = $"**{c.Deliverable.Title}** for **{c.Deliverable.Customer}** is blocked. A blocker open for more than 3 days raises an early warning.",
            style = "warning",
            facts = new[]
            {
                new { title = "Deliverable", value = c.Deliverable.Title },
                new { title = "Customer", value = c.Deliverable.Customer },
                new { title = "Reason", value = c.Reason },
                new { title = "Since", value = c.Since?.ToString("d MMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "" },
            },
        }),
        BlockerOutcome.Changed c => cards.Render("message", new
        {
            title = "Blocker cleared",
            text = $"**{c.Deliverable.Title}** for **{c.Deliverable.Customer}** is no longer blocked (it was blocked for {c.BlockedFor}).",
            style = "good",
        }),
        BlockerOutcome.Unchanged u => Message("Nothing changed", $"**{u.Deliverable.Label}**: {u.Why}", "default"),
        BlockerOutcome.Ambiguous a => cards.Render("pick-deliverable", new
        {
            typed,
            command,
            commandName = command,
            reason = reason ?? "",
            candidates = a.Candidates.Select(c => new { id = c.Id, name = c.Label }),
        }),
        BlockerOutcome.NotFound n => Message("Deliverable not found", n.Text, "warning"),
        _ => throw new InvalidOperationException("A blocker lookup always ends in a change, a pick list or a miss."),
    };

    // Managers, admins, team leads and CSMs look at the whole portfolio; an engineer at their own engagements.
    private async Task<EngagementScope> ScopeOfAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.HasAny(Role.Manager, Role.Admin, Role.TeamLead, Role.Csm))
        {
            return EngagementScope.AllActive;
        }
        return await EngineerScopeAsync(caller, cancellationToken) ?? EngagementScope.AllActive;
    }

    // Blockers: managers and admins (and team leads, who oversee delivery) may set them anywhere; engineers on their own engagements.
    private async Task<EngagementScope> BlockerScopeOfAsync(Caller caller, CancellationToken cancellationToken) =>
        caller.HasAny(Role.Manager, Role.Admin, Role.TeamLead)
            ? EngagementScope.AllActive
            : await EngineerScopeAsync(caller, cancellationToken) ?? new EngagementScope("your engagements (you have no engineer profile)", EngineerId: Guid.Empty);

    private async Task<EngagementScope?> EngineerScopeAsync(Caller caller, CancellationToken cancellationToken)
    {
        var engineerId = await db.Engineers.AsNoTracking().Where(e => e.AadObjectId == caller.AadObjectId)
            .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);
        return engineerId is null ? null : new EngagementScope("your active engagements", EngineerId: engineerId);
    }

    private JsonObject? NoRoleRefusal(Caller caller) => caller.Roles.Count > 0 ? null : Message(
        "You don't have a role in Engagements yet",
        $"Sorry {caller.Name}, status and board commands are for the delivery team. Ask an admin to grant you a role (for example `grant engineer to @you`).",
        "warning");

    private JsonObject BlockerRefusal() => Message(
        "Not allowed",
        "Only engineers, team leads, managers and admins can set or clear blockers. Nothing was changed.",
        "warning");

    private JsonObject Message(string title, string text, string style) => cards.Render("message", new { title, text, style });

    private static string? Text(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
