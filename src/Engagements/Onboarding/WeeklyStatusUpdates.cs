using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Mail;
using Engagements.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

/// <summary>
/// Seed 003's weekly status update: the bot drafts it for each running plan every week and sends the draft card to the
/// CSM; one click on "Approve and send" emails it (through the outbox) to the recipients on the card.
/// </summary>
public sealed class WeeklyStatusUpdates(
    EngagementsDb db, OnboardingCommunications communications, OutboxWriter outbox, AuditLog audit, CardCatalog cards, TimeProvider clock)
{
    private const int MaxRecipients = 20;

    public static string DraftKey(Guid planId, DateOnly weekOf) => $"onboarding:status:{planId:N}:{weekOf:yyyyMMdd}:draft";

    public static string EmailKey(Guid planId, DateOnly weekOf) => $"onboarding:status:{planId:N}:{weekOf:yyyyMMdd}:email";

    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The weekly job: one draft per running plan (after kickoff) and week, to the customer's CSM.</summary>
    public async Task<int> DraftAllAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var weekOf = WeekOf(today);
        var plans = await db.PlanGraphs().Where(p => p.State == PlanState.Active && p.KickoffDate <= today).ToListAsync(cancellationToken);
        var keys = plans.Select(p => DraftKey(p.Id, weekOf)).ToList();
        var drafted = (await db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey != null && keys.Contains(m.IdempotencyKey))
            .Select(m => m.IdempotencyKey!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var count = 0;
        foreach (var plan in plans.Where(p => p.Project.Engagement.Customer.CsmAadObjectId is not null && !drafted.Contains(DraftKey(p.Id, weekOf))))
        {
            outbox.SendToUser(plan.Project.Engagement.Customer.CsmAadObjectId!, Messages.Card(RenderDraft(plan, weekOf, today, null, null)),
                DraftKey(plan.Id, weekOf), Related.To<OnboardingPlan>(plan.Id));
            count++;
        }
        if (count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return count;
    }

    /// <summary>The `approveStatusUpdate` action; sending twice is impossible (one email key per plan and week).</summary>
    public async Task<CardActionResult> ApproveAsync(
        Caller caller, Guid planId, DateOnly weekOf, string? recipientsText, CardOrigin origin, CancellationToken cancellationToken)
    {
        var plan = await db.PlanGraphs().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return new(cards.Render("message", new { title = "Plan not found", text = "This plan no longer exists.", style = "attention" }), false);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var key = EmailKey(plan.Id, weekOf);
        var sent = await db.OutboxMessages.AsNoTracking().AnyAsync(m => m.IdempotencyKey == key, cancellationToken);
        if (sent)
        {
            return new(RenderDraft(plan, weekOf, today, null, "sent"), false);
        }
        if (!PlanQueries.MayConfirm(caller, plan))
        {
            return new(RenderDraft(plan, weekOf, today, $"Only {plan.Project.Engagement.Customer.Name}'s CSM or a Manager can approve the status update; nothing was sent.", null), false);
        }
        var recipients = (recipientsText ?? "").Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var invalid = recipients.Where(r => !MailAddress.TryCreate(r, out _)).ToList();
        if (recipients.Length == 0 || recipients.Length > MaxRecipients || invalid.Count > 0)
        {
            return new(RenderDraft(plan, weekOf, today,
                invalid.Count > 0 ? $"Not an email address: {string.Join(", ", invalid)}." : $"Give between 1 and {MaxRecipients} recipients.", null), false);
        }

        var email = BuildEmail(plan, weekOf, today, recipients);
        outbox.SendEmail(email, key, Related.To<OnboardingPlan>(plan.Id));
        audit.Record(new AuditActor(caller.AadObjectId, caller.Name), AuditSource.Card, "status-update-approved", nameof(OnboardingPlan), plan.Id.ToString(),
            after: new { weekOf, to = recipients, subject = email.Subject });
        var card = RenderDraft(plan, weekOf, today, null, "sent");
        if (origin.ConversationId is not null && origin.ActivityId is not null)
        {
            outbox.UpdateActivity(origin.ConversationId, origin.ActivityId, Messages.Card(card), null, Related.To<OnboardingPlan>(plan.Id));
        }
        await db.SaveChangesAsync(cancellationToken);
        return new(card, true);
    }

    public JsonObject RenderDraft(OnboardingPlan plan, DateOnly weekOf, DateOnly today, string? error, string? outcome)
    {
        var status = StatusOf(plan, weekOf, today);
        return cards.Render("status-update", new
        {
            planId = plan.Id,
            weekOf = weekOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            customer = status.Customer,
            subject = status.Subject,
            intro = status.Intro,
            completed = status.Completed.Select(t => new { text = t }),
            nextSteps = status.NextSteps.Select(t => new { text = t }),
            blockers = status.Blockers.Select(t => new { text = t }),
            recipients = plan.Project.Engagement.Customer.CsmEmail ?? "",
            error,
            sent = outcome is null ? null : new { text = "Approved and sent" },
        });
    }

    private EmailMessage BuildEmail(OnboardingPlan plan, DateOnly weekOf, DateOnly today, IReadOnlyList<string> to)
    {
        var status = StatusOf(plan, weekOf, today);
        var html = new StringBuilder();
        html.Append("<p>").Append(Paragraphs(status.Intro)).Append("</p>");
        Section(html, "Completed this week", status.Completed);
        Section(html, "Next steps", status.NextSteps);
        Section(html, "Blockers", status.Blockers);
        html.Append("<p>").Append(Paragraphs(status.Outro)).Append("</p>");
        return new EmailMessage(to, [], status.Subject, html.ToString(), "onboarding-weekly-status");
    }

    private sealed record Status(string Customer, string Subject, string Intro, string Outro, List<string> Completed, List<string> NextSteps, List<string> Blockers);

    private Status StatusOf(OnboardingPlan plan, DateOnly weekOf, DateOnly today)
    {
        var template = communications.Templates.WeeklyStatus!;
        var customer = plan.Project.Engagement.Customer;
        var values = new Dictionary<string, string>
        {
            ["customer"] = customer.Name,
            ["weekOf"] = weekOf.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            ["phase"] = plan.CurrentPhase?.Name ?? "final",
            ["day"] = plan.DayOn(today).ToString(CultureInfo.InvariantCulture),
            ["progress"] = PlanProgress.PercentOf(plan).ToString(CultureInfo.InvariantCulture),
            ["csm"] = customer.CsmName ?? "Your Customer Success Manager",
        };
        var weekStart = new DateTimeOffset(weekOf.AddDays(-7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var items = plan.Phases.SelectMany(p => p.Items).ToList();
        var completed = items.Where(i => i.DoneAt >= weekStart).Select(i => i.Title)
            .Concat(plan.Project.Deliverables.Where(d => d.CompletedAt >= weekStart).Select(d => d.Title)).ToList();
        var horizon = today.AddDays(14);
        var next = items.Where(i => !i.IsDone && PlanProgress.DueDateOf(plan, i) <= horizon)
            .Select(i => (i.Title, Due: PlanProgress.DueDateOf(plan, i)))
            .Concat(plan.Project.Deliverables.Where(d => d.Status != DeliverableStatus.Completed && d.DueDate <= horizon).Select(d => (d.Title, Due: d.DueDate!.Value)))
            .OrderBy(n => n.Due).Select(n => $"{n.Title} (due {n.Due:d MMM})").ToList();
        var blockers = plan.Project.Deliverables.Where(d => d.IsBlocked).Select(d => $"{d.Title}: {d.BlockedReason}").ToList();
        return new(customer.Name, OnboardingCommunications.Fill(template.Subject, values), OnboardingCommunications.Fill(template.Intro, values),
            OnboardingCommunications.Fill(template.Outro, values), completed, next, blockers);
    }

    private static void Section(StringBuilder html, string title, List<string> lines)
    {
        html.Append("<h3>").Append(WebUtility.HtmlEncode(title)).Append("</h3>");
        if (lines.Count == 0)
        {
            html.Append("<p>None.</p>");
            return;
        }
        html.Append("<ul>");
        foreach (var line in lines)
        {
            html.Append("<li>").Append(WebUtility.HtmlEncode(line)).Append("</li>");
        }
        html.Append("</ul>");
    }

    private static string Paragraphs(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal);
}
