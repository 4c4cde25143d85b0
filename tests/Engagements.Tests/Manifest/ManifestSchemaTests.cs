using System.Text.Json.Nodes;

using Engagements.Bot;

namespace Engagements.Tests.Manifest;

public class ManifestSchemaTests
{
    [Fact]
    public async Task Manifest_validates_against_the_official_schema_of_its_manifestVersion()
    {
        var result = await ManifestTools.ValidateAsync(ManifestTools.ManifestPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True((bool)JsonNode.Parse(result.Output)!["valid"]!);
    }

    [Fact]
    public void Schema_url_names_the_same_version_as_manifestVersion()
    {
        var manifest = ManifestTools.LoadManifest();
        var version = (string)manifest["manifestVersion"]!;

        Assert.Equal($"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json", (string?)manifest["$schema"]);
    }

    [Theory]
    [InlineData("bot id not a GUID", "/bots/0/botId", "pattern")]
    [InlineData("no developer", "", "required")]
    [InlineData("13 commands", "/bots/0/commandLists/0/commands", "maxItems")]
    [InlineData("two bots", "/bots", "maxItems")]
    [InlineData("short description repeated as full", "/description/full", "rule")]
    public async Task Broken_manifest_is_rejected_by_the_validator(string breakage, string instancePath, string keyword)
    {
        var manifest = ManifestTools.LoadManifest();
        Break(manifest, breakage);

        var result = await ManifestTools.ValidateAsync(manifest);

        Assert.True(result.ExitCode == 1, result.ToString());
        var report = JsonNode.Parse(result.Output)!;
        Assert.False((bool)report["valid"]!);
        Assert.Contains(report["errors"]!.AsArray(), e => (string?)e!["instancePath"] == instancePath && (string?)e["keyword"] == keyword);
    }

    [Fact]
    public async Task Manifest_of_a_version_without_a_schema_is_rejected()
    {
        var manifest = ManifestTools.LoadManifest();
        manifest["manifestVersion"] = "9.99";

        var result = await ManifestTools.ValidateAsync(manifest);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no official schema", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_in_the_menus_is_one_the_command_grammar_understands()
    {
        // A menu entry inserts its title into the compose box; the user then types the argument the description shows.
        var examples = new Dictionary<string, string>
        {
            ["help"] = "help",
            ["status"] = "status Contoso",
            ["my work"] = "my work",
            ["board"] = "board",
            ["overdue"] = "overdue",
            ["done"] = "done Kickoff deck",
            ["blocked"] = "blocked SSO setup: waiting for the customer's IdP admin",
            ["health"] = "health Contoso",
            ["alerts"] = "alerts",
            ["follow-up"] = "follow-up",
            ["playbooks"] = "playbooks",
            ["new engagement"] = "new engagement",
            ["use this channel for"] = "use this channel for approvals",
        };
        var lists = ManifestTools.LoadManifest()["bots"]![0]!["commandLists"]!.AsArray();

        foreach (var command in lists.SelectMany(list => list!["commands"]!.AsArray()))
        {
            var title = (string)command!["title"]!;
            Assert.True(examples.TryGetValue(title, out var example), $"no example for the menu command '{title}'");
            Assert.StartsWith(title, example, StringComparison.Ordinal);
            Assert.NotEqual(CommandKind.Unknown, CommandParser.Parse(example).Kind);
        }
    }

    private static void Break(JsonObject manifest, string breakage)
    {
        var bot = manifest["bots"]![0]!.AsObject();
        switch (breakage)
        {
            case "bot id not a GUID":
                bot["botId"] = "not-a-guid";
                break;
            case "no developer":
                manifest.Remove("developer");
                break;
            case "13 commands":
                bot["commandLists"]![0]!["commands"]!.AsArray().Add(new JsonObject { ["title"] = "kickoff", ["description"] = "kickoff {customer} {date}" });
                break;
            case "two bots":
                manifest["bots"]!.AsArray().Add(bot.DeepClone());
                break;
            case "short description repeated as full":
                manifest["description"]!["full"] = (string)manifest["description"]!["short"]!;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null);
        }
    }
}
