using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.Cards;

// The subset of Adaptive Expressions our cards use, with the semantics of adaptivecards-templating 2.3.1
// (adaptive-expressions 4.23): paths, literals, ! == != < > <= >= && || and the functions in Call().
// Two evaluation modes, as in the official engine: plain bindings substitute an undefined path with the
// literal text "${path}", while conditions ($when, and/or/not, comparisons, if) see it as undefined.
internal abstract record Expr(string Source);

internal sealed record Literal(JsonNode? Value, string Source) : Expr(Source);

internal sealed record PathExpr(string Head, IReadOnlyList<object> Steps, string Source) : Expr(Source);

internal sealed record Call(string Name, IReadOnlyList<Expr> Args, string Source) : Expr(Source);

// An interpolated template string: literal text and ${...} expressions in order.
internal sealed record TemplateString(IReadOnlyList<object> Parts)
{
    public Expr? Whole => Parts is [Expr e] && e is not Literal ? e : null;
}

internal readonly record struct Value(JsonNode? Node, bool Defined)
{
    public static readonly Value Undefined = new(null, false);
    public static Value Of(JsonNode? node) => new(node, true);
    public static Value Of(bool b) => new(JsonValue.Create(b), true);
    public static Value Of(double d) => new(JsonValue.Create(d), true);
    public static Value Of(string s) => new(JsonValue.Create(s), true);
    public JsonValueKind Kind => Node?.GetValueKind() ?? JsonValueKind.Null;
    public bool IsNullish => !Defined || Node is null;
    public bool Truthy => Kind == JsonValueKind.False ? false : !IsNullish; // AEL isLogicTrue: 0 and "" are true
}

internal sealed record Scope(JsonNode? Root, JsonNode? Data, int? Index);

internal sealed class ExpressionException(string message) : Exception(message);

internal static class CardExpression
{
    static readonly ConcurrentDictionary<string, TemplateString?> Cache = new();

