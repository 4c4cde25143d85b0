using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Engagements.Audit;
using Engagements.Data;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Standup;

public sealed class GitHubOptions
{
    // The secret set on the GitHub webhook; with none configured every delivery is refused.
    public string? WebhookSecret { get; set; }

    public int MaxBodyBytes { get; set; } = 256 * 1024;
}

/// <summary>
/// `POST /api/github/webhook` (SPEC §3.7): an `issues` event for an issue a deliverable links to moves it on the board —
/// closed → Under Review (a person still confirms the work), reopened → In Progress. Verified with X-Hub-Signature-256.
/// </summary>
public static partial class GitHubWebhookApi
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string EventHeader = "X-GitHub-Event";

    public static IEndpointRouteBuilder MapGitHubWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/github/webhook", HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, IOptions<GitHubOptions> options, GitHubIssueSync sync, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var body = await ReadCappedAsync(request.Body, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (!IsSigned(body, request.Headers[SignatureHeader].ToString(), settings.WebhookSecret))
        {
            return TypedResults.Unauthorized();
        }

        var eventName = request.Headers[EventHeader].ToString();
        if (eventName != "issues")
        {
            // ping (sent when the hook is created) and every other event are acknowledged and ignored.
            return TypedResults.Ok(new { ignored = eventName });
        }

        IssueEvent? issueEvent;
        try
        {
            issueEvent = JsonSerializer.Deserialize<IssueEvent>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }
        if (issueEvent?.Issue?.HtmlUrl is not { Length: > 0 } issueUrl || issueEvent.Action is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "issue.html_url is required",
                detail: "An issues event names its issue (issue.html_url) and its action.");
        }
        var moved = await sync.ApplyAsync(issueEvent.Action, issueUrl, issueEvent.Sender?.Login, cancellationToken);
        return TypedResults.Ok(new { moved });
    }

    // sha256=<hex HMAC-SHA256 of the raw body>; compared in constant time.
    public static bool IsSigned(byte[] body, string header, string? secret)
    {
        const string prefix = "sha256=";
        if (string.IsNullOrEmpty(secret) || !header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static async Task<byte[]?> ReadCappedAsync(Stream body, int cap, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed record IssueEvent(string? Action, Issue? Issue, Sender? Sender);

    private sealed record Issue([property: System.Text.Json.Serialization.JsonPropertyName("html_url")] string? HtmlUrl);

    private sealed record Sender(string? Login);
}

/// <summary>Moves the deliverables linked to a GitHub issue when the issue closes or reopens; every move is audited.</summary>
public sealed class GitHubIssueSync(EngagementsDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<int> ApplyAsync(string action, string issueUrl, string? sender, CancellationToken cancellationToken)
    {
        var (target, from) = action switch
        {
            "closed" => (DeliverableStatus.UnderReview, new[] { DeliverableStatus.ToDo, DeliverableStatus.InProgress }),
            "reopened" => (DeliverableStatus.InProgress, new[] { DeliverableStatus.UnderReview, DeliverableStatus.Completed }),
            _ => (default(DeliverableStatus?), Array.Empty<DeliverableStatus>()),
        };
        if (target is null)
        {
            return 0;
        }
        var deliverables = await db.Deliverables.Where(d => d.GitHubIssueUrl == issueUrl).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var moved = 0;
        foreach (var deliverable in deliverables.Where(d => from.Contains(d.Status)))
        {
            var before = new { Status = StoredText.Of(deliverable.Status) };
            deliverable.Status = target.Value;
            deliverable.CompletedAt = null;
            deliverable.UpdatedAt = now;
            audit.Record(new AuditActor(null, sender is null ? "GitHub" : $"GitHub ({sender})"), AuditSource.Webhook, $"github-issue-{action}",
                nameof(Deliverable), deliverable.Id.ToString(), before, new { Status = StoredText.Of(deliverable.Status) }, issueUrl);
            moved++;
        }
        if (moved > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return moved;
    }
}
