using Engagements.Audit;
using Engagements.Bot;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Standup;

public sealed record DeliverableChoice(Guid Id, string Title, string Customer)
{
    public string Label => $"{Title} · {Customer}";
}

public abstract record BlockerOutcome
{
    public sealed record Changed(DeliverableChoice Deliverable, string? Reason, DateTimeOffset? Since, string? BlockedFor) : BlockerOutcome;

    public sealed record Unchanged(DeliverableChoice Deliverable, string Why) : BlockerOutcome;

    public sealed record Found(DeliverableChoice Deliverable) : BlockerOutcome;

    public sealed record Ambiguous(IReadOnlyList<DeliverableChoice> Candidates) : BlockerOutcome;

    public sealed record NotFound(string Text) : BlockerOutcome;
}

/// <summary>
/// `blocked {item}: {reason}` and `unblocked {item}`: finds the deliverable by fuzzy title among those the caller
/// may touch (`{item} for {customer}` narrows to one customer), then sets or clears the blocker and audits it.
/// </summary>
public sealed class BlockerService(EngagementsDb db, CustomerMatcher customers, AuditLog audit, TimeProvider clock)
{
    public const int MaxCandidates = 8;

    public async Task<BlockerOutcome> FindAsync(EngagementScope scope, string typed, bool onlyBlocked, CancellationToken cancellationToken)
    {
        var title = typed;
        var forAt = typed.LastIndexOf(" for ", StringComparison.OrdinalIgnoreCase);
        if (forAt > 0)
        {
            var match = await customers.MatchAsync(typed[(forAt + 5)..], cancellationToken);
            if (match.Customer is { } customer)
            {
                scope = scope with { CustomerId = customer.Id, Description = customer.Name };
                title = typed[..forAt];
            }
        }

        var candidates = scope.Deliverables(db);
        if (onlyBlocked)
        {
            candidates = candidates.Where(d => d.IsBlocked);
        }
        var rows = await candidates
            .Select(d => new { d.Id, d.Title, Customer = d.Project.Engagement.Customer.Name })
            .ToListAsync(cancellationToken);
        var (best, closest) = CustomerMatcher.Rank(rows, r => CustomerMatcher.Normalize(r.Title), title, r => new DeliverableChoice(r.Id, r.Title, r.Customer));
        return best.Count switch
        {
            1 => new BlockerOutcome.Found(best[0]),
            > 1 => new BlockerOutcome.Ambiguous([.. best.Take(MaxCandidates)]),
            _ => new BlockerOutcome.NotFound(
                $"No {(onlyBlocked ? "blocked " : "")}deliverable matching \"{title.Trim()}\" in {scope.Description}."
                + (closest.Count == 0 ? "" : $" Did you mean: {string.Join(", ", closest.Select(c => c.Label))}?")),
        };
    }

    /// <summary>Blocks (reason given) or unblocks (reason null) one deliverable, provided it lies in the caller's scope.</summary>
    public async Task<BlockerOutcome> ApplyAsync(EngagementScope scope, Guid deliverableId, string? reason, Caller caller, CancellationToken cancellationToken)
    {
        var engagementIds = scope.Filter(db.Engagements).Select(e => e.Id);
        var deliverable = await db.Deliverables.Include(d => d.Project).ThenInclude(p => p.Engagement).ThenInclude(e => e.Customer)
            .SingleOrDefaultAsync(d => d.Id == deliverableId && engagementIds.Contains(d.Project.EngagementId), cancellationToken);
        if (deliverable is null)
        {
            return new BlockerOutcome.NotFound($"That deliverable is not among {scope.Description}.");
        }

        var choice = new DeliverableChoice(deliverable.Id, deliverable.Title, deliverable.Project.Engagement.Customer.Name);
        var before = new { deliverable.IsBlocked, deliverable.BlockedReason, deliverable.BlockedSince };
        var now = clock.GetUtcNow();
        string action;
        string? blockedFor = null;
        if (reason is not null)
        {
            if (deliverable.IsBlocked && deliverable.BlockedReason == reason)
            {
                return new BlockerOutcome.Unchanged(choice, $"It was already blocked for that reason, since {Ages.Describe(now - (deliverable.BlockedSince ?? now))} ago.");
            }
            deliverable.Block(reason, now);
            action = "deliverable-blocked";
        }
        else
        {
            if (!deliverable.IsBlocked)
            {
                return new BlockerOutcome.Unchanged(choice, "It is not blocked.");
            }
            blockedFor = Ages.Describe(now - (deliverable.BlockedSince ?? now));
            deliverable.Unblock(now);
            action = "deliverable-unblocked";
        }
        audit.Record(new AuditActor(caller.AadObjectId, caller.Name), AuditSource.Command, action, nameof(Deliverable), deliverable.Id.ToString(),
            before, new { deliverable.IsBlocked, deliverable.BlockedReason, deliverable.BlockedSince }, reason);
        await db.SaveChangesAsync(cancellationToken);
        return new BlockerOutcome.Changed(choice, deliverable.BlockedReason, deliverable.BlockedSince, blockedFor);
    }
}
