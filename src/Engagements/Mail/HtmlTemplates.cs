using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace Engagements.Mail;

/// <summary>
/// Email bodies from templates/*.html (embedded). `{{name}}` placeholders are filled with HTML-encoded values, so a
/// customer or engineer name can never inject markup; a placeholder without a value is an error, not a silent gap.
/// </summary>
public static partial class HtmlTemplates
{
    private static readonly ConcurrentDictionary<string, string> Loaded = new();

    public static string Render(string name, IReadOnlyDictionary<string, string?> values)
    {
        var template = Loaded.GetOrAdd(name, Load);
        return Placeholder().Replace(template, match =>
            values.TryGetValue(match.Groups["name"].Value, out var value)
                ? WebUtility.HtmlEncode(value ?? "")
                : throw new KeyNotFoundException($"templates/{name}.html needs a value for {{{{{match.Groups["name"].Value}}}}}"));
    }

    private static string Load(string name)
    {
        using var stream = typeof(HtmlTemplates).Assembly.GetManifestResourceStream($"templates/{name}.html")
            ?? throw new ArgumentException($"No email template templates/{name}.html", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{(?<name>[A-Za-z][A-Za-z0-9]*)\}\}")]
    private static partial Regex Placeholder();
}
