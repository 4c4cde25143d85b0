using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Engagements.Cards;
using Engagements.Tests.Cards;

namespace Engagements.Tests.BrowserUi;

// Every card in cards/, bound by our binder with each of its samples (what users get), rendered by the official
// adaptivecards renderer in Chromium the way Teams shows it (tests/e2e/cards/render.mjs). One browser serves the
// whole class; the screenshots go to artifacts/cards/, and scripts/render-card-gallery.sh copies the main sample's
// into docs/cards/ for the README gallery.
public class CardGalleryTests
{
    static readonly string ScreenshotFolder = Path.Combine(CardFiles.RepositoryRoot, "artifacts", "cards");
    static readonly string GalleryFolder = Path.Combine(CardFiles.RepositoryRoot, "docs", "cards");
    static readonly CardCatalog Catalog = new();

    static readonly Lazy<Dictionary<string, OfficialAdaptiveCards.Rendering>> Renderings = new(() =>
        OfficialAdaptiveCards.Render(CardFiles.AllSamples.Select(s => (ScreenshotName(s.Sample), (JsonNode)Catalog.Render(s.Card, s.Data))), ScreenshotFolder));

    public static TheoryData<string> SampleNames => DifferentialTests.SampleNames;

    // alert.data.json → alert (the gallery's picture); alert.snoozed.data.json → alert.snoozed.
    public static string ScreenshotName(string sample) => sample[..^".data.json".Length];

    [ChromiumTheory]
    [MemberData(nameof(SampleNames))]
    public void Bound_card_renders_in_Chromium_without_parse_validation_or_layout_events(string sample)
    {
        var rendering = Renderings.Value[ScreenshotName(sample)];

        Assert.True(rendering.Events.Length == 0, $"{sample}:\n  {string.Join("\n  ", rendering.Events)}");
    }

    [ChromiumTheory]
    [MemberData(nameof(SampleNames))]
    public void Rendered_card_has_a_size_and_a_screenshot(string sample)
    {
        var rendering = Renderings.Value[ScreenshotName(sample)];

        Assert.True(rendering.Width > 0 && rendering.Height > 0, $"{sample} rendered {rendering.Width}×{rendering.Height} px");
        var (width, height) = PngSize(Path.Combine(ScreenshotFolder, ScreenshotName(sample) + ".png"));
        Assert.True(width > rendering.Width && height > rendering.Height, $"{sample}: the screenshot is {width}×{height} px");
    }

    [Theory]
    [MemberData(nameof(CardFiles.NameData), MemberType = typeof(CardFiles))]
    public void Card_has_a_committed_screenshot_in_the_README_gallery(string card)
    {
        var picture = Path.Combine(GalleryFolder, card + ".png");
        Assert.True(File.Exists(picture), $"docs/cards/{card}.png is missing: run scripts/render-card-gallery.sh and commit it");
        var (width, height) = PngSize(picture);
        Assert.True(width > 0 && height > 0, $"docs/cards/{card}.png is {width}×{height} px");

        var readme = File.ReadAllText(Path.Combine(CardFiles.RepositoryRoot, "README.md"));
        Assert.True(readme.Contains($"(docs/cards/{card}.png)", StringComparison.Ordinal),
            $"README.md's Gallery does not show docs/cards/{card}.png: add a row for {card}");
    }

    [Fact]
    public void The_gallery_has_no_screenshot_of_a_card_that_is_gone()
    {
        var cards = CardFiles.Names.ToHashSet();
        var pictures = Directory.Exists(GalleryFolder) ? Directory.EnumerateFiles(GalleryFolder) : [];

        Assert.All(pictures, f => Assert.True(Path.GetExtension(f) == ".png" && cards.Contains(Path.GetFileNameWithoutExtension(f)),
            $"docs/cards/{Path.GetFileName(f)} shows no card in cards/: run scripts/render-card-gallery.sh"));
    }

    // Width and height from the IHDR chunk, which follows the 8-byte signature.
    static (int Width, int Height) PngSize(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        var head = new byte[24];
        using (var file = File.OpenRead(path)) file.ReadExactly(head);
        Assert.True(head.AsSpan(0, 8).SequenceEqual((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), $"{path} is not a PNG");
        return (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
    }
}
