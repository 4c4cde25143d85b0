using System.Collections.Concurrent;
using Engagements.BotFramework.Hosting;
using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Tests.Hosting;

public sealed class RecordingBot : IBot
{
    public ConcurrentQueue<Activity> Turns { get; } = new();

    public Func<Activity, InvokeResponse?> Respond { get; set; } = _ => null;

    public Task<InvokeResponse?> OnTurnAsync(Activity activity, CancellationToken cancellationToken)
    {
        Turns.Enqueue(activity);
        return Task.FromResult(Respond(activity));
    }
}
