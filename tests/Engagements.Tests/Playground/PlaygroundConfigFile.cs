using System.Text.RegularExpressions;

namespace Engagements.Tests.Playground;

/// <summary>The mock tenant's users as playground/.m365agentsplayground.yml declares them: the current user and the others.</summary>
public static partial class PlaygroundConfigFile
{
    public sealed record User(string Name, string TeamsId, string AadObjectId);

    public static IReadOnlyList<User> Users()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "playground", ".m365agentsplayground.yml"));
        // The file has two shapes: "currentUser:" with one "key: value" per indented line, and "users:" with one
        // flow mapping per line ("- { id: ..., name: ..., aadObjectId: ... }").
        var current = lines.SkipWhile(l => l != "currentUser:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal));
        var others = lines.SkipWhile(l => l != "users:").Skip(1).TakeWhile(l => l.StartsWith("  - {", StringComparison.Ordinal));
        return [UserFrom(string.Join(", ", current)), .. others.Select(UserFrom)];
    }

    private static User UserFrom(string text)
    {
        var fields = Field().Matches(text).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Trim().Trim('"'));
        return new User(fields["name"], fields["id"], fields["aadObjectId"]);
    }

    [GeneratedRegex("""(?<key>[A-Za-z]+):\s*(?<value>"[^"]*"|[^,}]+)""")]
    private static partial Regex Field();
}
