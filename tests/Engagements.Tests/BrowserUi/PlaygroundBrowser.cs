using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Engagements.Tests.BrowserUi;

/// <summary>
/// The Agents Playground's web UI in headless Chromium, as a person uses it: open a conversation, type, pick, click, and
/// read what is visible. Driven through tests/e2e/ui/driver.mjs (playwright-core), one long-lived process and one browser
/// context per test class, one JSON line per request and per answer.
/// </summary>
public sealed class PlaygroundBrowser : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly Process driver;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly ConcurrentQueue<string> driverErrors = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private int lastId;
    private string journey = "journey";

    private PlaygroundBrowser(Process driver) => this.driver = driver;

    /// <summary>The running test's output: every step is written there with its duration.</summary>
    public ITestOutputHelper? Output { get; set; }

    /// <summary>Where the screenshots land: artifacts/ui/&lt;journey&gt;.png of the repository (artifacts/ is not committed).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot.Path, "artifacts", "ui");

    public static PlaygroundBrowser Start()
    {
        var e2e = Path.Combine(RepositoryRoot.Path, "tests", "e2e");
        var script = Path.Combine(e2e, "ui", "driver.mjs");
        if (!Directory.Exists(Path.Combine(e2e, "node_modules", "playwright-core")))
        {
            throw new InvalidOperationException("playwright-core is not installed in tests/e2e: run scripts/install-prerequisites.sh node");
        }

        var start = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = e2e,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ENGAGEMENTS_CHROMIUM"] = Chromium.ExecutablePath;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var browser = new PlaygroundBrowser(process);
        process.OutputDataReceived += (_, e) => browser.OnAnswer(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                browser.driverErrors.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) =>
        {
            foreach (var waiting in browser.pending.Values)
            {
                waiting.TrySetException(new InvalidOperationException("The browser driver exited:\n" + browser.DriverErrors));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return browser;
    }

    /// <summary>Starts Chromium without a page yet, so it can come up while the bot and the Playground start.</summary>
    public Task LaunchAsync() => RequestAsync(new JsonObject { ["cmd"] = "launch" });

    /// <summary>Loads (or reloads) the Playground for a journey: a clean page showing the personal chat, its stream connected.</summary>
    public async Task OpenAsync(Uri playground, string journeyName)
    {
        journey = journeyName;
        // A failure picture from an earlier run would otherwise sit next to this run's passing one.
        var failed = Path.Combine(ArtifactsDirectory, journey + "-failed.png");
        if (File.Exists(failed))
        {
            File.Delete(failed);
        }

        // The first load parses a 9 MB bundle; on two busy cores that has taken up to 20 s.
        await StepAsync(new JsonObject { ["cmd"] = "open", ["url"] = playground.ToString() }, TimeSpan.FromSeconds(120));
    }

    /// <summary>Clicks a conversation in the left rail: "Personal Chat", or "Delivery - General" for a team's channel.</summary>
    public Task OpenConversationAsync(string name) => StepAsync(new JsonObject { ["cmd"] = "conversation", ["name"] = name });

    /// <summary>Types into the composer and sends; in a channel that is a new post, with an @mention picked from the typeahead.</summary>
    public Task SendAsync(string text, string? mention = null) =>
        StepAsync(new JsonObject { ["cmd"] = "send", ["text"] = text, ["mention"] = mention });

    /// <summary>Waits until the one card showing <paramref name="card"/> visibly shows every text; returns the card's visible text.</summary>
    public async Task<string> WaitForCardAsync(string card, params string[] texts) =>
        (await StepAsync(new JsonObject { ["cmd"] = "waitForText", ["card"] = card, ["texts"] = new JsonArray([.. texts.Select(t => JsonValue.Create(t))]) }))!.GetValue<string>();

    public async Task<int> CountCardsAsync(string containing) =>
        (await StepAsync(new JsonObject { ["cmd"] = "count", ["card"] = containing }))!.GetValue<int>();

    /// <summary>The names of the buttons visible on the one card showing <paramref name="card"/>.</summary>
    public async Task<IReadOnlyList<string>> ButtonsAsync(string card) =>
        [.. (await StepAsync(new JsonObject { ["cmd"] = "buttons", ["card"] = card }))!.AsArray().Select(b => b!.GetValue<string>())];

    public Task ClickAsync(string card, string button) =>
        StepAsync(new JsonObject { ["cmd"] = "click", ["card"] = card, ["button"] = button });

    /// <summary>Picks the option starting with <paramref name="option"/> in a card's choice input (dropdown or radio buttons).</summary>
    public Task ChooseAsync(string card, string label, string option) =>
        StepAsync(new JsonObject { ["cmd"] = "choose", ["card"] = card, ["label"] = label, ["option"] = option });

    public Task FillAsync(string card, string label, string value) =>
        StepAsync(new JsonObject { ["cmd"] = "fill", ["card"] = card, ["label"] = label, ["value"] = value });

    /// <summary>The toolbar's "Mock an Activity" menu, e.g. "Uninstall application": picks the item and sends the activity.</summary>
    public Task MockActivityAsync(string item) => StepAsync(new JsonObject { ["cmd"] = "mockActivity", ["item"] = item });

    /// <summary>Saves the page as artifacts/ui/&lt;journey&gt;.png, scrolled to the card when one is named.</summary>
    public Task ScreenshotAsync(string? card = null) =>
        StepAsync(new JsonObject { ["cmd"] = "screenshot", ["card"] = card, ["path"] = Path.Combine(ArtifactsDirectory, journey + ".png") });

    /// <summary>A failed step leaves artifacts/ui/&lt;journey&gt;-failed.png and the page's visible text in the message.</summary>
    private async Task<JsonNode?> StepAsync(JsonObject request, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var value = await RequestAsync(request, timeout);
            Output?.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {Describe(request)}");
            return value;
        }
        catch (BrowserStepException failure)
        {
            Output?.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {Describe(request)} FAILED");
            var screenshot = Path.Combine(ArtifactsDirectory, journey + "-failed.png");
            var page = "";
            try
            {
                await RequestAsync(new JsonObject { ["cmd"] = "screenshot", ["path"] = screenshot });
                page = (await RequestAsync(new JsonObject { ["cmd"] = "text" }))?.GetValue<string>() ?? "";
            }
            catch (BrowserStepException)
            {
            }

            throw new BrowserStepException($"{failure.Message}\nScreenshot: {screenshot}\nVisible text of the page:\n{page}");
        }
    }

    private static string Describe(JsonObject request) =>
        string.Join(' ', request.Where(p => p.Key is not "id" && p.Value is not null).Select(p => p.Key == "cmd" ? p.Value!.ToString() : $"{p.Key}={p.Value!.ToJsonString()}"));

    private async Task<JsonNode?> RequestAsync(JsonObject request, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref lastId);
        request["id"] = id;
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        try
        {
            await writing.WaitAsync();
            try
            {
                await driver.StandardInput.WriteLineAsync(request.ToJsonString());
                await driver.StandardInput.FlushAsync();
            }
            finally
            {
                writing.Release();
            }

            return await answer.Task.WaitAsync(timeout ?? StepTimeout);
        }
        catch (TimeoutException)
        {
            throw new BrowserStepException($"The browser driver did not answer {request.ToJsonString()} within {(timeout ?? StepTimeout).TotalSeconds} s.\n{DriverErrors}");
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    private void OnAnswer(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || JsonNode.Parse(line) is not JsonObject answer || answer["id"]?.GetValue<int>() is not { } id
            || !pending.TryGetValue(id, out var waiting))
        {
            return;
        }

        if (answer["ok"]?.GetValue<bool>() == true)
        {
            waiting.TrySetResult(answer["value"]);
        }
        else
        {
            waiting.TrySetException(new BrowserStepException(answer["error"]?.GetValue<string>() ?? line));
        }
    }

    private string DriverErrors => string.Join('\n', driverErrors.TakeLast(40));

    /// <summary>Closing the driver's stdin makes it close Chromium and its profile; a driver that hangs is killed with its browser.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            driver.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await driver.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            driver.Kill(entireProcessTree: true);
            await driver.WaitForExitAsync();
        }

        driver.Dispose();
        writing.Dispose();
    }
}

public sealed class BrowserStepException(string message) : Exception(message);
