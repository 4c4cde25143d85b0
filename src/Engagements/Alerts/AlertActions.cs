using System.Text.Json;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Data;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Alerts;

/// <summary>The Acknowledge and Snooze buttons of alert cards (single alerts, the `alerts` list and the digest).</summary>
public sealed class AlertActions(EngagementsDb db, AlertService alerts)
{
    public const string AcknowledgeVerb = "acknowledgeAlert";
    public const string SnoozeVerb = "snoozeAlert";

    private static readonly Role[] MayAct = [Role.Csm, Role.Manager, Role.Admin, Role.TeamLead];

    public Task<AdaptiveCardInvokeResponse> AcknowledgeAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        RunAsync(turn, action, alerts.AcknowledgeAsync, cancellationToken);

    public Task<AdaptiveCardInvokeResponse> SnoozeAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        RunAsync(turn, action, alerts.SnoozeAsync, cancellationToken);

    private async Task<AdaptiveCardInvokeResponse> RunAsync(
        TurnContext turn, AdaptiveCardInvokeAction action,
        Func<Guid, AuditActor, CancellationToken, Task<AlertActionResult>> change, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasAny(MayAct))
        {
            return AdaptiveCardInvokeResponse.Message("Only a CSM, manager, team lead or admin can acknowledge or snooze alerts. Nothing was changed.");
        }

        if (AlertIdOf(action) is not { } alertId)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card did not say which alert this is.");
        }

        var actor = new AuditActor(turn.Caller.AadObjectId, turn.Caller.Name);
        AlertActionResult result;
        try
        {
            result = await change(alertId, actor, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else changed the alert at the same moment: theirs stands; show the card as it is now.
            db.ChangeTracker.Clear();
            result = new AlertActionResult(await db.Alerts.Include(a => a.Customer).SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken), false);
        }

        if (result.Alert is null)
        {
            return AdaptiveCardInvokeResponse.Message("That alert no longer exists.");
        }

        // The list and digest cards are refreshed as lists; a single alert card shows the alert itself.
        return FromList(action)
            ? AdaptiveCardInvokeResponse.Card(await alerts.OpenAlertsCardAsync(cancellationToken))
            : AdaptiveCardInvokeResponse.Card(await alerts.CardAsync(result.Alert, result.Changed ? turn.Caller.Name : null, cancellationToken));
    }

    private static Guid? AlertIdOf(AdaptiveCardInvokeAction action) =>
        action.Data is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("alertId", out var id) && id.ValueKind == JsonValueKind.String
        && Guid.TryParse(id.GetString(), out var alertId)
            ? alertId
            : null;

    private static bool FromList(AdaptiveCardInvokeAction action) =>
        action.Data is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("view", out var view) && view.ValueKind == JsonValueKind.String && view.GetString() == "list";
}