    // Null when the string holds no ${ at all, so it is copied as is.
    public static TemplateString? ParseTemplate(string text) => Cache.GetOrAdd(text, static t =>
    {
        if (!t.Contains("${", StringComparison.Ordinal)) return null;
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < t.Length)
        {
            var end = t[i] == '$' && i + 1 < t.Length && t[i + 1] == '{' ? FindClose(t, i + 2) : -1;
            if (end < 0) { literal.Append(t[i++]); continue; }
            if (literal.Length > 0) { parts.Add(literal.ToString()); literal.Clear(); }
            parts.Add(new Parser(t[(i + 2)..end]).ParseAll());
            i = end + 1;
        }
        if (literal.Length > 0) parts.Add(literal.ToString());
        return new TemplateString(parts);
    });

    static int FindClose(string t, int from)
    {
        char quote = '\0';
        var depth = 0;
        for (var i = from; i < t.Length; i++)
        {
            var c = t[i];
            if (quote != '\0') { if (c == '\\') i++; else if (c == quote) quote = '\0'; }
            else if (c is '\'' or '"') quote = c;
            else if (c == '{') depth++;
            else if (c == '}' && depth-- == 0) return i;
        }
        return -1;
    }

    public static Value Evaluate(Expr e, Scope s, bool substitute) => e switch
    {
        Literal l => Value.Of(l.Value?.DeepClone()),
        PathExpr p => Resolve(p, s, substitute),
        Call c => Call(c, s, substitute),
        _ => throw new ExpressionException($"Unsupported expression {e.Source}"),
    };

    // Conditions never throw: a failing expression is simply not true.
    public static bool IsTrue(Expr e, Scope s)
    {
        try { var v = Evaluate(e, s, substitute: false); return v.Kind == JsonValueKind.True; }
        catch (ExpressionException) { return false; }
    }

    static Value Resolve(PathExpr p, Scope s, bool substitute)
    {
        var path = new StringBuilder(p.Head);
        Value current = p.Head.ToLowerInvariant() switch
        {
            "$root" => Value.Of(s.Root),
            "$data" => Value.Of(s.Data),
            "$index" => s.Index is { } i ? Value.Of(i) : Value.Undefined,
            _ when p.Head.StartsWith('$') => Value.Undefined,
            _ => Property(s.Data, p.Head),
        };
        var endsWithIndex = false;
        foreach (var step in p.Steps)
        {
            endsWithIndex = step is Expr;
            if (step is string name) { path.Append('.').Append(name); current = current.Defined ? Property(current.Node, name) : current; continue; }
            var key = Evaluate((Expr)step, s, substitute);
            if (key.Kind == JsonValueKind.Number)
            {
                var index = (int)key.Node!.GetValue<double>();
                path.Append('[').Append(index).Append(']');
                current = current.Node switch
                {
                    JsonArray a when index >= 0 && index < a.Count => Value.Of(a[index]),
                    JsonArray when step == p.Steps[^1] => throw new ExpressionException($"{index} is out of range"),
                    JsonArray => Value.Undefined,
                    _ => current.Defined ? Property(current.Node, index.ToString(CultureInfo.InvariantCulture)) : current,
                };
            }
            else if (key.Kind == JsonValueKind.String)
            {
                var k = key.Node!.GetValue<string>();
                path.Append("['").Append(k).Append("']");
                current = current.Defined ? Property(current.Node, k) : current;
            }
            else throw new ExpressionException($"{step} doesn't return an int or string");
        }
        // AEL folds a path ending in a name into one lookup, which substitutes; a trailing [index] is an
        // element access, which doesn't.
        return current.Defined || !substitute || endsWithIndex ? current : Value.Of("${" + path + "}");
    }

    // AEL matches property names case-insensitively, taking the first key that matches.
    static Value Property(JsonNode? node, string name)
    {
        if (node is not JsonObject o) return Value.Undefined;
        foreach (var (key, value) in o)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return Value.Of(value);
        }
        return Value.Undefined;
    }

    static Value Call(Call c, Scope s, bool substitute)
    {
        var a = c.Args;
        switch (c.Name)
        {
            case "not": return Value.Of(!TryEval(a, 0, s, out var v) || !v.Truthy);
            case "and": return Value.Of(a.All(x => TryEval([x], 0, s, out var r) && r.Truthy));
            case "or":
                var last = Value.Undefined;
                foreach (var x in a)
                {
                    last = TryEval([x], 0, s, out var r) ? r : Value.Undefined;
                    if (last.Truthy) return Value.Of(true);
                }
                return last; // AEL quirk: when nothing is true, or() yields its last operand's value
            case "if":
                Arity(c, 3);
                return Evaluate(a[TryEval(a, 0, s, out var cond) && cond.Truthy ? 1 : 2], s, substitute);
            case "equals": case "notEquals":
                Arity(c, 2);
                if (!TryEval(a, 0, s, out var l) || !TryEval(a, 1, s, out var r2)) return Value.Of(false);
                return Value.Of(DeepEquals(l, r2) == (c.Name == "equals"));
            case "greater": case "less": case "greaterOrEquals": case "lessOrEquals":
                Arity(c, 2);
                if (!TryEval(a, 0, s, out var x1) || !TryEval(a, 1, s, out var x2) || x1.IsNullish || x2.IsNullish) return Value.Of(false);
                var cmp = (x1.Kind, x2.Kind) switch
                {
                    (JsonValueKind.Number, JsonValueKind.Number) => x1.Node!.GetValue<double>().CompareTo(x2.Node!.GetValue<double>()),
                    (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(x1.Node!.GetValue<string>(), x2.Node!.GetValue<string>()),
                    _ => throw new ExpressionException($"{c.Source}: operands must be comparable"),
                };
                return Value.Of(c.Name switch { "greater" => cmp > 0, "less" => cmp < 0, "greaterOrEquals" => cmp >= 0, _ => cmp <= 0 });
            case "empty":
                Arity(c, 1);
                if (!TryEval(a, 0, s, out var e)) return Value.Of(false);
                return Value.Of(e.Node switch
                {
                    null => true,
                    JsonArray arr => arr.Count == 0,
                    JsonObject obj => obj.Count == 0,
                    _ when e.Kind == JsonValueKind.String => e.Node.GetValue<string>().Length == 0,
                    _ => false, // AEL: a number or boolean fails verification, which a comparison turns into false
                });
            case "count":
                Arity(c, 1);
                var n = Evaluate(a[0], s, substitute);
                return Value.Of(n.Node switch
                {
                    JsonArray arr => arr.Count,
                    JsonObject obj => obj.Count,
                    JsonValue str when n.Kind == JsonValueKind.String => str.GetValue<string>().Length,
                    _ => throw new ExpressionException($"{c.Source}: not a string, list or object"),
                });
            case "formatNumber":
                if (a.Count is < 2 or > 3) Arity(c, 2);
                var number = Evaluate(a[0], s, substitute);
                var digits = Evaluate(a[1], s, substitute);
                if (number.Kind != JsonValueKind.Number || digits.Kind != JsonValueKind.Number) throw new ExpressionException($"{c.Source}: not a number");
                return Value.Of(FormatNumber(number.Node!.GetValue<double>(), (int)digits.Node!.GetValue<double>()));
            default:
                throw new ExpressionException($"Unknown function {c.Name}");
        }
    }

    static void Arity(Call c, int n)
    {
        if (c.Args.Count != n) throw new ExpressionException($"{c.Name} expects {n} arguments");
    }

    // Logical functions and comparisons evaluate their operands without substitution and swallow their errors.
    static bool TryEval(IReadOnlyList<Expr> args, int i, Scope s, out Value v)
    {
        try { v = Evaluate(args[i], s, substitute: false); return true; }
        catch (ExpressionException) { v = Value.Undefined; return false; }
    }

    static bool DeepEquals(Value l, Value r) =>
        l.IsNullish || r.IsNullish ? l.IsNullish && r.IsNullish
        : l.Kind == JsonValueKind.Number && r.Kind == JsonValueKind.Number ? Math.Abs(l.Node!.GetValue<double>() - r.Node!.GetValue<double>()) < double.Epsilon
        : JsonNode.DeepEquals(l.Node, r.Node);

    // d3-format ",.Nf" after Math.round, as AEL does: grouping, fixed decimals, U+2212 for negatives.
    static string FormatNumber(double value, int digits)
    {
        var scale = Math.Pow(10, digits);
        var rounded = Math.Floor(value * scale + 0.5) / scale;
        var text = Math.Abs(rounded).ToString("N" + digits, CultureInfo.InvariantCulture);
        return rounded < 0 && text.Any(ch => ch is >= '1' and <= '9') ? "\u2212" + text : text;
    }

    // JavaScript's String(value), which the official engine uses when it interpolates.
    public static string ToJsString(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Join(",", a.Select(ToJsString)),
        JsonObject => "[object Object]",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => JsNumber(node.GetValue<double>()),
            JsonValueKind.True => "true",
            _ => "false",
        },
    };

    static string JsNumber(double d)
    {
        if (d == 0) return "0";
        if (!double.IsFinite(d)) return double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture).Split('E');
        var mantissa = r[0];
        var point = (mantissa.IndexOf('.') is var dot && dot >= 0 ? dot : mantissa.Length) + (r.Length > 1 ? int.Parse(r[1], CultureInfo.InvariantCulture) : 0);
        var digitsText = mantissa.Replace(".", "", StringComparison.Ordinal);
        var trimmed = digitsText.TrimStart('0');
        point -= digitsText.Length - trimmed.Length;
        var ds = trimmed.TrimEnd('0');
        var sign = d < 0 ? "-" : "";
        if (point is > 0 and <= 21) return sign + (ds.Length <= point ? ds + new string('0', point - ds.Length) : ds[..point] + "." + ds[point..]);
        if (point is > -6 and <= 0) return sign + "0." + new string('0', -point) + ds;
        var exp = point - 1;
        return sign + ds[..1] + (ds.Length > 1 ? "." + ds[1..] : "") + "e" + (exp >= 0 ? "+" : "-") + Math.Abs(exp);
    }

    // Recursive descent: or > and > equality > relational > unary ! > postfix path/call > primary.
    sealed class Parser(string text)
    {
        int pos;

        public Expr ParseAll()
        {
            var e = Or();
            Skip();
            if (pos != text.Length) throw Error("unexpected text");
            return e;
        }

        Expr Or() => Binary(And, ("||", "or"));
        Expr And() => Binary(Equality, ("&&", "and"));
        Expr Equality() => Binary(Relational, ("==", "equals"), ("!=", "notEquals"));
        Expr Relational() => Binary(Unary, (">=", "greaterOrEquals"), ("<=", "lessOrEquals"), (">", "greater"), ("<", "less"));

        Expr Binary(Func<Expr> next, params (string Op, string Fn)[] ops)
        {
            var start = pos;
            var left = next();
            while (true)
            {
                Skip();
                var match = ops.FirstOrDefault(o => string.CompareOrdinal(text, pos, o.Op, 0, o.Op.Length) == 0);
                if (match.Op is null) return left;
                pos += match.Op.Length;
                var right = next();
                left = new Call(match.Fn, [left, right], text[start..pos].Trim());
            }
        }

        Expr Unary()
        {
            Skip();
            var start = pos;
            if (Eat('!')) { var operand = Unary(); return new Call("not", [operand], text[start..pos].Trim()); }
            return Postfix();
        }

        Expr Postfix()
        {
            var start = pos;
            var c = Peek();
            if (Eat('('))
            {
                var inner = Or();
                Skip();
                return Eat(')') ? inner : throw Error("expected )");
            }
            if (c is '\'' or '"') return new Literal(JsonValue.Create(ReadString(c)), text[start..pos]);
            if (char.IsAsciiDigit(c))
            {
                while (char.IsAsciiDigit(Peek()) || Peek() == '.') pos++;
                return new Literal(JsonValue.Create(double.Parse(text[start..pos], CultureInfo.InvariantCulture)), text[start..pos]);
            }
            var name = ReadIdentifier();
            switch (name)
            {
                case "true" or "false": return new Literal(JsonValue.Create(name == "true"), name);
                case "null": return new Literal(null, name);
            }
            Skip();
            if (Eat('('))
            {
                var args = new List<Expr>();
                Skip();
                if (!Eat(')'))
                {
                    do { args.Add(Or()); Skip(); } while (Eat(','));
                    if (!Eat(')')) throw Error("expected )");
                }
                return new Call(name, args, text[start..pos].Trim());
            }
            var steps = new List<object>();
            while (true)
            {
                if (Eat('.')) steps.Add(ReadIdentifier());
                else if (Eat('[')) { steps.Add(Or()); Skip(); if (!Eat(']')) throw Error("expected ]"); }
                else return new PathExpr(name, steps, text[start..pos].Trim());
            }
        }

        string ReadIdentifier()
        {
            Skip();
            var start = pos;
            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() is '_' or '$') pos++;
            return pos > start ? text[start..pos] : throw Error("expected a name");
        }

        string ReadString(char quote)
        {
            var sb = new StringBuilder();
            pos++;
            while (pos < text.Length && text[pos] != quote)
            {
                if (text[pos] == '\\' && pos + 1 < text.Length) pos++;
                sb.Append(text[pos++]);
            }
            if (!Eat(quote)) throw Error("unterminated string");
            return sb.ToString();
        }

        char Peek() => pos < text.Length ? text[pos] : '\0';
        bool Eat(char c) { if (Peek() != c) return false; pos++; return true; }
        void Skip() { while (char.IsWhiteSpace(Peek())) pos++; }
        CardTemplateException Error(string what) => new($"Invalid expression ${{{text}}} at {pos}: {what}");
    }
}

public sealed class CardTemplateException(string message) : Exception(message);
