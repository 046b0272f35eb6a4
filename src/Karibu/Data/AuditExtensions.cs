using Karibu.Features.Organizations;

namespace Karibu.Data;

internal static class AuditExtensions
{
    /// <summary>Records who did what; saved with the change itself.</summary>
    public static void Audit(this KaribuDb db, string actor, string action, string entityType, Guid? entityId, string? data = null) =>
        db.AuditEvents.Add(new AuditEvent { Actor = actor, Action = action, EntityType = entityType, EntityId = entityId, Data = data });
}
