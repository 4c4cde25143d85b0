using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Hosting;

/// <summary>The application side of a turn. Called only for activities that passed authentication.</summary>
public interface IBot
{
    /// <summary>Handles one activity. For invokes, the returned response becomes the HTTP answer (null → 501, as the SDK does).</summary>
    Task<InvokeResponse?> OnTurnAsync(Activity activity, CancellationToken cancellationToken);
}
