using System.Text.Json;
using Engagements.Data;

namespace Engagements.Audit;

/// <summary>Who did what, when, from where, with before/after (SPEC §2). Added to the caller's DbContext, saved with the change itself.</summary>
public sealed class AuditLog(EngagementsDb db, TimeProvider clock)
{
    public AuditEntry Record(
        AuditActor actor, AuditSource source, string action, string entityType, string entityId,
        object? before = null, object? after = null, string? reason = null)
    {
        var entry = new AuditEntry
        {
            ActorAadObjectId = actor.AadObjectId,
            ActorName = actor.Name,
            Source = source,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before, JsonSerializerOptions.Web),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after, JsonSerializerOptions.Web),
            Reason = reason,
            At = clock.GetUtcNow(),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}

public sealed record AuditActor(string? AadObjectId, string? Name)
{
    public static AuditActor System { get; } = new(null, "Engagements");

    public static AuditActor Job(string name) => new(null, name);
}
