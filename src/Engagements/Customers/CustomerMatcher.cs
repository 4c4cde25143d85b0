using System.Text;
using Engagements.Bot;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Engagements.Customers;

public sealed record CustomerName(Guid Id, string Name);

/// <summary>What a typed customer name resolved to: one customer, several equally good ones, or none (with suggestions).</summary>
public sealed record CustomerMatch(CustomerName? Customer, IReadOnlyList<CustomerName> Candidates, IReadOnlyList<CustomerName> Suggestions)
{
    public bool IsAmbiguous => Customer is null && Candidates.Count > 1;

    public string NotFoundText(string typed) => Suggestions.Count == 0
        ? $"No customer named \"{typed}\"."
        : $"No customer named \"{typed}\". Did you mean: {string.Join(", ", Suggestions.Select(s => s.Name))}?";
}

/// <summary>
/// The one fuzzy customer-name matcher every command uses. Names are compared without case, punctuation or extra
/// spaces; tiers, best first: exact, prefix of the name, prefix of a word, small typo (Damerau-Levenshtein ≤ 1 for
/// short names, ≤ 2 for longer). The first tier with hits decides; several hits in it make a pick list.
/// </summary>
public sealed class CustomerMatcher(EngagementsDb db, CustomerNameIndex index)
{
    public const int MaxCandidates = 8;

    public async Task<CustomerMatch> MatchAsync(string typed, CancellationToken cancellationToken)
    {
        var names = await index.GetAsync(db, cancellationToken);
        var match = Match(names, typed);
        if (match.Customer is null && !match.IsAmbiguous && await index.RefreshIfOlderThanAsync(db, TimeSpan.FromSeconds(2), cancellationToken) is { } fresh)
        {
            // A miss may be a customer another instance created since the index was loaded.
            match = Match(fresh, typed);
        }
        return match;
    }

    public static CustomerMatch Match(IReadOnlyList<IndexedName> names, string typed)
    {
        var ranked = Rank(names, n => n.Normalized, typed, n => n.Customer);
        return ranked.Best.Count == 1
            ? new CustomerMatch(ranked.Best[0], ranked.Best, [])
            : new CustomerMatch(null, [.. ranked.Best.Take(MaxCandidates)], ranked.Best.Count == 0 ? ranked.Closest : []);
    }

    /// <summary>The ranking itself, shared with other fuzzy look-ups (deliverable titles): the best tier's hits and the closest names overall.</summary>
    public static (IReadOnlyList<TResult> Best, IReadOnlyList<TResult> Closest) Rank<T, TResult>(
        IEnumerable<T> items, Func<T, string> normalizedName, string typed, Func<T, TResult> result)
    {
        var input = Normalize(typed);
        if (input.Length == 0)
        {
            return ([], []);
        }
        var compact = input.Replace(" ", "", StringComparison.Ordinal);
        var list = items as IReadOnlyCollection<T> ?? [.. items];
        List<TResult> exact = [], prefix = [], wordPrefix = [];
        foreach (var item in list)
        {
            var name = normalizedName(item);
            if (name == input || (name.Length >= compact.Length && name.Replace(" ", "", StringComparison.Ordinal) == compact))
            {
                exact.Add(result(item));
            }
            else if (name.StartsWith(input, StringComparison.Ordinal))
            {
                prefix.Add(result(item));
            }
            else if (name.Contains(" " + input, StringComparison.Ordinal))
            {
                wordPrefix.Add(result(item));
            }
        }
        if (exact.Count > 0 || prefix.Count > 0 || wordPrefix.Count > 0)
        {
            return (exact.Count > 0 ? exact : prefix.Count > 0 ? prefix : wordPrefix, []);
        }

        // Only misses pay for edit distances; the closest names double as "did you mean" suggestions. The running
        // third-best distance bounds every later comparison, so most names are dismissed after a row or two.
        var limit = input.Length <= 6 ? 1 : 2;
        var closest = new List<(int Distance, T Item)>(4);
        var typos = new List<T>();
        var nearest = int.MaxValue;
        foreach (var item in list)
        {
            var bound = Math.Max(limit, closest.Count < 3 ? int.MaxValue - 1 : closest[^1].Distance);
            var distance = TypoDistance(input, normalizedName(item), bound);
            if (distance > bound)
            {
                continue;
            }
            if (distance <= limit)
            {
                if (distance < nearest)
                {
                    typos.Clear();
                    nearest = distance;
                }
                if (distance == nearest)
                {
                    typos.Add(item);
                }
            }
            if (closest.Count < 3 || distance < closest[^1].Distance)
            {
                closest.Add((distance, item));
                closest.Sort((x, y) => x.Distance.CompareTo(y.Distance));
                if (closest.Count > 3)
                {
                    closest.RemoveAt(3);
                }
            }
        }
        return ([.. typos.Select(result)], [.. closest.Select(c => result(c.Item))]);
    }

