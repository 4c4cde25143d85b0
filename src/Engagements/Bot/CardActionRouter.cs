using Engagements.BotFramework.Schema;
using Engagements.Standup;

namespace Engagements.Bot;

/// <summary>The one switch on Action.Execute verbs. Every handler is idempotent: Teams retries slow invokes with the same id.</summary>
public sealed class CardActionRouter(StandupCommands standup)
{
    public Task<AdaptiveCardInvokeResponse> RunAsync(TurnContext turn, AdaptiveCardInvokeAction action, CancellationToken cancellationToken) =>
        action.Verb switch
        {
            StandupCommands.PickCustomerVerb => standup.PickCustomerAsync(turn, action.Data, cancellationToken),
            StandupCommands.PickDeliverableVerb => standup.PickDeliverableAsync(turn, action.Data, cancellationToken),
            _ => Task.FromResult(AdaptiveCardInvokeResponse.Error(400, "UnknownVerb", $"This card action ('{action.Verb}') is not something I handle.")),
        };
}
