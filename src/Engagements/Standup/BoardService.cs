using Engagements.Data;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Standup;

/// <summary>
/// Which engagements a board, overdue list or blocker command looks at: one customer's, one engineer's, or every
/// running one. Customer and engineer combine (an engineer naming a customer sees only engagements they work on).
/// </summary>
public sealed record EngagementScope(string Description, Guid? CustomerId = null, Guid? EngineerId = null)
{
    public static EngagementScope AllActive { get; } = new("all active engagements");

    public IQueryable<Engagement> Filter(IQueryable<Engagement> engagements)
    {
        if (CustomerId is { } customerId)
        {
            engagements = engagements.Where(e => e.CustomerId == customerId && e.Status != EngagementStatus.Cancelled);
        }
        else
        {
            engagements = engagements.Where(e => e.Status == EngagementStatus.Active || e.Status == EngagementStatus.AwaitingAssignment);
        }
        if (EngineerId is { } engineerId)
        {
            engagements = engagements.Where(e => e.Engineers.Any(a => a.EngineerId == engineerId && a.ReleasedAt == null));
        }
        return engagements;
    }

    public IQueryable<Deliverable> Deliverables(EngagementsDb db)
    {
        var engagementIds = Filter(db.Engagements).Select(e => e.Id);
        return db.Deliverables.AsNoTracking().Where(d => engagementIds.Contains(d.Project.EngagementId));
    }
}

/// <summary>`board [{customer}]`: the kanban of seed 004 — four columns with counts and at most <see cref="MaxItemsPerColumn"/> items each.</summary>
public sealed class BoardService(EngagementsDb db, TimeProvider clock)
{
    public const int MaxItemsPerColumn = 8;

    public async Task<object> BuildAsync(string title, EngagementScope scope, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var deliverables = scope.Deliverables(db);
        var counts = await deliverables.GroupBy(d => d.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var columns = new List<object>();
        foreach (var status in Enum.GetValues<DeliverableStatus>())
        {
            var count = counts.GetValueOrDefault(status);
            var items = count == 0 ? [] : await deliverables.Where(d => d.Status == status)
                .OrderByDescending(d => d.IsBlocked).ThenBy(d => d.DueDate == null).ThenBy(d => d.DueDate).ThenBy(d => d.SortOrder)
                .Take(MaxItemsPerColumn)
                .Select(d => new { d.Title, d.IsBlocked, d.DueDate, Customer = d.Project.Engagement.Customer.Name, Owner = d.Owner == null ? null : d.Owner.Name })
                .ToListAsync(cancellationToken);
            columns.Add(new
            {
                name = StoredText.Of(status),
                count,
                items = items.Select(i => new
                {
                    text = (i.IsBlocked ? "⛔ " : "") + i.Title + (scope.CustomerId is null ? $" · {i.Customer}" : ""),
                    detail = string.Join(" · ", new[]
                    {
                        i.Owner,
                        i.DueDate is { } due && status != DeliverableStatus.Completed ? (due < today ? "overdue " : "due ") + Dates.Short(due) : null,
                    }.Where(s => s is not null)),
                }),
                more = Math.Max(0, count - items.Count),
            });
        }
        return new { title, subtitle = $"{scope.Description} · {counts.Values.Sum()} deliverables", columns };
    }
}
