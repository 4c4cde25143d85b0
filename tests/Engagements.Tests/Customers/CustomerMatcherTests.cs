using System.Diagnostics;
using Engagements.Customers;

namespace Engagements.Tests.Customers;

public class CustomerMatcherTests
{
    private static readonly string[] DemoNames =
    [
        "Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wide World Importers",
        "Litware", "Woodgrove Bank", "Proseware",
    ];

    private static IReadOnlyList<IndexedName> Index(IEnumerable<string> names) =>
        [.. names.Select((n, i) => new IndexedName(new CustomerName(new Guid(i + 1, 0, 0, new byte[8]), n), CustomerMatcher.Normalize(n)))];

    // Typed input → the one customer it resolves to, or "?a|b" for a pick list of exactly those, or "!" for no match.
    public static TheoryData<string, string> Inputs => new()
    {
        { "Contoso", "Contoso" },
        { "contoso", "Contoso" },
        { "CONTOSO", "Contoso" },
        { "  contoso  ", "Contoso" },
        { "contso", "Contoso" },
        { "ocntoso", "Contoso" },
        { "con", "Contoso" },
        { "Northwind-Traders", "Northwind Traders" },
        { "northwind traders.", "Northwind Traders" },
        { "NorthwindTraders", "Northwind Traders" },
        { "northwnd traders", "Northwind Traders" },
        { "traders", "Northwind Traders" },
        { "wood", "Woodgrove Bank" },
        { "bank", "Woodgrove Bank" },
        { "woodgrove bnak", "Woodgrove Bank" },
        { "fabrikm", "Fabrikam" },
        { "Adventure  Works", "Adventure Works" },
        { "adventure-works", "Adventure Works" },
        { "works", "Adventure Works" },
        { "wide world", "Wide World Importers" },
        { "importers", "Wide World Importers" },
        { "litwar", "Litware" },
        { "prosewear", "Proseware" },
        { "w", "?Wide World Importers|Woodgrove Bank" },
        { "t", "Tailspin Toys" },
        { "xyz", "!" },
        { "zzzzzzzzzz", "!" },
        { "", "!" },
        { "!!!", "!" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Typed_name_resolves_as_expected(string typed, string expected)
    {
        var match = CustomerMatcher.Match(Index(DemoNames), typed);

        if (expected == "!")
        {
            Assert.Null(match.Customer);
            Assert.Empty(match.Candidates);
        }
        else if (expected.StartsWith('?') && expected.Contains('|'))
        {
            Assert.Null(match.Customer);
            Assert.True(match.IsAmbiguous);
            Assert.Equal(expected[1..].Split('|'), match.Candidates.Select(c => c.Name).Order());
        }
        else
        {
            Assert.Equal(expected.TrimStart('?'), match.Customer?.Name);
        }
    }

    [Fact]
    public void An_exact_name_wins_over_longer_names_it_is_a_prefix_of()
    {
        var match = CustomerMatcher.Match(Index(["Contoso", "Contoso Pharmaceuticals", "Contoso Bank"]), "contoso");

        Assert.Equal("Contoso", match.Customer?.Name);
    }

    [Fact]
    public void Two_customers_one_typo_away_make_a_pick_list()
    {
        var match = CustomerMatcher.Match(Index(["Contoso", "Contosa", "Fabrikam"]), "contosi");

        Assert.True(match.IsAmbiguous);
        Assert.Equal(["Contosa", "Contoso"], match.Candidates.Select(c => c.Name).Order());
    }

    [Fact]
    public void Short_names_allow_one_typo_and_longer_names_two()
    {
        Assert.Null(CustomerMatcher.Match(Index(["Litware"]), "ltwre").Customer);
        Assert.Equal("Litware", CustomerMatcher.Match(Index(["Litware"]), "litwre").Customer?.Name);
        Assert.Equal("Proseware", CustomerMatcher.Match(Index(["Proseware"]), "prosewer").Customer?.Name);
        Assert.Equal("Woodgrove Bank", CustomerMatcher.Match(Index(["Woodgrove Bank"]), "wodgrov bank").Customer?.Name);
    }

    [Fact]
    public void No_match_suggests_the_three_closest_names()
    {
        var match = CustomerMatcher.Match(Index(DemoNames), "fabrokanz");

        Assert.Null(match.Customer);
        Assert.Equal(3, match.Suggestions.Count);
        Assert.Equal("Fabrikam", match.Suggestions[0].Name);
        Assert.StartsWith("No customer named \"fabrokanz\". Did you mean: Fabrikam, ", match.NotFoundText("fabrokanz"));
    }

    [Fact]
    public void Matching_among_ten_thousand_customers_stays_fast()
    {
        var names = Index(DemoNames.Concat(Enumerable.Range(1, 10_000).Select(n => $"Customer {n:D5}")));
        CustomerMatcher.Match(names, "warm up");

        var watch = Stopwatch.StartNew();
        var exact = CustomerMatcher.Match(names, "Customer 04711");
        var typo = CustomerMatcher.Match(names, "contsoo");
        var miss = CustomerMatcher.Match(names, "qqqqqqqqqqqqqqqq");
        watch.Stop();

        Assert.Equal("Customer 04711", exact.Customer?.Name);
        Assert.Equal("Contoso", typo.Customer?.Name);
        Assert.Null(miss.Customer);
        Assert.True(watch.ElapsedMilliseconds < 1500, $"three look-ups over 10,009 names took {watch.ElapsedMilliseconds} ms");
    }
}
