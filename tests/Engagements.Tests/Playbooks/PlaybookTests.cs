using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagements.Alerts;
using Engagements.Customers;
using Engagements.Demo;
using Engagements.Links;
using Engagements.Mail;
using Engagements.Outbox;
using Engagements.Playbooks;
using Engagements.Tests.Usage;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Playbooks;

public static class PlaybookTestSupport
{
    public static DateOnly Today(this UsageApplication app) => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    public static async Task<int> RunPlaybooksAsync(this UsageApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlaybookRunner>().RunDueAsync(CancellationToken.None);
    }

    public static Task SetKickoffAsync(this UsageApplication app, string customer, DateOnly kickoff) => app.ExecuteAsync(async db =>
    {
        var plan = await db.OnboardingPlans.SingleAsync(p => p.Project.Engagement.Customer.Name == customer);
        plan.KickoffDate = kickoff;
        await db.SaveChangesAsync();
    });

    public static Task<List<PlaybookRun>> RunsAsync(this UsageApplication app, string playbookId, string customer) =>
        app.QueryAsync(db => db.PlaybookRuns.AsNoTracking().Where(r => r.PlaybookId == playbookId && r.Customer.Name == customer).ToListAsync());

    public static async Task<EmailMessage> EmailOfAsync(this UsageApplication app, PlaybookRun run)
    {
        var row = await app.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Kind == OutboxKind.SendEmail && m.RelatedEntityId == run.Id.ToString()));
        return JsonSerializer.Deserialize<EmailMessage>(row.PayloadJson, JsonSerializerOptions.Web)!;
    }

    // The link's path, from the email's HTML.
    public static string LinkPath(EmailMessage email, string route, string text) =>
        WebUtility.HtmlDecode(Regex.Match(email.HtmlBody, $"href=\"https?://[^/\"]+(/{route}/[^\"]+)\">{Regex.Escape(text)}</a>").Groups[1].Value);
}

public class SurveyTests(UsageApplication app) : IClassFixture<UsageApplication>
{
    private async Task<(PlaybookRun Run, EmailMessage Email)> SurveySentToAsync(string customer)
    {
        await app.SetKickoffAsync(customer, app.Today().AddDays(-30));
        await app.RunPlaybooksAsync();
        var run = Assert.Single(await app.RunsAsync("survey-30-day", customer));
        return (run, await app.EmailOfAsync(run));
    }

    [Fact]
    public async Task The_30_day_survey_email_carries_eleven_signed_score_links_and_an_unsubscribe_link()
    {
        var (_, email) = await SurveySentToAsync("Contoso");

        Assert.Equal(["success@contoso.com"], email.To);
        Assert.Contains("Contoso", email.Subject);
        for (var score = 0; score <= 10; score++)
        {
            Assert.StartsWith("/survey/", PlaybookTestSupport.LinkPath(email, "survey", score.ToString()));
        }

        Assert.StartsWith("/unsubscribe/", PlaybookTestSupport.LinkPath(email, "unsubscribe", "Unsubscribe"));
    }

    [Fact]
    public async Task A_valid_survey_link_records_the_score_once_and_feeds_health()
    {
        var (run, email) = await SurveySentToAsync("Adventure Works");
        var client = app.CreateClient();
        var nine = PlaybookTestSupport.LinkPath(email, "survey", "9");

        var first = await client.GetAsync(nine);
        var again = await client.GetAsync(nine);
        var otherScore = await client.GetAsync(PlaybookTestSupport.LinkPath(email, "survey", "2"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("9 of 10", await first.Content.ReadAsStringAsync());
        Assert.Contains("already recorded", await again.Content.ReadAsStringAsync());
        Assert.Contains("already recorded", await otherScore.Content.ReadAsStringAsync());
        var signal = Assert.Single(await app.QueryAsync(db => db.Signals.Where(s => s.SignalId == $"survey:{run.Id:N}").ToListAsync()));
        Assert.Equal(SignalKind.Nps, signal.Kind);
        Assert.Equal(9, signal.Value);
        Assert.False(await app.QueryAsync(db => db.Alerts.AnyAsync(a => a.Kind == AlertKind.Detractor && a.Customer.Name == "Adventure Works")));
    }

    [Fact]
    public async Task A_detractor_score_raises_an_alert_in_the_health_channel()
    {
        var (_, email) = await SurveySentToAsync("Fabrikam");

        var response = await app.CreateClient().GetAsync(PlaybookTestSupport.LinkPath(email, "survey", "4"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var alert = await app.QueryAsync(db => db.Alerts.SingleAsync(a => a.Kind == AlertKind.Detractor && a.Customer.Name == "Fabrikam"));
        Assert.Contains("NPS 4", alert.Reason);
        Assert.Contains(await app.OutboxAsync(UsageApplication.HealthChannel), m => m.IdempotencyKey == AlertService.PostKey(alert.Id));
    }

    [Fact]
    public async Task Tampered_expired_and_foreign_survey_links_are_refused_and_record_nothing()
    {
        var (run, email) = await SurveySentToAsync("Northwind Traders");
        var path = PlaybookTestSupport.LinkPath(email, "survey", "10");
        var tampered = path[..^3] + (path[^3] == 'A' ? 'B' : 'A') + path[^2..];
        var customerPart = path.Replace("/survey/", "", StringComparison.Ordinal);
        string expired, otherCustomer, unsubscribeToken;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var links = scope.ServiceProvider.GetRequiredService<SignedLinks>();
            expired = links.CreateToken(PlaybookRunner.SurveyPurpose, PlaybookRunner.SurveySubject(run.Id, run.CustomerId, 10), TimeSpan.FromMinutes(-1));
            otherCustomer = links.CreateToken(PlaybookRunner.SurveyPurpose, PlaybookRunner.SurveySubject(run.Id, Guid.NewGuid(), 10), TimeSpan.FromDays(1));
            unsubscribeToken = PlaybookTestSupport.LinkPath(email, "unsubscribe", "Unsubscribe").Replace("/unsubscribe/", "", StringComparison.Ordinal);
        }

        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/survey/" + expired)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/survey/" + otherCustomer)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/survey/" + unsubscribeToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/survey/not-a-token")).StatusCode);
        Assert.NotEmpty(customerPart);
        Assert.False(await app.QueryAsync(db => db.Signals.AnyAsync(s => s.SignalId == $"survey:{run.Id:N}")));
    }
}

