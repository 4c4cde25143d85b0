using Engagements.BotFramework.Schema;
using Engagements.Onboarding;

namespace Engagements.Bot;

/// <summary>The one switch on Action.Execute verbs. Every handler is idempotent: Teams retries slow invokes with the same id.</summary>
public sealed class CardActionRouter(OnboardingTurns onboarding)
{
    public Task<AdaptiveCardInvokeResponse> RunAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        action.Verb switch
        {
            OnboardingTurns.TickItemVerb => onboarding.TickItemAsync(turn, action, cancellationToken),
            OnboardingTurns.ConfirmPhaseVerb => onboarding.ConfirmPhaseAsync(turn, action, cancellationToken),
            OnboardingTurns.ConfirmHandoffVerb => onboarding.ConfirmHandoffAsync(turn, action, cancellationToken),
            OnboardingTurns.ApproveStatusUpdateVerb => onboarding.ApproveStatusUpdateAsync(turn, action, cancellationToken),
            _ => Task.FromResult(AdaptiveCardInvokeResponse.Error(400, "UnknownVerb", $"This card action ('{action.Verb}') is not something I handle.")),
        };
}
