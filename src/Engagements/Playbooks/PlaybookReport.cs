using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Outbox;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Playbooks;

/// <summary>The `playbooks` command: runs, email delivery states, survey response rate and unsubscribes per playbook (seed 004 conversation metrics).</summary>
public sealed class PlaybookReport(EngagementsDb db, PlaybookCatalog catalog, CardCatalog cards)
{
    public async Task<JsonObject> CardAsync(CancellationToken cancellationToken) => cards.Render("playbooks", await DataAsync(cancellationToken));

    internal async Task<object> DataAsync(CancellationToken cancellationToken)
    {
        var runs = await db.PlaybookRuns.AsNoTracking()
            .GroupBy(r => new { r.PlaybookId, r.Outcome })
            .Select(g => new { g.Key.PlaybookId, g.Key.Outcome, Count = g.Count(), Last = g.Max(r => r.RunAt) })
            .ToListAsync(cancellationToken);

        // Email outbox rows point at their run; the run says which playbook.
        var emails = await (
                from message in db.OutboxMessages.AsNoTracking()
                where message.Kind == OutboxKind.SendEmail && message.RelatedEntityType == nameof(PlaybookRun)
                select new { message.RelatedEntityId, message.State })
            .ToListAsync(cancellationToken);
        var runPlaybooks = await db.PlaybookRuns.AsNoTracking().Select(r => new { r.Id, r.PlaybookId }).ToListAsync(cancellationToken);
        var playbookOfRun = runPlaybooks.ToDictionary(r => r.Id.ToString(), r => r.PlaybookId);
        var surveyAnswers = await db.Signals.AsNoTracking()
            .Where(s => s.Kind == SignalKind.Nps && s.SignalId != null && s.SignalId.StartsWith("survey:"))
            .Select(s => s.SignalId!)
            .ToListAsync(cancellationToken);
        var answeredRuns = surveyAnswers.Select(id => Guid.TryParseExact(id["survey:".Length..], "N", out var runId) ? runId.ToString() : "").ToHashSet();
        var unsubscribes = await db.EmailUnsubscribes.AsNoTracking()
            .GroupBy(u => u.PlaybookId)
            .Select(g => new { PlaybookId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        return new
        {
            playbooks = catalog.All.Select(p =>
            {
                var mine = runs.Where(r => r.PlaybookId == p.Id).ToList();
                var states = emails.Where(e => e.RelatedEntityId is not null && playbookOfRun.GetValueOrDefault(e.RelatedEntityId) == p.Id).Select(e => e.State).ToList();
                var emailed = runPlaybooks.Where(r => r.PlaybookId == p.Id).Select(r => r.Id.ToString()).ToList();
                var sent = states.Count(s => s == OutboxState.Sent);
                var surveysSent = p.SendsSurvey ? states.Count : 0;
                var answered = p.SendsSurvey ? emailed.Count(answeredRuns.Contains) : 0;
                return new
                {
                    id = p.Id,
                    name = p.Name,
                    runs = mine.Sum(r => r.Count),
                    skipped = mine.Where(r => r.Outcome != PlaybookOutcome.Completed).Sum(r => r.Count),
                    lastRun = mine.Count == 0 ? "never" : mine.Max(r => r.Last).UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
                    emails = p.SendsEmail
                        ? $"{sent} sent · {states.Count(s => s == OutboxState.Pending)} pending · {states.Count(s => s == OutboxState.Recorded)} recorded · {states.Count(s => s is OutboxState.Failed or OutboxState.RecipientGone or OutboxState.Blocked)} failed"
                        : "no emails",
                    survey = p.SendsSurvey
                        ? $"{answered} of {surveysSent} answered ({(surveysSent == 0 ? 0 : 100.0 * answered / surveysSent).ToString("0", CultureInfo.InvariantCulture)}%)"
                        : null,
                    unsubscribes = unsubscribes.SingleOrDefault(u => u.PlaybookId == p.Id)?.Count ?? 0,
                };
            }),
        };
    }
}
