using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Manifest;

public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>The repository's manifest tools as child processes: the schema validator (Node) and the packager (bash).</summary>
public static class ManifestTools
{
    public static string ManifestDirectory => Path.Combine(RepositoryRoot.Path, "manifest");

    public static string ManifestPath => Path.Combine(ManifestDirectory, "manifest.json");

    public static JsonObject LoadManifest() => (JsonObject)JsonNode.Parse(File.ReadAllText(ManifestPath))!;

    public static Task<ToolResult> ValidateAsync(string manifestPath)
    {
        var e2e = Path.Combine(RepositoryRoot.Path, "tests", "e2e");
        foreach (var package in new[] { "ajv", "ajv-formats", Path.Combine("@microsoft", "app-manifest") })
        {
            if (!Directory.Exists(Path.Combine(e2e, "node_modules", package)))
            {
                throw new InvalidOperationException(
                    $"The manifest validator needs tests/e2e/node_modules/{package}: run scripts/install-prerequisites.sh node (npm ci in tests/e2e)");
            }
        }

        return RunAsync("node", [Path.Combine(e2e, "manifest", "validate.mjs"), manifestPath], new Dictionary<string, string?>());
    }

    public static async Task<ToolResult> ValidateAsync(JsonObject manifest)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("manifest-").FullName, "manifest.json");
        await File.WriteAllTextAsync(file, manifest.ToJsonString());
        return await ValidateAsync(file);
    }

    /// <summary>Runs scripts/package-teams-app.sh with exactly the given settings; the caller's own environment never leaks in.</summary>
    public static Task<ToolResult> PackageAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BOT_APP_ID"] = null,
            ["Bot__AppId"] = null,
            ["TEAMS_APP_ID"] = null,
            ["PUBLIC_HOST"] = null,
            ["TEAMS_APP_VERSION"] = null,
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        return RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "package-teams-app.sh"), .. arguments], settings);
    }

    private static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new ToolResult(process.ExitCode, await output, await error);
    }
}
