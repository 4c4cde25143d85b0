using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Cards;

// Runs the official Adaptive Cards libraries (Node, tests/e2e/node_modules) once over a batch of cases:
// adaptivecards-templating to expand templates, adaptivecards to parse and validate bound cards, and adaptivecards
// in Chromium to render them and take screenshots.
public static class OfficialAdaptiveCards
{
    public sealed record Case(string Name, JsonNode Template, JsonNode? Data);

    public sealed record Result(JsonNode? Card, string? Error);

    public sealed record Rendering(string[] Events, int Width, int Height);


    static readonly string[] CardPackages = ["adaptivecards-templating", "adaptivecards"];
    static readonly string[] RenderPackages = ["adaptivecards", "markdown-it", "playwright-core"];

    static readonly string E2eFolder = Path.Combine(CardFiles.RepositoryRoot, "tests", "e2e");

    public static Dictionary<string, Result> Expand(IEnumerable<Case> cases) =>
        RunNode("expand.mjs", CardPackages, TimeSpan.FromSeconds(60), [], new JsonArray([.. cases.Select(c => new JsonObject { ["name"] = c.Name, ["template"] = c.Template.DeepClone(), ["data"] = c.Data?.DeepClone() })]))
            .ToDictionary(r => (string)r!["name"]!, r => new Result(r!["card"]?.DeepClone(), r["error"]?.GetValue<string>()));

    public static Dictionary<string, string[]> Validate(IEnumerable<(string Name, JsonNode Card)> cards) =>
        RunNode("validate.mjs", CardPackages, TimeSpan.FromSeconds(60), [], new JsonArray([.. cards.Select(c => new JsonObject { ["name"] = c.Name, ["card"] = c.Card.DeepClone() })]))
            .ToDictionary(r => (string)r!["name"]!, r => r!["events"]!.AsArray().Select(e => (string)e!).ToArray());

    // Renders every card in Chromium (render.mjs) and writes <name>.png into screenshotFolder. One browser for the batch.
    public static Dictionary<string, Rendering> Render(IEnumerable<(string Name, JsonNode Card)> cards, string screenshotFolder)
    {
        Assert.True(BrowserUi.Chromium.IsInstalled, BrowserUi.Chromium.Missing);
        // Two cores shared with other builds: a browser start plus a screenshot per card can take a while.
        return RunNode("render.mjs", RenderPackages, TimeSpan.FromMinutes(5), [screenshotFolder],
                new JsonArray([.. cards.Select(c => new JsonObject { ["name"] = c.Name, ["card"] = c.Card.DeepClone() })]))
            .ToDictionary(r => (string)r!["name"]!, r => new Rendering(
                [.. r!["events"]!.AsArray().Select(e => (string)e!)], (int)r["width"]!, (int)r["height"]!));
    }

    static JsonArray RunNode(string scriptName, string[] packages, TimeSpan timeout, string[] arguments, JsonArray input)
    {
        var script = Path.Combine(E2eFolder, "cards", scriptName);
        foreach (var package in packages)
        {
            Assert.True(Directory.Exists(Path.Combine(E2eFolder, "node_modules", package)),
                $"tests/e2e/node_modules lacks {package}: run scripts/install-prerequisites.sh node");
        }
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script },
            WorkingDirectory = E2eFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // formatNumber follows the process locale in Node; the binder formats like en-US.
        start.Environment["LC_ALL"] = "en_US.UTF-8";
        start.Environment["ENGAGEMENTS_CHROMIUM"] = BrowserUi.Chromium.ExecutablePath;
        start.Environment["LANG"] = "en_US.UTF-8";
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"node is not installed ({e.Message}): run scripts/install-prerequisites.sh node", e); }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout)) { process.Kill(entireProcessTree: true); Assert.Fail($"{scriptName} timed out after {timeout}"); }
            Assert.True(process.ExitCode == 0, $"{scriptName} failed: {stderr.Result}");
            return JsonNode.Parse(stdout.Result)!.AsArray();
        }
    }

    public static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
}
