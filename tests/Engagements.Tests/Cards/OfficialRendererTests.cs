using System.Text.Json.Nodes;
using Engagements.Cards;

namespace Engagements.Tests.Cards;

// Every shipped card, bound with each sample, parses in the official adaptivecards 3.0.6 library without a
// parse or validation event (unknown element types, invalid property values, duplicate or missing input ids,
// empty choice sets). One Node process serves the whole class.
public class OfficialRendererTests
{
    static readonly CardCatalog Catalog = new();

    static readonly Lazy<Dictionary<string, string[]>> Events = new(() =>
        OfficialAdaptiveCards.Validate(CardFiles.AllSamples.Select(s => (s.Sample, (JsonNode)Catalog.Render(s.Card, s.Data)))));

    public static TheoryData<string> SampleNames => DifferentialTests.SampleNames;

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Bound_card_parses_without_warnings_in_the_official_renderer(string sample)
    {
        Assert.Empty(Events.Value[sample]);
    }
}
