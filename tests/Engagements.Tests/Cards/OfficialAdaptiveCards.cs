using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Cards;

// Runs the official Adaptive Cards libraries (Node, tests/e2e/node_modules) once over a batch of cases:
// adaptivecards-templating to expand templates, adaptivecards to parse and validate bound cards.
public static class OfficialAdaptiveCards
{
    public sealed record Case(string Name, JsonNode Template, JsonNode? Data);

    public sealed record Result(JsonNode? Card, string? Error);

    static readonly string E2eFolder = Path.Combine(CardFiles.RepositoryRoot, "tests", "e2e");

    public static Dictionary<string, Result> Expand(IEnumerable<Case> cases) =>
        RunNode("expand.mjs", new JsonArray([.. cases.Select(c => new JsonObject { ["name"] = c.Name, ["template"] = c.Template.DeepClone(), ["data"] = c.Data?.DeepClone() })]))
            .ToDictionary(r => (string)r!["name"]!, r => new Result(r!["card"]?.DeepClone(), r["error"]?.GetValue<string>()));

    public static Dictionary<string, string[]> Validate(IEnumerable<(string Name, JsonNode Card)> cards) =>
        RunNode("validate.mjs", new JsonArray([.. cards.Select(c => new JsonObject { ["name"] = c.Name, ["card"] = c.Card.DeepClone() })]))
            .ToDictionary(r => (string)r!["name"]!, r => r!["events"]!.AsArray().Select(e => (string)e!).ToArray());

    static JsonArray RunNode(string scriptName, JsonArray input)
    {
        var script = Path.Combine(E2eFolder, "cards", scriptName);
        foreach (var package in new[] { "adaptivecards-templating", "adaptivecards" })
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
        start.Environment["LANG"] = "en_US.UTF-8";

        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"node is not installed ({e.Message}): run scripts/install-prerequisites.sh node", e); }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(); Assert.Fail($"{scriptName} timed out"); }
            Assert.True(process.ExitCode == 0, $"{scriptName} failed: {stderr.Result}");
            return JsonNode.Parse(stdout.Result)!.AsArray();
        }
    }

    public static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
}
