using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Cards;

namespace Engagements.Tests.Cards;

public class CardTemplateTests
{
    const int MaxCardBytes = 28 * 1024;
    static readonly CardCatalog Catalog = new();

    [Theory]
    [MemberData(nameof(CardFiles.NameData), MemberType = typeof(CardFiles))]
    public void Card_is_an_adaptive_card_of_schema_1_5(string card)
    {
        var json = CardFiles.Read(card);

        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)json["$schema"]);
        Assert.Equal("AdaptiveCard", (string?)json["type"]);
        Assert.Equal("1.5", (string?)json["version"]);
    }

    [Theory]
    [MemberData(nameof(CardFiles.NameData), MemberType = typeof(CardFiles))]
    public void Every_Action_Execute_has_a_verb_in_the_template_and_after_binding(string card)
    {
        var template = CardFiles.Read(card);
        Assert.All(ExecuteActions(template), a => Assert.False(string.IsNullOrWhiteSpace((string?)a["verb"]), $"{card}: Action.Execute '{a["title"]}' has no verb"));

        foreach (var sample in CardFiles.AllSamples.Where(s => s.Card == card))
        {
            var bound = Catalog.Render(card, sample.Data);
            Assert.All(ExecuteActions(bound), a => Assert.Matches("^[A-Za-z][A-Za-z0-9]*$", (string?)a["verb"]));
        }
    }

    [Theory]
    [MemberData(nameof(CardFiles.NameData), MemberType = typeof(CardFiles))]
    public void Every_card_brings_sample_data(string card)
    {
        Assert.True(File.Exists(Path.Combine(CardFiles.SamplesFolder, card + ".data.json")),
            $"cards/{card}.json needs cards/samples/{card}.data.json (and <card>.<variant>.data.json for other branches)");
    }

    [Fact]
    public void Every_sample_belongs_to_a_card()
    {
        var cards = CardFiles.Names.ToHashSet();
        Assert.All(Directory.EnumerateFiles(CardFiles.SamplesFolder), f =>
        {
            Assert.EndsWith(".data.json", f, StringComparison.Ordinal);
            Assert.Contains(CardFiles.CardOf(f), cards);
        });
    }

    [Fact]
    public void The_catalog_embeds_exactly_the_card_files_and_no_samples()
    {
        Assert.Equal(CardFiles.Names, Catalog.Names);
    }

    [Theory]
    [MemberData(nameof(CardFiles.NameData), MemberType = typeof(CardFiles))]
    public void Bound_with_each_sample_the_card_is_complete_and_under_28_KB(string card)
    {
        var samples = CardFiles.AllSamples.Where(s => s.Card == card).ToList();
        Assert.NotEmpty(samples);
        foreach (var (_, sample, data) in samples)
        {
            var json = Catalog.Render(card, data).ToJsonString();

            Assert.True(Encoding.UTF8.GetByteCount(json) < MaxCardBytes, $"{sample}: {Encoding.UTF8.GetByteCount(json)} bytes");
            Assert.DoesNotContain("${", json, StringComparison.Ordinal);
            Assert.DoesNotContain("\"$when\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain("\"$data\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_catalog_parses_each_template_once()
    {
        Assert.Same(Catalog.Template("message"), Catalog.Template("message"));
        Assert.Throws<ArgumentException>(() => Catalog.Render("no-such-card", null));
    }

    // Everywhere an action can sit: body, actions, ActionSet, selectAction, ShowCard's card, fallback.
    static IEnumerable<JsonObject> ExecuteActions(JsonNode? node) => node switch
    {
        JsonObject o => (o["type"]?.GetValueKind() == JsonValueKind.String && (string?)o["type"] == "Action.Execute" ? [o] : Enumerable.Empty<JsonObject>())
            .Concat(o.SelectMany(p => ExecuteActions(p.Value))),
        JsonArray a => a.SelectMany(ExecuteActions),
        _ => [],
    };
}
