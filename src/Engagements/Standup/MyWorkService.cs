using Engagements.AccountAccess;
using Engagements.Assignments;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Onboarding;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Standup;

/// <summary>`my work`: the caller's open deliverables and account requests (via their engineer profile) and what waits for their decision.</summary>
public sealed class MyWorkService(EngagementsDb db, TimeProvider clock)
{
    public const int MaxItems = 10;

    public async Task<object> BuildAsync(Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var engineerId = await db.Engineers.AsNoTracking().Where(e => e.AadObjectId == caller.AadObjectId)
            .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);

        var deliverables = new Section("Deliverables", "No open deliverables.");
        var accounts = new Section("Account requests", "No open account requests.");
        if (engineerId is { } id)
        {
            var mine = db.Deliverables.AsNoTracking().Where(d => d.OwnerId == id && d.Status != DeliverableStatus.Completed
                && d.Project.Engagement.Status != EngagementStatus.Cancelled && d.Project.Engagement.Status != EngagementStatus.Completed);
            deliverables.Count = await mine.CountAsync(cancellationToken);
            var rows = await mine.OrderByDescending(d => d.IsBlocked).ThenBy(d => d.DueDate == null).ThenBy(d => d.DueDate).Take(MaxItems)
                .Select(d => new { d.Title, d.Status, d.DueDate, d.IsBlocked, d.BlockedSince, Customer = d.Project.Engagement.Customer.Name })
                .ToListAsync(cancellationToken);
            deliverables.Items = [.. rows.Select(d => new Line(
                $"{(d.IsBlocked ? "⛔ " : "")}**{d.Title}** · {d.Customer} · {StoredText.Of(d.Status)}{DueText(d.DueDate, today)}"
                + (d.IsBlocked ? $" — blocked {Ages.Describe(now - (d.BlockedSince ?? now))}" : "")))];

            var requests = db.AccountRequests.AsNoTracking()
                .Where(r => r.EngineerId == id && r.Status != AccountRequestStatus.Verified && r.Status != AccountRequestStatus.Closed);
            accounts.Count = await requests.CountAsync(cancellationToken);
            var requestRows = await requests.OrderBy(r => r.ExpectedBy == null).ThenBy(r => r.ExpectedBy).Take(MaxItems)
                .Select(r => new { r.System, r.Status, r.ExpectedBy, r.NotBefore, Customer = r.Customer.Name })
                .ToListAsync(cancellationToken);
            accounts.Items = [.. requestRows.Select(r => new Line(
                $"**{r.Customer} {r.System}** · {DisplayText.Of(r.Status)}"
                + (r.ExpectedBy is { } by ? $" · expected by {Dates.Short(by)}{(by < today ? " (overdue)" : "")}"
                    : r.Status == AccountRequestStatus.Scheduled ? $" · not before {Dates.Short(r.NotBefore)}" : "")))];
        }

        var approvals = new Section("Pending approvals", "Nothing waits for your approval.");
        if (caller.Has(Role.Manager))
        {
            var pending = db.AssignmentRequests.AsNoTracking().Where(r => r.Status == AssignmentStatus.Pending);
            approvals.Count += await pending.CountAsync(cancellationToken);
            var rows = await pending.OrderBy(r => r.RequestedAt).Take(MaxItems)
                .Select(r => new { r.RequestedAt, Customer = r.Engagement.Customer.Name }).ToListAsync(cancellationToken);
            approvals.Items.AddRange(rows.Select(r => new Line($"**Assign an engineer to {r.Customer}** · requested {Ages.Describe(now - r.RequestedAt)} ago")));
        }
        if (caller.HasAny(Role.Csm, Role.Manager))
        {
            // Phase confirmations go to the customer's CSM (or a manager, SPEC §3.4).
            var awaiting = db.PlanPhases.AsNoTracking().Where(p => p.Status == PhaseStatus.AwaitingConfirmation
                && (caller.Has(Role.Manager) || p.Plan.Project.Engagement.Customer.CsmAadObjectId == caller.AadObjectId));
            approvals.Count += await awaiting.CountAsync(cancellationToken);
            var rows = await awaiting.Take(MaxItems).Select(p => new { p.Name, Customer = p.Plan.Project.Engagement.Customer.Name }).ToListAsync(cancellationToken);
            approvals.Items.AddRange(rows.Select(p => new Line($"**Confirm {p.Name} complete for {p.Customer}**")));
        }

        return new
        {
            title = $"Your work, {caller.Name}",
            subtitle = engineerId is null
                ? "You have no engineer profile, so no deliverables or accounts are assigned to you."
                : "Open deliverables, account requests and approvals waiting for you",
            sections = new[] { deliverables.ToCardData(), accounts.ToCardData(), approvals.ToCardData() },
        };
    }

    internal static string DueText(DateOnly? due, DateOnly today) =>
        due is { } d ? $" · due {Dates.Short(d)}{(d < today ? " (overdue)" : "")}" : "";
}

/// <summary>One titled list of a my-work or overdue card: its total count, the first items, and how many more there are.</summary>
internal sealed class Section(string heading, string empty)
{
    public int Count { get; set; }
    public List<Line> Items { get; set; } = [];

    public object ToCardData() => new { heading, count = Count, items = Items, more = Math.Max(0, Count - Items.Count), empty };
}
