using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.Cards;

// Expands a card template the way adaptivecards-templating 2.3.1 does (see CardExpression for the
// expression subset). Binding builds JsonNode values, never JSON text, so data can't inject card
// structure; it is a single pass, so "${...}" inside data is never evaluated.
// Deliberate differences from the official engine, which throws in these cases: an expression that
// fails to evaluate is left in the card as its own text, and null interpolates as "".
public static class CardBinder
{
    static readonly HashSet<string> Reserved = ["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"];

    public static JsonNode? Bind(JsonNode template, object? data)
    {
        var root = PrepareData(data);
        return Expand(template, new Scope(root, root, null)).Node;
    }

    // Data is copied through JSON (web defaults) once, and every string in it is made link-safe, so what
    // the card shows is exactly what the expressions saw.
    internal static JsonNode? PrepareData(object? data) =>
        Neutralise(JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(data, JsonSerializerOptions.Web)));

    static JsonNode? Neutralise(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Neutralise(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Neutralise)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(CardText.NeutraliseLinks(v.GetValue<string>())),
        _ => node?.DeepClone(),
    };

    static Value Expand(JsonNode? node, Scope scope) => node switch
    {
        JsonArray a => Value.Of(ExpandArray(a, scope)),
        JsonObject o => ExpandObject(o, scope),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ExpandString(v.GetValue<string>(), scope),
        _ => Value.Of(node?.DeepClone()),
    };

    // Items that expand to null (a false $when, an empty $data) vanish; items that expand to arrays
    // (a repeated element) are spliced in.
    static JsonArray ExpandArray(JsonArray template, Scope scope)
    {
        var result = new JsonArray();
        foreach (var item in template)
        {
            var expanded = Expand(item, scope).Node;
            if (expanded is JsonArray many)
            {
                var items = many.ToList();
                many.Clear();
                items.ForEach(result.Add);
            }
            else if (expanded is not null) result.Add(expanded);
        }
        return result;
    }

    static Value ExpandObject(JsonObject template, Scope scope)
    {
        var contexts = new List<Scope>();
        if (!template.TryGetPropertyValue("$data", out var dataTemplate)) contexts.Add(scope);
        else
        {
            var data = dataTemplate is JsonValue v && v.GetValueKind() == JsonValueKind.String && CardExpression.ParseTemplate(v.GetValue<string>()) is { } t
                ? Evaluate(t, scope)
                : Value.Of(dataTemplate);
            if (data.Node is JsonArray items) contexts.AddRange(items.Select((item, i) => scope with { Data = item, Index = i }));
            else contexts.Add(data.Defined ? scope with { Data = data.Node } : scope);
        }

        var results = new List<JsonNode>();
        foreach (var context in contexts)
        {
            if (template.TryGetPropertyValue("$when", out var when) && !IsTrue(when, context)) continue;
            var result = new JsonObject();
            foreach (var (key, value) in template)
            {
                if (Reserved.Contains(key)) continue;
                var expanded = Expand(value, context);
                if (expanded.Defined) result[key] = expanded.Node;
            }
            results.Add(result);
        }
        return Value.Of(results.Count switch { 0 => null, 1 => results[0], _ => new JsonArray([.. results]) });
    }

    // The official engine keeps an element only when $when is an expression that yields exactly true;
    // a $when that is not an expression drops the element when it is JavaScript-truthy.
    static bool IsTrue(JsonNode? when, Scope scope)
    {
        if (when is JsonValue v && v.GetValueKind() == JsonValueKind.String && CardExpression.ParseTemplate(v.GetValue<string>()) is { } t)
        {
            return t.Whole is { } e && CardExpression.IsTrue(e, scope);
        }
        return when?.GetValueKind() switch
        {
            null or JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.Number => when.GetValue<double>() == 0,
            JsonValueKind.String => when.GetValue<string>().Length == 0,
            _ => false,
        };
    }

    static Value ExpandString(string text, Scope scope) =>
        CardExpression.ParseTemplate(text) is { } t ? Evaluate(t, scope) : Value.Of(JsonValue.Create(text));

    static Value Evaluate(TemplateString t, Scope scope)
    {
        if (t.Whole is { } whole)
        {
            try
            {
                var v = CardExpression.Evaluate(whole, scope, substitute: true);
                return v with { Node = v.Node?.DeepClone() };
            }
            catch (ExpressionException)
            {
                return Value.Of("${" + whole.Source + "}");
            }
        }
        var text = new StringBuilder();
        foreach (var part in t.Parts)
        {
            if (part is string s) { text.Append(s); continue; }
            var e = (Expr)part;
            try { text.Append(CardExpression.ToJsString(CardExpression.Evaluate(e, scope, substitute: true).Node)); }
            catch (ExpressionException) { text.Append("${").Append(e.Source).Append('}'); }
        }
        return Value.Of(text.ToString());
    }
}
