using Engagements.Customers;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Health;

// Until the integrator folds this into Customers/CustomerMatcher (main): "health conto" finds Contoso: an exact name first, then names starting with the text, then names containing it
// (case-insensitive on both providers via lower()).
public static class HealthCustomerLookup
{
    public static async Task<IReadOnlyList<Customer>> FindAsync(EngagementsDb db, string text, CancellationToken cancellationToken)
    {
        var wanted = text.Trim().ToLowerInvariant();
        if (wanted.Length == 0)
        {
            return [];
        }

        var exact = await db.Customers.AsNoTracking().Where(c => c.Name.ToLower() == wanted).ToListAsync(cancellationToken);
        if (exact.Count > 0)
        {
            return exact;
        }

        var prefix = await db.Customers.AsNoTracking().Where(c => c.Name.ToLower().StartsWith(wanted)).OrderBy(c => c.Name).Take(20).ToListAsync(cancellationToken);
        if (prefix.Count > 0)
        {
            return prefix;
        }

        return await db.Customers.AsNoTracking().Where(c => c.Name.ToLower().Contains(wanted)).OrderBy(c => c.Name).Take(20).ToListAsync(cancellationToken);
    }
}
