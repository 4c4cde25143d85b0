using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Manifest;

public class PackageTests
{
    private const string BotId = "1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081";
    private const string Host = "engagements.contoso.com";

    private readonly string output = Path.Combine(Directory.CreateTempSubdirectory("teams-package-").FullName, "engagements-teams-app.zip");

    [Fact]
    public async Task Package_holds_exactly_the_manifest_and_the_two_icons_at_its_root()
    {
        var result = await ManifestTools.PackageAsync(Settings(("BOT_APP_ID", BotId), ("PUBLIC_HOST", Host)), "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var zip = ZipFile.OpenRead(output);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ManifestTools.ManifestDirectory, icon)), Read(zip, icon));
        }
    }

    [Fact]
    public async Task Packaged_manifest_carries_the_bot_id_and_host_and_still_validates()
    {
        var result = await ManifestTools.PackageAsync(Settings(("Bot__AppId", BotId), ("PUBLIC_HOST", Host)), "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = PackagedManifest();
        Assert.Equal(BotId, (string?)manifest["id"]);
        Assert.Equal(BotId, (string?)manifest["bots"]![0]!["botId"]);
        // The outbox reads its own posts back with resource-specific consent granted to the bot's app.
        Assert.Equal(BotId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal(["ChannelMessage.Read.Group", "ChatMessage.Read.Chat"],
            manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal([Host], manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        Assert.All(manifest["developer"]!.AsObject().Where(p => p.Key.EndsWith("Url", StringComparison.Ordinal)),
            url => Assert.StartsWith($"https://{Host}/", (string?)url.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("example.com", manifest.ToJsonString(), StringComparison.Ordinal);

        var validation = await ManifestTools.ValidateAsync(manifest);
        Assert.True(validation.ExitCode == 0, validation.ToString());
    }

    [Fact]
    public async Task Teams_app_id_and_version_can_differ_from_the_bot_id_and_template()
    {
        const string appId = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

        var result = await ManifestTools.PackageAsync(
            Settings(("BOT_APP_ID", BotId), ("TEAMS_APP_ID", appId), ("PUBLIC_HOST", Host), ("TEAMS_APP_VERSION", "1.0.7")), "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = PackagedManifest();
        Assert.Equal(appId, (string?)manifest["id"]);
        Assert.Equal(BotId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal("1.0.7", (string?)manifest["version"]);
    }

    [Theory]
    [InlineData(null, "the bot id is missing")]
    [InlineData("", "the bot id is missing")]
    [InlineData("not-a-guid", "is not a GUID")]
    [InlineData("1b2c3d4e-5f60-4718-9a2b-3c4d5e6f708", "is not a GUID")]
    [InlineData("00000000-0000-0000-0000-000000000000", "placeholder")]
    public async Task Missing_or_invalid_bot_id_is_refused_with_exit_code_2(string? botId, string message)
    {
        var result = await ManifestTools.PackageAsync(Settings(("BOT_APP_ID", botId), ("PUBLIC_HOST", Host)), "--output", output);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://engagements.contoso.com/")]
    [InlineData("engagements.contoso.com:443")]
    public async Task Missing_or_invalid_public_host_is_refused_with_exit_code_2(string? host)
    {
        var result = await ManifestTools.PackageAsync(Settings(("BOT_APP_ID", BotId), ("PUBLIC_HOST", host)), "--output", output);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("public host", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static Dictionary<string, string?> Settings(params (string Name, string? Value)[] settings) =>
        settings.ToDictionary(s => s.Name, s => s.Value);

    private JsonObject PackagedManifest()
    {
        using var zip = ZipFile.OpenRead(output);
        return (JsonObject)JsonNode.Parse(Read(zip, "manifest.json"))!;
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var entry = zip.GetEntry(name)!.Open();
        using var bytes = new MemoryStream();
        entry.CopyTo(bytes);
        return bytes.ToArray();
    }
}