    /// <summary>Lower case, punctuation as spaces, spaces collapsed: "Northwind-Traders." and "northwind traders" compare equal.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (c != '\'' && !space)
            {
                builder.Append(' ');
                space = true;
            }
        }
        return builder.ToString().TrimEnd();
    }

    // The smallest edit distance between the input and the whole name or any one of its words; anything above the
    // bound comes back as bound + 1.
    private static int TypoDistance(string input, string name, int bound)
    {
        var best = BoundedDistance(input, name, bound);
        if (name.Contains(' ', StringComparison.Ordinal))
        {
            foreach (var word in name.Split(' '))
            {
                best = Math.Min(best, BoundedDistance(input, word, Math.Min(bound, best)));
            }
        }
        return best;
    }

    // Optimal-string-alignment distance (as EditDistance.Between) on three rolling rows, giving up once a whole row
    // exceeds the bound: the matcher runs this over every customer name on a miss.
    private static int BoundedDistance(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound)
        {
            return bound + 1;
        }
        if (b.Length > 256)
        {
            return Math.Min(EditDistance.Between(a, b), bound + 1);
        }
        Span<int> previous2 = stackalloc int[b.Length + 1];
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > bound)
            {
                return bound + 1;
            }
            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return Math.Min(previous[b.Length], bound + 1);
    }
}

public sealed record IndexedName(CustomerName Customer, string Normalized);

/// <summary>
/// Every customer's id and normalised name, held in memory so a fuzzy match over 10,000+ customers costs no query.
/// Dropped when this instance saves a customer change (interceptor) and reloaded after <see cref="TimeToLive"/>, so
/// changes made by other instances show up too; a miss forces a reload (see <see cref="CustomerMatcher"/>).
/// </summary>
public sealed class CustomerNameIndex(TimeProvider clock) : SaveChangesInterceptor
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? current;

    private sealed record Snapshot(IReadOnlyList<IndexedName> Names, DateTimeOffset LoadedAt);

    public async Task<IReadOnlyList<IndexedName>> GetAsync(EngagementsDb db, CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < TimeToLive)
        {
            return snapshot.Names;
        }
        return await LoadAsync(db, snapshot, cancellationToken);
    }

    public async Task<IReadOnlyList<IndexedName>?> RefreshIfOlderThanAsync(EngagementsDb db, TimeSpan age, CancellationToken cancellationToken)
    {
        var snapshot = current;
        return snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < age ? null : await LoadAsync(db, snapshot, cancellationToken);
    }

    public void Invalidate() => current = null;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        InvalidateOnCustomerChange(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        InvalidateOnCustomerChange(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void InvalidateOnCustomerChange(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<Customer>().Any(e =>
            e.State is EntityState.Added or EntityState.Deleted || (e.State == EntityState.Modified && e.Property(c => c.Name).IsModified)))
        {
            Invalidate();
        }
    }

    private async Task<IReadOnlyList<IndexedName>> LoadAsync(EngagementsDb db, Snapshot? seen, CancellationToken cancellationToken)
    {
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (current is { } other && !ReferenceEquals(other, seen))
            {
                return other.Names;
            }
            var loadedAt = clock.GetUtcNow();
            var rows = await db.Customers.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
            var names = rows.Select(r => new IndexedName(new CustomerName(r.Id, r.Name), CustomerMatcher.Normalize(r.Name))).ToList();
            current = new Snapshot(names, loadedAt);
            return names;
        }
        finally
        {
            loading.Release();
        }
    }
}

public static class CustomerMatchingServiceCollectionExtensions
{
    public static IServiceCollection AddCustomerMatching(this IServiceCollection services)
    {
        services.AddSingleton<CustomerNameIndex>();
        services.AddScoped<CustomerMatcher>();
        // Both providers' contexts report customer saves to the index.
        services.ConfigureDbContext<SqliteEngagementsDb>((sp, options) => options.AddInterceptors(sp.GetRequiredService<CustomerNameIndex>()));
        services.ConfigureDbContext<PostgresEngagementsDb>((sp, options) => options.AddInterceptors(sp.GetRequiredService<CustomerNameIndex>()));
        return services;
    }
}
