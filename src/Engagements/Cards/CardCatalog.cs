using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Engagements.Cards;

// The card templates embedded from cards/*.json (see Engagements.csproj), parsed once and rendered with data.
public sealed class CardCatalog
{
    const string Prefix = "cards/";
    readonly Assembly assembly;
    readonly ConcurrentDictionary<string, Lazy<JsonObject>> templates = new();

    public CardCatalog() : this(typeof(CardCatalog).Assembly) { }

    internal CardCatalog(Assembly assembly) => this.assembly = assembly;

    public IReadOnlyList<string> Names =>
        [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    // data: a JsonNode, or any object, which is serialised with the web defaults (camelCase).
    public JsonObject Render(string name, object? data) =>
        CardBinder.Bind(Template(name), data) as JsonObject
            ?? throw new CardTemplateException($"Card {name} expanded to nothing; its root must not carry $when or $data");

    internal JsonObject Template(string name) =>
        templates.GetOrAdd(name, n => new Lazy<JsonObject>(() => Load(n))).Value;

    JsonObject Load(string name)
    {
        using var stream = assembly.GetManifestResourceStream(Prefix + name + ".json")
            ?? throw new ArgumentException($"No card template cards/{name}.json", nameof(name));
        var template = JsonNode.Parse(stream) as JsonObject
            ?? throw new CardTemplateException($"cards/{name}.json is not a JSON object");
        Materialise(template);
        return template;
    }

    // JsonNode.Parse builds objects lazily on first read, which is not thread-safe; the shared template is
    // read by concurrent renders, so walk it once while it is still private.
    static void Materialise(JsonNode? node)
    {
        if (node is JsonObject o) foreach (var (_, value) in o) Materialise(value);
        else if (node is JsonArray a) foreach (var item in a) Materialise(item);
        else node?.GetValueKind();
    }
}
