using Engagements.Tests.Cards;

namespace Engagements.Tests.BrowserUi;

// A theory that needs Debian's Chromium. Without it the theory is skipped on a developer's machine, but under
// ENGAGEMENTS_REQUIRE_ALL_TESTS=1 (scripts/test.sh, CI) it runs and fails, so a missing browser is never a silent pass.
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public const string RequireAllVariable = "ENGAGEMENTS_REQUIRE_ALL_TESTS";

    public ChromiumTheoryAttribute()
    {
        if (!File.Exists(OfficialAdaptiveCards.ChromiumPath) && Environment.GetEnvironmentVariable(RequireAllVariable) != "1")
        {
            Skip = $"{OfficialAdaptiveCards.ChromiumPath} is missing (scripts/install-prerequisites.sh chromium); " +
                $"set {RequireAllVariable}=1 to make this a failure";
        }
    }
}
