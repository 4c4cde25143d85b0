namespace Engagements.Tests;

/// <summary>
/// Tests that measure real time across processes (pacing windows, clustered triggers) run alone, after the parallel
/// ones: on two cores, other test classes' CPU would otherwise shift their timestamps, not the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "Timing-sensitive";
}
