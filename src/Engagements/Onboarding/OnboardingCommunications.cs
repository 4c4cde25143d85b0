using System.Text.Json;

namespace Engagements.Onboarding;

/// <summary>The communication templates of seed 003 (templates/communications/onboarding.json), filled with {placeholders}.</summary>
public sealed class OnboardingCommunications
{
    private const string Resource = "templates/communications/onboarding.json";

    public OnboardingCommunications()
    {
        using var stream = typeof(OnboardingCommunications).Assembly.GetManifestResourceStream(Resource)
            ?? throw new PlanTemplateException(Resource, "$", "the embedded file is missing.");
        Templates = JsonSerializer.Deserialize<CommunicationTemplates>(stream, JsonSerializerOptions.Web)
            ?? throw new PlanTemplateException(Resource, "$", "the file is empty.");
        if (Templates.WeeklyStatus is null || Templates.MilestoneCelebration is null || Templates.IssueEscalation is null)
        {
            throw new PlanTemplateException(Resource, "weeklyStatus/milestoneCelebration/issueEscalation", "all three templates are required.");
        }
    }

    public CommunicationTemplates Templates { get; }

    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(template, (text, pair) => text.Replace("{" + pair.Key + "}", pair.Value, StringComparison.Ordinal));
}

public sealed class CommunicationTemplates
{
    public List<WelcomeMessage> WelcomeSequence { get; init; } = [];
    public WeeklyStatusTemplate? WeeklyStatus { get; init; }
    public CelebrationTemplate? MilestoneCelebration { get; init; }
    public EscalationTemplate? IssueEscalation { get; init; }
}

public sealed record WelcomeMessage(string Id, int SendOnDay, string Subject, string Body);

public sealed record WeeklyStatusTemplate(string Subject, string Intro, string Outro);

public sealed record CelebrationTemplate(string Text, string NextPhase, string LastPhase);

public sealed record EscalationTemplate(string Text);
