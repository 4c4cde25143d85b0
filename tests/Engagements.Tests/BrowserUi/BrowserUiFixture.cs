using Engagements.Tests.Playground;
using Xunit.Abstractions;

namespace Engagements.Tests.BrowserUi;

/// <summary>
/// The bot and the Agents Playground of <see cref="PlaygroundFixture"/>, plus one Chromium showing the Playground's web UI.
/// One per test class: each journey reloads the page, which is fast once the first load has paid for the bundle.
/// </summary>
public sealed class BrowserUiFixture : IAsyncLifetime
{
    private bool started;

    public PlaygroundFixture Playground { get; } = new();

    public PlaygroundBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            // Every test is then skipped by [ChromiumFact]; when the run requires them, they fail with this instead.
            if (Chromium.IsRequired)
            {
                throw new InvalidOperationException($"{Chromium.Missing} ({Chromium.RequireAllTestsVariable}=1: the browser tests must run).");
            }

            return;
        }

        Browser = PlaygroundBrowser.Start();
        started = true;
        // Chromium comes up while the bot and the Playground start: the two cores are otherwise idle during the waits.
        await Task.WhenAll(Playground.InitializeAsync(), Browser.LaunchAsync());
        // The first load pays for parsing the bundle and is the personal chat's first install: its welcome card arrives
        // now, not in the middle of whichever journey runs first.
        await OpenAsync("first-load");
        await Browser.WaitForCardAsync("Engagements is here");
    }

    /// <summary>The shared browser, writing its steps and their durations to the running test's output.</summary>
    public PlaygroundBrowser BrowserWritingTo(ITestOutputHelper output)
    {
        Browser.Output = output;
        return Browser;
    }

    public Task OpenAsync(string journey) => Browser.OpenAsync(Playground.Playground.BaseAddress, journey);

    public async Task DisposeAsync()
    {
        if (!started)
        {
            return;
        }

        try
        {
            await Browser.DisposeAsync();
        }
        finally
        {
            await Playground.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserUiCollection
{
    // Alone, after the parallel tests: a page load on two cores shared with other test classes takes several times longer.
    public const string Name = "Chromium UI";
}
