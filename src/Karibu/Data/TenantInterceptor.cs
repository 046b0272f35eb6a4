using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Karibu.Features.Organizations;

namespace Karibu.Data;

/// <summary>
/// Stamps organization_id and timestamps on save, and refuses any write to a row of another tenant
/// (or a tenant-owned write with no tenant at all): the write-side half of tenant isolation.
/// </summary>
internal sealed class TenantInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is KaribuDb db)
        {
            Stamp(db.ChangeTracker.Entries(), db.CurrentOrganizationId, time.GetUtcNow().UtcDateTime);
        }
    }

    /// <summary>What every save does to its rows; also called by <see cref="BulkSave"/> for the rows it copies itself.</summary>
    public static void Stamp(IEnumerable<EntityEntry> entries, Guid? tenantId, DateTime now)
    {
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case ITenantOwned owned:
                    var current = tenantId
                        ?? throw new CrossTenantWriteException($"A {entry.Metadata.ClrType.Name} was written with no tenant set.");
                    if (entry.State == EntityState.Added && owned.OrganizationId == Guid.Empty)
                    {
                        owned.OrganizationId = current;
                    }

                    var original = entry.State == EntityState.Added
                        ? owned.OrganizationId
                        : entry.Property(nameof(ITenantOwned.OrganizationId)).OriginalValue as Guid?;
                    if (owned.OrganizationId != current || original != current)
                    {
                        throw new CrossTenantWriteException($"Refused to write a {entry.Metadata.ClrType.Name} of another organization.");
                    }

                    break;
                case Organization organization when organization.Id != tenantId:
                    throw new CrossTenantWriteException("Refused to write another organization.");
            }

            if (entry.Entity is Entity stamped && entry.State != EntityState.Deleted)
            {
                if (entry.State == EntityState.Added)
                {
                    stamped.CreatedAt = now;
                }

                stamped.UpdatedAt = now;
            }
        }
    }
}

internal sealed class CrossTenantWriteException(string message) : InvalidOperationException(message);
