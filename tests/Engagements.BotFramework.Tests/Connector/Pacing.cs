namespace Engagements.BotFramework.Tests.Connector;

internal static class Pacing
{
    /// <summary>No 1 s span holds more than 7, no 2 s span more than 8, no 30 s span more than 60 (notes §6.1).</summary>
    public static void AssertWithinTeamsWindows(IReadOnlyList<DateTimeOffset> sortedTimes)
    {
        AssertAtMost(sortedTimes, 7, TimeSpan.FromSeconds(1));
        AssertAtMost(sortedTimes, 8, TimeSpan.FromSeconds(2));
        AssertAtMost(sortedTimes, 60, TimeSpan.FromSeconds(30));
    }

    public static void AssertAtMost(IReadOnlyList<DateTimeOffset> sortedTimes, int limit, TimeSpan window)
    {
        // limit + 1 events inside one half-open window would put event i and event i + limit less than window apart.
        for (var i = 0; i + limit < sortedTimes.Count; i++)
        {
            var span = sortedTimes[i + limit] - sortedTimes[i];
            Assert.True(span >= window, $"{limit + 1} events within {span} (events {i}..{i + limit}); at most {limit} per {window} allowed");
        }
    }
}
