using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Cards;

// Runs the official adaptivecards-templating (Node, tests/e2e/node_modules) once over a batch of cases.
public static class OfficialTemplating
{
    public sealed record Case(string Name, JsonNode Template, JsonNode? Data);

    public sealed record Result(JsonNode? Card, string? Error);

    static readonly string E2eFolder = Path.Combine(CardFiles.RepositoryRoot, "tests", "e2e");

    public static Dictionary<string, Result> Expand(IEnumerable<Case> cases)
    {
        var script = Path.Combine(E2eFolder, "cards", "expand.mjs");
        if (!Directory.Exists(Path.Combine(E2eFolder, "node_modules", "adaptivecards-templating")))
        {
            Assert.Fail("tests/e2e/node_modules lacks adaptivecards-templating: run scripts/install-prerequisites.sh node");
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
            var input = new JsonArray([.. cases.Select(c => new JsonObject { ["name"] = c.Name, ["template"] = c.Template.DeepClone(), ["data"] = c.Data?.DeepClone() })]);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(); Assert.Fail("expand.mjs timed out"); }
            Assert.True(process.ExitCode == 0, $"expand.mjs failed: {stderr.Result}");
            return JsonNode.Parse(stdout.Result)!.AsArray().ToDictionary(
                r => (string)r!["name"]!,
                r => new Result(r!["card"]?.DeepClone(), r["error"]?.GetValue<string>()));
        }
    }

    public static string Show(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
}
