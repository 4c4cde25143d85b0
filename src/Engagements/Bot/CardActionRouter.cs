using Engagements.Alerts;
using Engagements.BotFramework.Schema;

namespace Engagements.Bot;

/// <summary>The one switch on Action.Execute verbs. Every handler is idempotent: Teams retries slow invokes with the same id.</summary>
public sealed class CardActionRouter(AlertActions alerts)
{
    public Task<AdaptiveCardInvokeResponse> RunAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        action.Verb switch
        {
            AlertActions.AcknowledgeVerb => alerts.AcknowledgeAsync(turn, action, cancellationToken),
            AlertActions.SnoozeVerb => alerts.SnoozeAsync(turn, action, cancellationToken),
            _ => Task.FromResult(AdaptiveCardInvokeResponse.Error(400, "UnknownVerb", $"This card action ('{action.Verb}') is not something I handle.")),
        };
}
