using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;

namespace Engagements.Onboarding;

/// <summary>The bot side of onboarding: the `kickoff` and `done` commands and the four card verbs.</summary>
public sealed class OnboardingTurns(
    OnboardingService onboarding, PhaseConfirmations confirmations, WeeklyStatusUpdates statusUpdates, CardCatalog cards)
{
    public const string TickItemVerb = "tickItem";
    public const string ConfirmPhaseVerb = "confirmPhase";
    public const string ConfirmHandoffVerb = "confirmHandoff";
    public const string ApproveStatusUpdateVerb = "approveStatusUpdate";

    public async Task KickoffAsync(TurnContext turn, Command command, CancellationToken cancellationToken) =>
        await ReplyAsync(turn, await onboarding.SetKickoffAsync(turn.Caller, command.Subject, command.Detail, cancellationToken), cancellationToken);

    public async Task DoneAsync(TurnContext turn, Command command, CancellationToken cancellationToken) =>
        await ReplyAsync(turn, await onboarding.DoneAsync(turn.Caller, command.Subject, command.Customer, cancellationToken), cancellationToken);

    public async Task<AdaptiveCardInvokeResponse> TickItemAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken)
    {
        var kind = Text(action, "kind");
        if (kind is not (PlanWork.ItemKind or PlanWork.DeliverableKind) || !Guid.TryParse(Text(action, "id"), out var id))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card does not say which item to tick.");
        }
        var outcome = await onboarding.CompleteAsync(turn.Caller, kind, id, AuditSource.Card, cancellationToken);
        return AdaptiveCardInvokeResponse.Card(Render(outcome));
    }

    public async Task<AdaptiveCardInvokeResponse> ConfirmPhaseAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Text(action, "phaseId"), out var phaseId))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card does not say which phase to confirm.");
        }
        var result = await confirmations.ConfirmPhaseAsync(turn.Caller, phaseId, Text(action, "reason"), OriginOf(turn), cancellationToken);
        return AdaptiveCardInvokeResponse.Card(result.Card);
    }

    public async Task<AdaptiveCardInvokeResponse> ConfirmHandoffAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Text(action, "planId"), out var planId))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card does not say which plan to hand off.");
        }
        var result = await confirmations.ConfirmHandoffAsync(turn.Caller, planId, OriginOf(turn), cancellationToken);
        return AdaptiveCardInvokeResponse.Card(result.Card);
    }

    public async Task<AdaptiveCardInvokeResponse> ApproveStatusUpdateAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Text(action, "planId"), out var planId)
            || !DateOnly.TryParseExact(Text(action, "weekOf"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var weekOf))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card does not say which status update to approve.");
        }
        var result = await statusUpdates.ApproveAsync(turn.Caller, planId, weekOf, Text(action, "recipients"), OriginOf(turn), cancellationToken);
        return AdaptiveCardInvokeResponse.Card(result.Card);
    }

    private Task ReplyAsync(TurnContext turn, OnboardingOutcome outcome, CancellationToken cancellationToken) =>
        turn.ReplyCardAsync(Render(outcome), cancellationToken);

    private JsonObject Render(OnboardingOutcome outcome) => outcome switch
    {
        OnboardingOutcome.Done done => cards.Render("message", new { title = "Onboarding", text = done.Message, style = "good" }),
        OnboardingOutcome.Refused refused => cards.Render("message", new { title = "Not done", text = refused.Message, style = "warning" }),
        OnboardingOutcome.PickOne pick => cards.Render("checklist", new
        {
            title = "Which one is done?",
            intro = $"\"{pick.Query}\" matches {pick.Matches.Count} open items. Tick the one you finished.",
            items = pick.Matches.Select(m => new
            {
                kind = m.Kind,
                id = m.Id,
                title = m.Title,
                customer = m.Customer,
                due = m.Due is { } due ? due.ToString("d MMM", CultureInfo.InvariantCulture) : "no due date",
            }),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    // Invokes carry the card's message id in replyToId: the update for everyone else targets that message.
    private static CardOrigin OriginOf(TurnContext turn) => new(turn.Activity.Conversation?.Id, turn.Activity.ReplyToId);

    private static string? Text(AdaptiveCardInvokeAction action, string name) =>
        action.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
