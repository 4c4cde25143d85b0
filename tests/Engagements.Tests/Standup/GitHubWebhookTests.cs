using System.Net;
using System.Text;
using Engagements.Audit;
using Engagements.Delivery;
using Engagements.Standup;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Standup;

public sealed class GitHubApplication : EngagementsApplication
{
    public const string Secret = "test-webhook-secret";

    public GitHubApplication() => Settings["GitHub:WebhookSecret"] = Secret;
}

public class GitHubWebhookTests(GitHubApplication app) : IClassFixture<GitHubApplication>
{
    // Contoso's "API connections established" links this issue in the demo data and is still To-Do.
    private const string IssueUrl = "https://github.com/contoso-delivery/onboarding/issues/13";

    [Fact]
    public async Task A_bad_or_missing_signature_is_refused_with_401_and_nothing_moves()
    {
        var body = IssueEvent("closed", IssueUrl);

        var wrong = await PostAsync(body, "issues", GitHubWebhookApi.Sign(Encoding.UTF8.GetBytes(body), "not-the-secret"));
        var missing = await PostAsync(body, "issues", null);
        var garbage = await PostAsync(body, "issues", "sha256=zz");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Equal(DeliverableStatus.ToDo, (await LinkedAsync()).Status);
    }

    [Fact]
    public async Task A_closed_issue_moves_its_deliverable_to_Under_Review_and_reopening_moves_it_back_to_In_Progress()
    {
        var closed = await PostSignedAsync(IssueEvent("closed", IssueUrl));

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(DeliverableStatus.UnderReview, (await LinkedAsync()).Status);

        var reopened = await PostSignedAsync(IssueEvent("reopened", IssueUrl));

        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        var deliverable = await LinkedAsync();
        Assert.Equal(DeliverableStatus.InProgress, deliverable.Status);
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == deliverable.Id.ToString()).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["github-issue-closed", "github-issue-reopened"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(AuditSource.Webhook, a.Source));
        Assert.Contains("Under Review", audit[0].AfterJson);
        Assert.Equal("GitHub (octocat)", audit[0].ActorName);
    }

    [Fact]
    public async Task Ping_and_unknown_issues_are_acknowledged_and_ignored()
    {
        var ping = await PostSignedAsync("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}", "ping");
        var unknown = await PostSignedAsync(IssueEvent("closed", "https://github.com/nobody/nothing/issues/1"));

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("\"moved\":0", await unknown.Content.ReadAsStringAsync());
        Assert.False(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Reason == "https://github.com/nobody/nothing/issues/1")));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_an_oversized_body_is_refused()
    {
        var malformed = await PostSignedAsync("{\"action\": \"closed\", ");
        var huge = await PostSignedAsync(IssueEvent("closed", IssueUrl) + new string(' ', 300 * 1024));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    private static string IssueEvent(string action, string url) => new System.Text.Json.Nodes.JsonObject
    {
        ["action"] = action,
        ["issue"] = new System.Text.Json.Nodes.JsonObject { ["number"] = 13, ["html_url"] = url, ["state"] = action == "closed" ? "closed" : "open" },
        ["sender"] = new System.Text.Json.Nodes.JsonObject { ["login"] = "octocat" },
    }.ToJsonString();

    private Task<HttpResponseMessage> PostSignedAsync(string body, string eventName = "issues") =>
        PostAsync(body, eventName, GitHubWebhookApi.Sign(Encoding.UTF8.GetBytes(body), GitHubApplication.Secret));

    private async Task<HttpResponseMessage> PostAsync(string body, string eventName, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(GitHubWebhookApi.EventHeader, eventName);
        if (signature is not null)
        {
            request.Headers.Add(GitHubWebhookApi.SignatureHeader, signature);
        }
        return await app.CreateClient().SendAsync(request);
    }

    private Task<Deliverable> LinkedAsync() =>
        app.QueryAsync(db => db.Deliverables.AsNoTracking().SingleAsync(d => d.GitHubIssueUrl == IssueUrl));
}