public class EnrolmentLimitTests(UsageApplication app) : IClassFixture<UsageApplication>
{
    [Fact]
    public async Task Each_shipped_playbook_respects_its_enrolment_limit()
    {
        // Northwind Traders kicked off two days ago; Litware's engagement ends within Renewal:LeadDays.
        await app.SetKickoffAsync("Northwind Traders", app.Today().AddDays(-2));
        await app.ExecuteAsync(async db =>
        {
            var northwind = await db.Customers.SingleAsync(c => c.Name == "Northwind Traders");
            northwind.Lifecycle = LifecycleStage.Prospect;
            await db.SaveChangesAsync();
        });

        await app.RunPlaybooksAsync();
        await app.RunPlaybooksAsync();
        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.RunPlaybooksAsync();

        Assert.Single(await app.RunsAsync("onboarding-welcome", "Northwind Traders"));
        Assert.Single(await app.RunsAsync("lifecycle-onboarding", "Northwind Traders"));
        Assert.Single(await app.RunsAsync("customer-segmentation", "Northwind Traders"));
        Assert.Single(await app.RunsAsync("stakeholder-pulse", "Northwind Traders"));
        Assert.Single(await app.RunsAsync("renewal", "Litware"));
        Assert.Single(await app.RunsAsync("monthly-recap", "Tailspin Toys"));
        Assert.Single(await app.RunsAsync("product-release-notes", "Tailspin Toys"));
        var northwind = await app.CustomerAsync("Northwind Traders");
        Assert.Equal(LifecycleStage.Onboarding, northwind.Lifecycle);

        // "At most once every 7 days": the weekly pulse comes back a week after the first.
        app.Clock.Advance(TimeSpan.FromDays(6));
        await app.RunPlaybooksAsync();
        Assert.Equal(2, (await app.RunsAsync("stakeholder-pulse", "Northwind Traders")).Count);
        Assert.Single(await app.RunsAsync("onboarding-welcome", "Northwind Traders"));
        Assert.Single(await app.RunsAsync("monthly-recap", "Tailspin Toys"));
    }

    [Fact]
    public async Task Renewal_sends_a_card_to_the_manager_and_the_csm_and_moves_the_lifecycle()
    {
        await app.ExecuteAsync(async db =>
        {
            var engagement = await db.Engagements.SingleAsync(e => e.Customer.Name == "Wide World Importers");
            engagement.EndDate = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(30);
            await db.SaveChangesAsync();
        });

        await app.RunPlaybooksAsync();

        var run = Assert.Single(await app.RunsAsync("renewal", "Wide World Importers"));
        var cards = await app.QueryAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.RelatedEntityId == run.Id.ToString() && m.Kind == OutboxKind.SendPersonal).ToListAsync());
        Assert.Equal([DemoDataLoader.Megan.AadObjectId, DemoDataLoader.Adele.AadObjectId], cards.Select(c => c.RecipientAadObjectId).Order());
        Assert.All(cards, c => Assert.Contains("Renewal: Wide World Importers", c.PayloadJson));
        Assert.Equal(LifecycleStage.Renewal, (await app.CustomerAsync("Wide World Importers")).Lifecycle);
    }

    [Fact]
    public async Task An_unsubscribed_contact_gets_no_more_playbook_emails()
    {
        await app.SetKickoffAsync("Contoso", app.Today().AddDays(-1));
        await app.RunPlaybooksAsync();
        var welcome = Assert.Single(await app.RunsAsync("onboarding-welcome", "Contoso"));
        var email = await app.EmailOfAsync(welcome);

        var response = await app.CreateClient().GetAsync(PlaybookTestSupport.LinkPath(email, "unsubscribe", "Unsubscribe"));
        await app.SetKickoffAsync("Contoso", app.Today().AddDays(-30));
        await app.RunPlaybooksAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("success@contoso.com", await response.Content.ReadAsStringAsync());
        var survey = Assert.Single(await app.RunsAsync("survey-30-day", "Contoso"));
        Assert.Equal(PlaybookOutcome.SkippedUnsubscribed, survey.Outcome);
        Assert.False(await app.QueryAsync(db => db.OutboxMessages.AnyAsync(m => m.RelatedEntityId == survey.Id.ToString())));
    }

    [Fact]
    public async Task Playbooks_command_shows_runs_delivery_states_and_survey_response_rate()
    {
        await app.RunPlaybooksAsync();
        var conversationId = "a:1playbooks-" + Guid.NewGuid().ToString("N");

        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "playbooks", conversationId: conversationId));
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, "playbooks", TestActivities.Guest, conversationId));

        await app.Connector.WaitForAsync(_ => app.Connector.Requests.Count(q => q.ConversationId == conversationId) >= 2);
        var replies = app.Connector.Requests.Where(r => r.ConversationId == conversationId).Select(r => r.Body!["attachments"]![0]!["content"]!.ToJsonString()).ToList();
        Assert.Contains(replies, r => r.Contains("30-day survey") && r.Contains("answered") && r.Contains("pending") && r.Contains("Monthly recap"));
        Assert.Contains(replies, r => r.Contains("Not allowed"));
    }
}
