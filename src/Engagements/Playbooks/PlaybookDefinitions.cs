using System.Text.Json;

namespace Engagements.Playbooks;

// templates/playbooks.json, embedded in the app. A playbook fires for a customer when every condition of its trigger
// holds, runs its actions in order, and is limited to once (per customer, engagement or product version) or to N
// runs in any D days.
public sealed record PlaybookFile(List<PlaybookDefinition> Playbooks);

public sealed record PlaybookDefinition(
    string Id, string Name, string? Description, PlaybookTrigger Trigger, List<PlaybookAction> Actions, PlaybookLimit Limit)
{
    public bool SendsSurvey => Actions.Any(a => a.Survey);

    public bool SendsEmail => Actions.Any(a => a.Type == PlaybookActionTypes.Email);
}

/// <param name="Lifecycle">Stages the customer is in (with a "once" limit this reads as "stage entered").</param>
/// <param name="Event">product-release (a newer version than the customer's is available) or engagement-ending
/// (Renewal:LeadDays before an engagement's end).</param>
public sealed record PlaybookTrigger(DayRange? DaysSinceKickoff = null, List<string>? Lifecycle = null, List<string>? Segment = null, string? Event = null);

public sealed record DayRange(int From, int? To = null)
{
    public bool Contains(int days) => days >= From && (To is null || days <= To);
}

/// <param name="Type">email, card, alert, setLifecycle, setSegment.</param>
/// <param name="To">email: customer (primary contact, with unsubscribe link) or csm.</param>
/// <param name="Roles">card: Csm (the customer's CSM), Manager (the engagement's manager), or any role's holders.</param>
public sealed record PlaybookAction(
    string Type, string? To = null, string? Subject = null, string? Body = null, bool Survey = false,
    List<string>? Roles = null, string? Title = null, string? Text = null, string? Stage = null,
    string? Kind = null, string? Severity = null, string? Reason = null);

/// <param name="Per">For once: customer (default), engagement or version.</param>
public sealed record PlaybookLimit(bool Once = false, string? Per = null, int Times = 0, int EveryDays = 0);

public static class PlaybookActionTypes
{
    public const string Email = "email";
    public const string Card = "card";
    public const string Alert = "alert";
    public const string SetLifecycle = "setLifecycle";
    public const string SetSegment = "setSegment";
}

public sealed class PlaybookCatalog
{
    private readonly Lazy<IReadOnlyList<PlaybookDefinition>> playbooks = new(Load);

    public IReadOnlyList<PlaybookDefinition> All => playbooks.Value;

    public static IReadOnlyList<PlaybookDefinition> Parse(Stream json)
    {
        var file = JsonSerializer.Deserialize<PlaybookFile>(json, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("templates/playbooks.json is empty");
        foreach (var playbook in file.Playbooks)
        {
            if (!playbook.Limit.Once && (playbook.Limit.Times <= 0 || playbook.Limit.EveryDays <= 0))
            {
                throw new InvalidOperationException($"Playbook {playbook.Id}: the limit needs once, or times and everyDays");
            }
        }

        return file.Playbooks;
    }

    private static IReadOnlyList<PlaybookDefinition> Load()
    {
        using var stream = typeof(PlaybookCatalog).Assembly.GetManifestResourceStream("templates/playbooks.json")
            ?? throw new InvalidOperationException("templates/playbooks.json is not embedded");
        return Parse(stream);
    }
}
