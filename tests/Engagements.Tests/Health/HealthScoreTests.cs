using Engagements.Health;

namespace Engagements.Tests.Health;

public class HealthScoreTests
{
    // Worked by hand with the default weights:
    //   seat utilization   150/200 = 75  × 0.20 = 15.00
    //   feature adoption     3/5   = 60  × 0.15 =  9.00
    //   active users        90/200 = 45  × 0.15 =  6.75
    //   version currency  2 minors = 50  × 0.05 =  2.50
    //   NPS                 8.0    = 80  × 0.10 =  8.00
    //   milestones           3/4   = 75  × 0.15 = 11.25
    //   open blockers        1     = 75  × 0.10 =  7.50
    //   meeting attendance  90%    = 90  × 0.05 =  4.50
    //   support tickets      2     = 80  × 0.05 =  4.00
    //                                      total = 68.50 -> 69, yellow
    private static readonly HealthInputs Example = new()
    {
        SeatsPurchased = 200, ActiveSeats = 150, FeaturesUsed = 3, FeatureCatalogSize = 5, ActiveUsers = 90,
        ProductVersion = "2025.1", CurrentVersion = "2025.3", NpsAverage = 8, NpsAnswers = 4,
        Deliverables = 10, DeliverablesDue = 4, DeliverablesDueCompleted = 3, OpenBlockers = 1,
        AttendanceAverage = 90, SupportTickets = 2,
    };

    [Fact]
    public void The_hand_computed_example_scores_68_point_5_and_lands_in_yellow()
    {
        var result = HealthCalculator.Compute(Example, new HealthOptions());

        Assert.Equal(68.5, result.ExactScore);
        Assert.Equal(69, result.Score);
        Assert.Equal(HealthBand.Yellow, result.Band);
        Assert.Equal([75, 60, 45, 50, 80, 75, 75, 90, 80], result.Components.Select(c => c.Score));
        Assert.Equal(HealthComponents.All, result.Components.Select(c => c.Name));
    }

    [Fact]
    public void A_component_without_data_is_shown_but_not_weighted()
    {
        var result = HealthCalculator.Compute(Example with { NpsAverage = null, NpsAnswers = 0 }, new HealthOptions());

        // (68.50 − 8.00) / 0.90 = 67.2222…
        Assert.Equal(67.22, result.ExactScore);
        Assert.Equal(67, result.Score);
        var nps = result.Components.Single(c => c.Name == HealthComponents.Nps);
        Assert.Equal(0, nps.Weight);
        Assert.Contains("not counted", nps.Detail);
    }

    [Fact]
    public void Weights_and_bands_come_from_configuration()
    {
        var options = new HealthOptions { RedMax = 70, YellowMax = 85 };
        options.Weights[HealthComponents.SeatUtilization] = 1.0;
        foreach (var other in HealthComponents.All.Where(c => c != HealthComponents.SeatUtilization))
        {
            options.Weights[other] = 0;
        }

        var result = HealthCalculator.Compute(Example, options);

        Assert.Equal(75, result.ExactScore);
        Assert.Equal(HealthBand.Yellow, result.Band);
        Assert.Equal(HealthBand.Red, options.BandOf(70));
        Assert.Equal(HealthBand.Green, options.BandOf(86));
    }

    [Fact]
    public void The_three_biggest_drags_are_the_components_that_cost_the_most_points()
    {
        var result = HealthCalculator.Compute(Example, new HealthOptions());

        var drags = result.Components
            .Select(c => (c.Name, Lost: HealthCalculator.PointsLost(c, result.Components)))
            .OrderByDescending(d => d.Lost)
            .Take(3)
            .ToList();

        Assert.Equal([(HealthComponents.ActiveUsers, 8.25), (HealthComponents.FeatureAdoption, 6.0), (HealthComponents.SeatUtilization, 5.0)], drags);
    }

    [Theory]
    [InlineData("2025.3", "2025.3", 0)]
    [InlineData("2025.1", "2025.3", 2)]
    [InlineData("2024.4", "2025.2", 4)]
    [InlineData("2025.3.1", "2025.3.4", 0)]
    [InlineData("v3.2", "3.4", 2)]
    public void Version_currency_counts_minor_versions_behind(string version, string current, int behind) =>
        Assert.Equal(behind, HealthCalculator.MinorsBehind(version, current));
}
