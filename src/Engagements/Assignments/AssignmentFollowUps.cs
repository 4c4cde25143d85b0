using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Data;
using Engagements.Outbox;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Engagements.Assignments;

public sealed record FollowUpResult(int Reminded, int Escalated);

/// <summary>
/// Chases pending approvals (SPEC §3.2): after Assignment:RemindAfter a reminder to the managers in the approvals
/// channel, after Assignment:EscalateAfter an escalation post in the escalations channel. Each happens once per request,
/// recorded on the row (RemindedAt, EscalatedAt) and guarded by the outbox's unique idempotency keys.
/// </summary>
public sealed class AssignmentFollowUps(
    EngagementsDb db,
    OutboxWriter outbox,
    AuditLog audit,
    CardCatalog cards,
    RoleService roles,
    TimeProvider clock,
    IOptionsMonitor<AssignmentOptions> options)
{
    private static readonly AuditActor Actor = AuditActor.Job(nameof(AssignmentFollowUpJob));

    public async Task<FollowUpResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Cut-offs are computed here and compared in SQL (decision 0002: instants are UTC ticks on SQLite).
        var remindBefore = now - options.CurrentValue.RemindAfter;
        var escalateBefore = now - options.CurrentValue.EscalateAfter;
        var due = await db.AssignmentRequests
            .Include(r => r.Engagement).ThenInclude(e => e.Customer)
            .Where(r => r.Status == AssignmentStatus.Pending
                && ((r.RemindedAt == null && r.RequestedAt <= remindBefore) || (r.EscalatedAt == null && r.RequestedAt <= escalateBefore)))
            .OrderBy(r => r.RequestedAt)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new(0, 0);
        }

        var managers = await roles.HoldersOfAsync(Role.Manager, cancellationToken);
        int reminded = 0, escalated = 0;
        foreach (var request in due)
        {
            var customer = request.Engagement.Customer.Name;
            var waiting = Waiting(now - request.RequestedAt);
            if (request.RemindedAt is null && request.RequestedAt <= remindBefore)
            {
                var card = cards.Render("message", new
                {
                    title = $"Reminder: {customer} is waiting for an engineer",
                    style = "warning",
                    text = $"The Assign engineer card for **{customer}** has been pending for {waiting}. A manager, please approve or reject it in this channel.",
                });
                await PostOrSendToManagersAsync(ChannelPurpose.Approvals, card, $"assignment:{request.Id}:reminder", request, managers, cancellationToken);
                request.RemindedAt = now;
                audit.Record(Actor, AuditSource.Job, "assignment-reminded", nameof(AssignmentRequest), request.Id.ToString(),
                    new { remindedAt = (DateTimeOffset?)null }, new { remindedAt = now });
                reminded++;
            }
            if (request.EscalatedAt is null && request.RequestedAt <= escalateBefore)
            {
                var card = cards.Render("message", new
                {
                    title = $"Escalation: no engineer assigned to {customer}",
                    style = "attention",
                    text = $"The Assign engineer approval for **{customer}** has been pending for {waiting} (requested {Format.Instant(request.RequestedAt)}). "
                        + "The engagement cannot start until a manager decides it in the approvals channel.",
                });
                await PostOrSendToManagersAsync(ChannelPurpose.Escalations, card, $"assignment:{request.Id}:escalation", request, managers, cancellationToken);
                request.EscalatedAt = now;
                audit.Record(Actor, AuditSource.Job, "assignment-escalated", nameof(AssignmentRequest), request.Id.ToString(),
                    new { escalatedAt = (DateTimeOffset?)null }, new { escalatedAt = now });
                escalated++;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A manager decided one of these while we ran, or another instance chased them first: nothing of this run
            // was written; the next run looks again at whatever is still pending.
            db.ChangeTracker.Clear();
            return new(0, 0);
        }
        return new(reminded, escalated);
    }

    // With no channel bound to the purpose, the managers still hear about it: one 1:1 message each.
    private async Task PostOrSendToManagersAsync(
        ChannelPurpose purpose, System.Text.Json.Nodes.JsonObject card, string key, AssignmentRequest request,
        IReadOnlyList<string> managers, CancellationToken cancellationToken)
    {
        var related = Related.To<AssignmentRequest>(request.Id);
        if (await outbox.PostToChannelAsync(purpose, Messages.Card(card), key, related, cancellationToken) is not null)
        {
            return;
        }
        foreach (var manager in managers)
        {
            outbox.SendToUser(manager, Messages.Card(card), $"{key}:{manager}", related);
        }
    }

    private static string Waiting(TimeSpan age) =>
        age.TotalHours < 48 ? $"{(int)age.TotalHours} hours" : $"{(int)age.TotalDays} days";
}

[DisallowConcurrentExecution]
public sealed class AssignmentFollowUpJob(AssignmentFollowUps followUps) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await followUps.RunAsync(cancellationToken);
}
