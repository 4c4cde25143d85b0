using System.Text.Json.Nodes;

namespace Engagements.Tests.Cards;

// The card files on disk, for checks that must see the files themselves (binding goes through the embedded catalog).
public static class CardFiles
{
    public static readonly string RepositoryRoot = FindRoot();
    public static readonly string CardsFolder = Path.Combine(RepositoryRoot, "cards");
    public static readonly string SamplesFolder = Path.Combine(CardsFolder, "samples");

    public static IEnumerable<string> Names =>
        Directory.EnumerateFiles(CardsFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    public static TheoryData<string> NameData => [.. Names];

    // <card>.data.json is the designer-compatible sample; <card>.<variant>.data.json add the other branches.
    public static IEnumerable<string> SampleFiles(string card) =>
        Directory.EnumerateFiles(SamplesFolder, "*.data.json")
            .Where(f => CardOf(f) == card)
            .Order(StringComparer.Ordinal);

    public static IEnumerable<(string Card, string Sample, JsonNode Data)> AllSamples =>
        Names.SelectMany(card => SampleFiles(card).Select(f => (card, Path.GetFileName(f), JsonNode.Parse(File.ReadAllText(f))!)));

    public static string CardOf(string sampleFile) => Path.GetFileName(sampleFile).Split('.')[0];

    public static JsonNode Read(string card) => JsonNode.Parse(File.ReadAllText(Path.Combine(CardsFolder, card + ".json")))!;

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engagements.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Engagements.sln above {AppContext.BaseDirectory}");
    }
}
