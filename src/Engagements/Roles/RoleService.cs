using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Roles;

public sealed class RoleService(EngagementsDb db, IOptionsMonitor<RolesOptions> bootstrap)
{
    public async Task<IReadOnlySet<Role>> RolesOfAsync(string? aadObjectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(aadObjectId))
        {
            return new HashSet<Role>();
        }

        var stored = await db.RoleAssignments
            .Where(r => r.AadObjectId == aadObjectId)
            .Select(r => r.Role)
            .ToListAsync(cancellationToken);
        return stored.Concat(bootstrap.CurrentValue.For(aadObjectId)).ToHashSet();
    }

    /// <summary>Everyone holding a role: granted in chat (stored) or bootstrapped from configuration.</summary>
    public async Task<IReadOnlyList<string>> HoldersOfAsync(Role role, CancellationToken cancellationToken)
    {
        var stored = await db.RoleAssignments
            .Where(r => r.Role == role)
            .Select(r => r.AadObjectId)
            .ToListAsync(cancellationToken);
        return [.. stored.Concat(bootstrap.CurrentValue.HoldersOf(role)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
