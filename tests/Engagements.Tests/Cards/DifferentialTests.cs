using System.Text.Json.Nodes;
using Engagements.Cards;

namespace Engagements.Tests.Cards;

// Our binder against the official adaptivecards-templating 2.3.1, on every shipped card with each sample and on
// synthetic templates covering every construct the binder supports. One Node process serves the whole class.
public class DifferentialTests
{
    static readonly Lazy<Dictionary<string, OfficialAdaptiveCards.Result>> Official = new(() =>
        OfficialAdaptiveCards.Expand(ShippedCases().Concat(SyntheticCases())));

    static readonly CardCatalog Catalog = new();

    const string SyntheticData = """
        {
          "s": "hi", "n": 3, "f": 1.5, "big": 1234567.891, "neg": -3.14159, "zero": 0, "blank": "", "t": true, "fa": false,
          "nul": null, "o": { "a": 1, "b": { "c": "x" } }, "strs": ["x", "y"], "empty": [],
          "arr": [ { "name": "a", "v": 1, "tags": ["p"] }, { "name": "b", "v": 2, "tags": [] } ],
          "inj": "${s} and ${$root.o.a}", "link": "see [docs](https://evil.example) now", "Mixed": { "Case": "mc" }
        }
        """;

    // name → template; every template is bound to SyntheticData.
    static readonly Dictionary<string, string> Synthetic = new()
    {
        ["typed-values"] = """{"s":"${s}","n":"${n}","f":"${f}","o":"${o}","arr":"${strs}","t":"${t}","nul":"${nul}","c":"${o.b.c}"}""",
        ["interpolation"] = """{"a":"x ${n} ${f} ${t} ${fa} ${strs} ${o.b.c}","b":"${s}${n}","c":"$${s}","d":"${","e":"x ${ s } y","f":"${s}}"}""",
        ["js-number-text"] = """{"a":"${big} ${neg} ${zero}"}""",
        ["literals"] = """{"a":"${5}","b":"${'lit'}","c":"x ${\"dq\"} ${2.50}","d":"${true}"}""",
        ["missing"] = """{"a":"${missing}","b":"x ${missing} y ${o.zz}","c":"${arr[5].name}","d":"${$index}","e":"${o['nope']}","f":"x ${arr[5].name}"}""",
        ["paths"] = """{"a":"${arr[1].name}","b":"${o['a']}","c":"${mixed.case}","d":"${$root.s}","e":"${$data.n}","f":"${arr[zero].name}"}""",
        ["data-array"] = """{"items":[{"$data":"${arr}","k":"${name}","i":"${$index}","r":"${$root.s}"},{"last":true}]}""",
        ["data-array-as-property"] = """{"p":{"$data":"${arr}","k":"${name}"},"one":{"$data":"${strs}","v":"${$data}"}}""",
        ["data-empty"] = """{"items":[{"$data":"${empty}","k":1}],"p":{"$data":"${empty}","k":1}}""",
        ["data-object"] = """{"items":[{"$data":"${o}","k":"${a} ${b.c} ${$root.s}","idx":"${$index}"}]}""",
        ["data-literal"] = """{"items":[{"$data":[{"x":1},{"x":2}],"k":"${x}"}]}""",
        ["data-nested"] = """{"items":[{"$data":"${arr}","tags":[{"$data":"${tags}","t":"${$data}-${$index}"}],"outer":"${$index}","all":[{"$data":"${$root.strs}","q":"${$data}${$index}"}]}]}""",
        ["data-strings"] = """{"items":[{"$data":"${strs}","k":"${$data}","i":"${$index}"}]}""",
        ["data-missing"] = """{"items":[{"$data":"${missing}","k":"${s}"}]}""",
        ["when-basic"] = """{"items":[{"$when":"${t}","k":1},{"$when":"${fa}","k":2},{"$when":"${s}","k":3},{"$when":"${n}","k":4},{"$when":"${missing}","k":5},{"$when":"${!missing}","k":6},{"$when":"${!zero}","k":7},{"$when":"${!blank}","k":8}]}""",
        ["when-functions"] = """{"items":[{"$when":"${equals(s, 'hi')}","k":1},{"$when":"${equals(n, '3')}","k":2},{"$when":"${not(fa)}","k":3},{"$when":"${and(t, s, n)}","k":4},{"$when":"${or(nul, zero)}","k":5},{"$when":"${or(fa, nul)}","k":6},{"$when":"${greater(n, 2)}","k":7},{"$when":"${less(n, 2.5)}","k":8},{"$when":"${greater(s, 'a')}","k":9},{"$when":"${greater(count(arr), 1)}","k":10},{"$when":"${empty(empty)}","k":11},{"$when":"${!empty(arr)}","k":12},{"$when":"${empty(missing)}","k":13},{"$when":"${empty(zero)}","k":14},{"$when":"${equals(missing, null)}","k":15},{"$when":"${greater(s, 1)}","k":16},{"$when":"${equals(o, o)}","k":17},{"$when":"${count(arr)}","k":18},{"$when":"${greater(missing, 1)}","k":19}]}""",
        ["when-operators"] = """{"items":[{"$when":"${n == 3}","k":1},{"$when":"${s != 'hi'}","k":2},{"$when":"${n > 2 && f < 2}","k":3},{"$when":"${fa || n >= 3}","k":4},{"$when":"${!(n <= 2)}","k":5},{"$when":"${equals(o.b.c, 'x') && !empty(strs)}","k":6}]}""",
        ["when-literals"] = """{"items":[{"$when":true,"k":1},{"$when":false,"k":2},{"$when":"true","k":3},{"$when":"","k":4},{"$when":"x ${t}","k":5}],"p":{"$when":"${fa}","k":1}}""",
        ["when-with-data"] = """{"items":[{"$data":"${arr}","$when":"${greater(v, 1)}","k":"${name}"},{"$data":"${arr}","$when":"${!empty(tags)}","k":"${name}"}]}""",
        ["functions-in-bindings"] = """{"a":"${count(arr)}","b":"${count(s)}","c":"n=${count(strs)}","d":"${empty(blank)}","e":"${formatNumber(big, 2)}","f":"${formatNumber(neg, 2)}","g":"${formatNumber(n, 0)}","h":"${if(t, s, 'no')}","i":"${if(missing, 'yes', 'no')}","j":"${equals(n, 3)}","k":"${count(missing)}","l":"${formatNumber(f, 0)}"}""",
        ["arrays-flatten"] = """{"a":[["${s}"], null, "${strs}", "${nul}", 1],"b":["${o}"]}""",
        ["reserved-keys"] = """{"$root":1,"$index":2,"$host":3,"keep":"${s}","${s}":"key"}""",
        ["user-text"] = """{"a":"${inj}","b":"say ${inj}","c":"${link}","d":"x ${link}"}""",
    };

