using Engagements.AccountAccess;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Onboarding;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Standup;

/// <summary>`overdue`: deliverables past their due date, checklist items (milestones) past their plan day, account requests past expected-by.</summary>
public sealed class OverdueService(EngagementsDb db, TimeProvider clock)
{
    public const int MaxItems = 10;

    public async Task<object> BuildAsync(EngagementScope scope, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var engagementIds = scope.Filter(db.Engagements).Select(e => e.Id);

        var deliverables = new Section("Deliverables", "No overdue deliverables.");
        var late = scope.Deliverables(db).Where(d => d.Status != DeliverableStatus.Completed && d.DueDate != null && d.DueDate < today);
        deliverables.Count = await late.CountAsync(cancellationToken);
        var deliverableRows = await late.OrderBy(d => d.DueDate).Take(MaxItems)
            .Select(d => new { d.Title, d.DueDate, Customer = d.Project.Engagement.Customer.Name, Owner = d.Owner == null ? null : d.Owner.Name })
            .ToListAsync(cancellationToken);
        deliverables.Items = [.. deliverableRows.Select(d =>
            new Line($"**{d.Title}** · {d.Customer} · due {Dates.Short(d.DueDate!.Value)} ({Late(d.DueDate.Value, today)}){(d.Owner is null ? "" : $" · {d.Owner}")}"))];

        // A checklist item's due date is kickoff + (due day - 1), a per-row sum the providers translate differently; the
        // earliest due day is -7, so only plans that kicked off before today + 8 can have one, and the rest is done here.
        var horizon = today.AddDays(8);
        var openItems = await db.ChecklistItems.AsNoTracking()
            .Where(i => i.DoneAt == null && i.Phase.Plan.State == PlanState.Active && i.Phase.Plan.KickoffDate < horizon
                && engagementIds.Contains(i.Phase.Plan.Project.EngagementId))
            .Select(i => new { i.Title, i.DueDay, i.OwnerRole, i.Phase.Plan.KickoffDate, Customer = i.Phase.Plan.Project.Engagement.Customer.Name })
            .ToListAsync(cancellationToken);
        var lateItems = openItems.Select(i => (Item: i, Due: i.KickoffDate.AddDays(i.DueDay - 1))).Where(i => i.Due < today).OrderBy(i => i.Due).ToList();
        var milestones = new Section("Milestones", "No overdue milestones.")
        {
            Count = lateItems.Count,
            Items = [.. lateItems.Take(MaxItems).Select(i =>
                new Line($"**{i.Item.Title}** · {i.Item.Customer} · due {Dates.Short(i.Due)} ({Late(i.Due, today)}) · {DisplayText.Of(i.Item.OwnerRole)}"))],
        };

        var accounts = new Section("Account requests", "No overdue account requests.");
        var lateRequests = db.AccountRequests.AsNoTracking().Where(r => r.Status != AccountRequestStatus.Verified && r.Status != AccountRequestStatus.Closed
            && r.ExpectedBy != null && r.ExpectedBy < today && engagementIds.Contains(r.EngagementId));
        accounts.Count = await lateRequests.CountAsync(cancellationToken);
        var requestRows = await lateRequests.OrderBy(r => r.ExpectedBy).Take(MaxItems)
            .Select(r => new { r.System, r.Status, r.ExpectedBy, Customer = r.Customer.Name, Engineer = r.Engineer.Name })
            .ToListAsync(cancellationToken);
        accounts.Items = [.. requestRows.Select(r =>
            new Line($"**{r.Customer} {r.System}** · {r.Engineer} · {DisplayText.Of(r.Status)} · expected by {Dates.Short(r.ExpectedBy!.Value)} ({Late(r.ExpectedBy.Value, today)})"))];

        return new
        {
            title = "Overdue",
            subtitle = $"As of {Dates.Short(today)} · {scope.Description}",
            sections = new[] { deliverables.ToCardData(), milestones.ToCardData(), accounts.ToCardData() },
        };
    }

    private static string Late(DateOnly due, DateOnly today) => today.DayNumber - due.DayNumber is var days && days == 1 ? "1 day late" : $"{days} days late";
}
