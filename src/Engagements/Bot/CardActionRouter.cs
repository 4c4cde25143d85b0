using Engagements.AccountAccess;
using Engagements.Alerts;
using Engagements.Assignments;
using Engagements.BotFramework.Schema;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.PostClose;
using Engagements.Standup;

namespace Engagements.Bot;

/// <summary>The one switch on Action.Execute verbs. Every handler is idempotent: Teams retries slow invokes with the same id.</summary>
public sealed class CardActionRouter(
    AssignmentService assignments,
    NewEngagementForm newEngagement,
    AccountAccessCommands accountAccess,
    StandupCommands standup,
    OnboardingTurns onboarding,
    PostCloseService postClose,
    AlertActions alerts)
{
    public Task<AdaptiveCardInvokeResponse> RunAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        action.Verb switch
        {
            AssignmentService.ApproveVerb or AssignmentService.RejectVerb => assignments.DecideAsync(
                turn.Caller, action.Verb, action.Data, turn.Activity.Conversation?.Id, turn.Activity.ReplyToId, cancellationToken),
            PostCloseService.TickVerb => postClose.TickAsync(
                turn.Caller, action.Data, new CardOrigin(turn.Activity.Conversation?.Id, turn.Activity.ReplyToId), cancellationToken),
            NewEngagementForm.Verb => newEngagement.SubmitAsync(turn.Caller, action.Data, cancellationToken),
            "reportAccount" => accountAccess.ReportAccountAsync(turn, action.Data, cancellationToken),
            "ticketFiled" => accountAccess.TicketFiledAsync(turn, action.Data, cancellationToken),
            "sendAccountFollowUp" => accountAccess.SendAccountFollowUpAsync(turn, action.Data, cancellationToken),
            "showAccessList" => accountAccess.ShowAccessListAsync(turn, action.Data, cancellationToken),
            "editAccessEntry" => accountAccess.EditAccessEntryAsync(turn, action.Data, cancellationToken),
            "saveAccessEntry" => accountAccess.SaveAccessEntryAsync(turn, action.Data, cancellationToken),
            StandupCommands.PickCustomerVerb => standup.PickCustomerAsync(turn, action.Data, cancellationToken),
            StandupCommands.PickDeliverableVerb => standup.PickDeliverableAsync(turn, action.Data, cancellationToken),
            OnboardingTurns.TickItemVerb => onboarding.TickItemAsync(turn, action, cancellationToken),
            OnboardingTurns.ConfirmPhaseVerb => onboarding.ConfirmPhaseAsync(turn, action, cancellationToken),
            OnboardingTurns.ConfirmHandoffVerb => onboarding.ConfirmHandoffAsync(turn, action, cancellationToken),
            OnboardingTurns.ApproveStatusUpdateVerb => onboarding.ApproveStatusUpdateAsync(turn, action, cancellationToken),
            AlertActions.AcknowledgeVerb => alerts.AcknowledgeAsync(turn, action, cancellationToken),
            AlertActions.SnoozeVerb => alerts.SnoozeAsync(turn, action, cancellationToken),
            _ => Task.FromResult(AdaptiveCardInvokeResponse.Error(400, "UnknownVerb", $"This card action ('{action.Verb}') is not something I handle.")),
        };
}
