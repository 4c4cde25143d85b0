using Engagements.Data;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Assignments;

public sealed record EngineerSuggestion(Guid Id, string Name, string AadObjectId, string TimeZone, int ActiveEngagements, DateTimeOffset? LastAssignedAt);

// SPEC §3.2: fewest active engagements first, then the one who waited longest since their last assignment.
public sealed class EngineerRanking(EngagementsDb db)
{
    public const int SuggestionCount = 5;

    private static readonly EngagementStatus[] Busy = [EngagementStatus.AwaitingAssignment, EngagementStatus.Active, EngagementStatus.OnHold];

    public async Task<IReadOnlyList<EngineerSuggestion>> RankAsync(CancellationToken cancellationToken)
    {
        var engineers = await db.Engineers.AsNoTracking()
            .Where(e => e.IsActive)
            .Select(e => new { e.Id, e.Name, e.AadObjectId, e.TimeZone })
            .ToListAsync(cancellationToken);
        // Aggregated here rather than in SQL: the assignment rows are few per engineer, and SQLite stores instants as
        // converted ticks, which MAX() over a value-converted column does not translate on every provider.
        var assignments = await db.EngagementEngineers.AsNoTracking()
            .Select(a => new { a.EngineerId, a.AssignedAt, a.ReleasedAt, a.Engagement.Status })
            .ToListAsync(cancellationToken);
        var byEngineer = assignments.ToLookup(a => a.EngineerId);

        return [.. engineers
            .Select(e => new EngineerSuggestion(
                e.Id,
                e.Name,
                e.AadObjectId,
                e.TimeZone,
                byEngineer[e.Id].Count(a => a.ReleasedAt is null && Busy.Contains(a.Status)),
                byEngineer[e.Id].Select(a => (DateTimeOffset?)a.AssignedAt).Max()))
            .OrderBy(s => s.ActiveEngagements)
            .ThenBy(s => s.LastAssignedAt ?? DateTimeOffset.MinValue)
            .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public Task<IReadOnlyList<EngineerSuggestion>> SuggestAsync(CancellationToken cancellationToken) =>
        SuggestAsync(new HashSet<Guid>(), cancellationToken);

    /// <summary>
    /// The best suggestions, with engineers a manager already rejected for this engagement behind everyone else: still
    /// there to pick when few engineers are free, never the card's default again.
    /// </summary>
    public async Task<IReadOnlyList<EngineerSuggestion>> SuggestAsync(IReadOnlySet<Guid> rejected, CancellationToken cancellationToken)
    {
        var ranked = await RankAsync(cancellationToken);
        return [.. ranked.Where(e => !rejected.Contains(e.Id)).Concat(ranked.Where(e => rejected.Contains(e.Id))).Take(SuggestionCount)];
    }

    /// <summary>The given engineers, in the given order, with their current load.</summary>
    public async Task<IReadOnlyList<EngineerSuggestion>> DescribeAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var ranked = (await RankAsync(cancellationToken)).ToDictionary(s => s.Id);
        return [.. ids.Where(ranked.ContainsKey).Select(id => ranked[id])];
    }
}
