using Engagements.AccountAccess;
using Engagements.Links;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Engagements.Tests.AccountAccess;

public class SignedLinksTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private SignedLinks Links(string? key = "a-signing-key-of-at-least-32-characters!", string environment = "Production") => new(
        Options.Create(new LinksOptions { SigningKey = key }),
        Options.Create(new AppOptions { PublicBaseUrl = "https://bot.example.com/" }),
        new HostingEnvironment { EnvironmentName = environment },
        clock);

    [Fact]
    public void A_token_verifies_for_its_purpose_until_it_expires()
    {
        var links = Links();
        var token = links.CreateToken("follow-up-export", "all");

        Assert.Equal("all", links.Verify("follow-up-export", token));
        Assert.Null(links.Verify("unsubscribe", token));
        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal("all", links.Verify("follow-up-export", token));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(links.Verify("follow-up-export", token));
    }

    [Fact]
    public void A_token_signed_with_another_key_or_altered_is_refused()
    {
        var token = Links().CreateToken("survey", "customer-42");
        var other = Links("another-signing-key-of-at-least-32-chars").CreateToken("survey", "customer-42");

        Assert.Null(Links().Verify("survey", other));
        Assert.Null(Links().Verify("survey", token.Replace('.', '_')));
        Assert.Null(Links().Verify("survey", "x" + token));
        Assert.Null(Links().Verify("survey", null));
        Assert.Null(Links().Verify("survey", token + ".extra"));
    }

    [Fact]
    public void Links_start_with_the_public_base_url()
    {
        var link = Links().CreateLink("/api/follow-up/export/", "follow-up-export", "all");

        Assert.StartsWith("https://bot.example.com/api/follow-up/export/", link.ToString());
    }

    [Fact]
    public void Without_a_key_development_generates_one_and_production_refuses_to_start()
    {
        Assert.NotNull(Links(key: null, environment: Environments.Development).CreateToken("p", "s"));
        Assert.Throws<InvalidOperationException>(() => Links(key: null));
        Assert.Throws<InvalidOperationException>(() => Links(key: "short"));
    }
}

public class BusinessDaysTests
{
    private static readonly BusinessDays WithThanksgiving = new(new[] { new DateOnly(2026, 11, 26) });

    [Theory]
    [InlineData("2026-11-23", 3, "2026-11-27")] // Mon + 3, Thursday holiday
    [InlineData("2026-11-20", 1, "2026-11-23")] // Fri + 1 → Monday
    [InlineData("2026-11-21", 1, "2026-11-23")] // Saturday + 1 → Monday
    [InlineData("2026-11-25", 5, "2026-12-03")]
    [InlineData("2026-11-23", 0, "2026-11-23")]
    public void Adding_business_days_skips_weekends_and_holidays(string from, int days, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), WithThanksgiving.Add(DateOnly.Parse(from), days));

    [Theory]
    [InlineData("2026-11-20", "2026-11-22", 0)] // Friday deadline, the weekend does not count
    [InlineData("2026-11-20", "2026-11-23", 1)]
    [InlineData("2026-11-25", "2026-11-27", 1)] // the holiday does not count
    [InlineData("2026-11-25", "2026-11-25", 0)]
    public void Days_late_count_only_business_days(string deadline, string today, int expected) =>
        Assert.Equal(expected, WithThanksgiving.Between(DateOnly.Parse(deadline), DateOnly.Parse(today)));
}

public class DemoAccountAccessTests
{
    [Fact]
    public async Task Alex_Wilber_reports_his_Contoso_account_working_with_the_demo_data()
    {
        await using var app = new EngagementsApplication();
        await app.InitializeAsync();
        var conversationId = "a:1demo-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "my Contoso account works", conversationId: conversationId));

        var reply = AccountAccessWorld.ReplyText(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId));
        Assert.Contains("Verified: Contoso Jira account for Alex Wilber — 8 days after the request", reply);
    }

    [Fact]
    public async Task An_export_link_stops_working_after_its_lifetime()
    {
        await using var app = new EngagementsApplication();
        app.Settings["Links:Lifetime"] = "01:00:00";
        await app.InitializeAsync();
        var conversationId = "a:1export-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "follow-up export", conversationId: conversationId));
        var card = AccountAccessWorld.ReplyCard(await app.Connector.WaitForAsync(r => r.ConversationId == conversationId))!;
        var path = new Uri(card["actions"]![0]!["url"]!.GetValue<string>()).AbsolutePath;
        var client = app.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
    }
}
