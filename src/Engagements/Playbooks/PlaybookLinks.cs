using System.Net;
using Engagements.Audit;
using Engagements.Data;
using Engagements.Links;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Playbooks;

/// <summary>
/// The one-click links in playbook emails: GET /survey/{token} records an NPS answer once, GET /unsubscribe/{token}
/// stops playbook emails to that address. Tampered, foreign or expired tokens get 403 and change nothing.
/// </summary>
public sealed class PlaybookLinks(EngagementsDb db, SignedLinks links, UsageIngestion usage, AuditLog audit, TimeProvider clock)
{
    public async Task<IResult> SurveyAsync(string token, CancellationToken cancellationToken)
    {
        var subject = links.Verify(PlaybookRunner.SurveyPurpose, token);
        if (subject is not { Length: > 64 }
            || !Guid.TryParseExact(subject[..32], "N", out var runId)
            || !Guid.TryParseExact(subject[32..64], "N", out var customerId)
            || !int.TryParse(subject[64..], System.Globalization.CultureInfo.InvariantCulture, out var score) || score is < 0 or > 10)
        {
            return Page(403, "Link not valid", "This survey link is not valid or has expired.");
        }

        // The link is for one customer's survey run: both must match what was sent.
        var run = await db.PlaybookRuns.Include(r => r.Customer).SingleOrDefaultAsync(r => r.Id == runId && r.CustomerId == customerId, cancellationToken);
        if (run is null)
        {
            return Page(403, "Link not valid", "This survey link is not valid or has expired.");
        }

        var signalId = $"survey:{runId:N}";
        var recorded = await db.Signals.AsNoTracking().Where(s => s.SignalId == signalId).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        if (recorded is not null)
        {
            return Page(200, "Already answered", $"Your answer for {run.Customer.Name} ({recorded:0} of 10) was already recorded. Thank you!");
        }

        await usage.RecordNpsAsync(run.Customer, score, signalId, $"30-day survey ({run.PlaybookId})", cancellationToken);
        audit.Record(new AuditActor(null, "Survey respondent"), AuditSource.Webhook, "survey.answered", nameof(PlaybookRun), run.Id.ToString(),
            after: new { customer = run.Customer.Name, score });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A double click raced this one; the unique signal id kept only the first.
            return Page(200, "Already answered", $"Your answer for {run.Customer.Name} was already recorded. Thank you!");
        }

        return Page(200, "Thank you", $"We recorded your answer for {run.Customer.Name}: {score} of 10.");
    }

    public async Task<IResult> UnsubscribeAsync(string token, CancellationToken cancellationToken)
    {
        var subject = links.Verify(PlaybookRunner.UnsubscribePurpose, token);
        if (subject is not { Length: > 34 }
            || !Guid.TryParseExact(subject[..32], "N", out var customerId)
            || !int.TryParse(subject[32..34], System.Globalization.CultureInfo.InvariantCulture, out var playbookLength)
            || subject.Length <= 34 + playbookLength)
        {
            return Page(403, "Link not valid", "This unsubscribe link is not valid or has expired.");
        }

        var playbookId = subject.Substring(34, playbookLength);
        var email = subject[(34 + playbookLength)..];
        if (!await db.EmailUnsubscribes.AnyAsync(u => u.Email == email, cancellationToken))
        {
            var unsubscribe = new EmailUnsubscribe { Email = email, CustomerId = customerId, PlaybookId = playbookId, At = clock.GetUtcNow() };
            db.EmailUnsubscribes.Add(unsubscribe);
            audit.Record(new AuditActor(null, email), AuditSource.Webhook, "email.unsubscribed", nameof(EmailUnsubscribe), unsubscribe.Id.ToString(),
                after: new { email, playbook = unsubscribe.PlaybookId });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Clicked twice at once: the first click's row stands.
            }
        }

        return Page(200, "Unsubscribed", $"{email} will receive no more of these emails.");
    }

    // Plain HTML; every value HTML-encoded.
    private static IResult Page(int status, string title, string message) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>" +
        $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>",
        "text/html; charset=utf-8", statusCode: status);
}
