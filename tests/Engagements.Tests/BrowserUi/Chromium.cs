namespace Engagements.Tests.BrowserUi;

/// <summary>Debian's Chromium, the only browser these tests use: nothing is downloaded.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Set by scripts/test.sh: there a missing browser means a broken machine, so the tests fail instead of skipping.</summary>
    public const string RequireAllTestsVariable = "ENGAGEMENTS_REQUIRE_ALL_TESTS";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireAllTestsVariable) == "1";

    public static string Missing =>
        $"{ExecutablePath} is missing, so the browser tests cannot run: install Debian's chromium with " +
        "scripts/install-prerequisites.sh chromium (scripts/test.sh does it)";

    /// <summary>Why a browser test is skipped here, or null when it runs (Chromium present, or required so it fails).</summary>
    public static string? SkipReason =>
        IsInstalled || IsRequired ? null : $"{Missing}. With {RequireAllTestsVariable}=1 this is a failure instead.";
}

/// <summary>A browser test. Skipped on a machine without Chromium, unless the run requires every test: then it fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = Chromium.SkipReason;
}

/// <summary>A browser theory; skipped or failing like <see cref="ChromiumFactAttribute"/>.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute() => Skip = Chromium.SkipReason;
}
