using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Roles;

/// <summary>`grant {role} to @user` / `revoke {role} from @user` (SPEC §3.7, Admin only). Returns the card to reply with.</summary>
public sealed partial class RoleAdministration(
    EngagementsDb db,
    IConnectorClient connector,
    AuditLog audit,
    CardCatalog cards,
    TimeProvider clock,
    IOptionsMonitor<RolesOptions> bootstrap,
    ILogger<RoleAdministration> logger)
{
    private static readonly Dictionary<string, Role> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["manager"] = Role.Manager, ["managers"] = Role.Manager,
        ["teamlead"] = Role.TeamLead, ["team-lead"] = Role.TeamLead, ["tl"] = Role.TeamLead,
        ["engineer"] = Role.Engineer, ["engineers"] = Role.Engineer,
        ["csm"] = Role.Csm,
        ["presales"] = Role.PresalesEngineer, ["presalesengineer"] = Role.PresalesEngineer, ["presales-engineer"] = Role.PresalesEngineer,
        ["admin"] = Role.Admin, ["admins"] = Role.Admin,
    };

    public static bool TryParseRole(string? text, out Role role) => Names.TryGetValue(text?.Trim() ?? "", out role);

    public Task<JsonObject> GrantAsync(TurnContext turn, Command command, CancellationToken cancellationToken) =>
        ChangeAsync(turn, command, grant: true, cancellationToken);

    public Task<JsonObject> RevokeAsync(TurnContext turn, Command command, CancellationToken cancellationToken) =>
        ChangeAsync(turn, command, grant: false, cancellationToken);

    private async Task<JsonObject> ChangeAsync(TurnContext turn, Command command, bool grant, CancellationToken cancellationToken)
    {
        var verb = grant ? "grant" : "revoke";
        if (!turn.Caller.Has(Role.Admin))
        {
            return Message("Not allowed", $"Only an admin can {verb} roles. Nothing was changed.", "attention");
        }
        if (!TryParseRole(command.Subject, out var role))
        {
            return Message("Unknown role", $"'{command.Subject}' is not a role. Use one of: manager, teamlead (tl), engineer, csm, presales, admin.", "warning");
        }

        var target = await ResolveMentionAsync(turn, command.Detail, cancellationToken);
        if (target is null)
        {
            return Message("Who?", $"@mention the person, e.g. `{verb} {command.Subject} {(grant ? "to" : "from")} @Megan Bowen`. I take the person from the mention, and could not resolve it to an Entra user.", "warning");
        }

        var stored = await db.RoleAssignments.Where(r => r.AadObjectId == target.AadObjectId).ToListAsync(cancellationToken);
        var fromConfiguration = bootstrap.CurrentValue.For(target.AadObjectId).ToHashSet();
        var before = stored.Select(r => r.Role).Concat(fromConfiguration).Distinct().Order().ToList();
        var actor = new AuditActor(turn.Caller.AadObjectId, turn.Caller.Name);
        var roleName = DisplayText.Of(role);

        if (grant)
        {
            if (before.Contains(role))
            {
                return Message("Nothing to do", $"{target.Name} already has the {roleName} role.", null);
            }
            db.RoleAssignments.Add(new RoleAssignment
            {
                AadObjectId = target.AadObjectId,
                Role = role,
                DisplayName = target.Name,
                GrantedByAadObjectId = turn.Caller.AadObjectId,
                GrantedAt = clock.GetUtcNow(),
            });
        }
        else
        {
            var row = stored.FirstOrDefault(r => r.Role == role);
            if (row is null)
            {
                return fromConfiguration.Contains(role)
                    ? Message("Held through configuration", $"{target.Name} has the {roleName} role through configuration (Roles:{role}s); remove it there.", "warning")
                    : Message("Nothing to do", $"{target.Name} does not have the {roleName} role.", null);
            }
            if (role == Role.Admin && await IsLastAdminAsync(target.AadObjectId, cancellationToken))
            {
                return Message("Not allowed", $"{target.Name} is the last admin; grant admin to someone else first.", "attention");
            }
            db.RoleAssignments.Remove(row);
        }

        var after = (grant ? [.. before, role] : before.Where(r => r != role)).Order().ToList();
        // The audit keeps the stored role names, so entries stay comparable whatever the display wording.
        audit.Record(actor, AuditSource.Command, grant ? "role-granted" : "role-revoked", nameof(RoleAssignment), target.AadObjectId,
            new { user = target.Name, roles = before.Select(r => r.ToString()) }, new { user = target.Name, roles = after.Select(r => r.ToString()) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same change from another admin (or a retried message) landed first.
            db.ChangeTracker.Clear();
            return Message("Nothing to do", $"{target.Name}'s {roleName} role was just changed by someone else.", null);
        }
        LogChanged(verb, role.ToString(), target.AadObjectId, turn.Caller.AadObjectId);
        return Message(grant ? "Role granted" : "Role revoked",
            grant ? $"{target.Name} now has the {roleName} role." : $"{target.Name} no longer has the {roleName} role.", "good",
            new[] { new { title = "Roles now", value = after.Count == 0 ? "none" : string.Join(", ", after.Select(DisplayText.Of)) } });
    }

    private async Task<bool> IsLastAdminAsync(string aadObjectId, CancellationToken cancellationToken)
    {
        var others = await db.RoleAssignments.CountAsync(r => r.Role == Role.Admin && r.AadObjectId != aadObjectId, cancellationToken);
        return others == 0 && !bootstrap.CurrentValue.Admins.Any(a => !string.Equals(a, aadObjectId, StringComparison.OrdinalIgnoreCase));
    }

    public sealed record Target(string AadObjectId, string Name);

    /// <summary>
    /// The user comes from the mention entity whose text is the `&lt;at&gt;Name&lt;/at&gt;` typed in the command, never from
    /// the text itself (notes §4.4). Teams mentions carry the 29: id; the Entra id comes from the member API.
    /// </summary>
    private async Task<Target?> ResolveMentionAsync(TurnContext turn, string? typed, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }
        var botId = turn.Activity.Recipient?.Id;
        var mention = turn.Activity.GetMentions().FirstOrDefault(m =>
            m.Mentioned?.Id is { Length: > 0 } id && id != botId
            && string.Equals(m.Text?.Trim(), typed.Trim(), StringComparison.OrdinalIgnoreCase));
        if (mention?.Mentioned is not { Id: { } userId } mentioned)
        {
            return null;
        }
        var aadObjectId = mentioned.AadObjectId;
        var name = mentioned.Name;
        if (string.IsNullOrEmpty(aadObjectId) && turn.Activity.ServiceUrl is { } serviceUrl && turn.Activity.Conversation?.Id is { } conversationId)
        {
            var member = await connector.GetMemberAsync(serviceUrl, conversationId, userId, cancellationToken);
            aadObjectId = member?.AadObjectId;
            name ??= member?.Name;
        }
        return string.IsNullOrEmpty(aadObjectId) ? null : new Target(aadObjectId, name ?? aadObjectId);
    }

    private JsonObject Message(string title, string text, string? style, object? facts = null) =>
        cards.Render("message", new { title, text, style, facts });

    [LoggerMessage(Level = LogLevel.Information, Message = "Role change {Verb} {Role} for {Target} by {Admin}")]
    private partial void LogChanged(string verb, string role, string target, string? admin);
}