    public static TheoryData<string> SampleNames => [.. CardFiles.AllSamples.Select(s => s.Sample)];

    public static TheoryData<string> SyntheticNames => [.. Synthetic.Keys];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Shipped_card_binds_exactly_like_the_official_templating(string sample)
    {
        var (card, _, data) = CardFiles.AllSamples.Single(s => s.Sample == sample);

        AssertSame(sample, Catalog.Render(card, data));
    }

    [Theory]
    [MemberData(nameof(SyntheticNames))]
    public void Synthetic_template_binds_exactly_like_the_official_templating(string name)
    {
        AssertSame("synthetic/" + name, CardBinder.Bind(JsonNode.Parse(Synthetic[name])!, JsonNode.Parse(SyntheticData)));
    }

    static void AssertSame(string name, JsonNode? ours)
    {
        var official = Official.Value[name];
        Assert.True(official.Error is null, $"{name}: the official engine failed: {official.Error}");
        Assert.True(JsonNode.DeepEquals(official.Card, ours),
            $"{name} differs.\nofficial: {OfficialAdaptiveCards.Show(official.Card)}\nours: {OfficialAdaptiveCards.Show(ours)}");
    }

    // The official side gets the data exactly as our binder sees it (after link neutralisation), so the
    // comparison is about templating semantics alone.
    static IEnumerable<OfficialAdaptiveCards.Case> ShippedCases() =>
        CardFiles.AllSamples.Select(s => new OfficialAdaptiveCards.Case(s.Sample, CardFiles.Read(s.Card), CardBinder.PrepareData(s.Data)));

    static IEnumerable<OfficialAdaptiveCards.Case> SyntheticCases() =>
        Synthetic.Select(p => new OfficialAdaptiveCards.Case("synthetic/" + p.Key, JsonNode.Parse(p.Value)!, CardBinder.PrepareData(JsonNode.Parse(SyntheticData))));
}
