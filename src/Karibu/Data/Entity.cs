namespace Karibu.Data;

/// <summary>Every stored row: a time-ordered UUIDv7 id and UTC timestamps stamped on save.</summary>
internal abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row that belongs to one organization (tenant); filtered and stamped automatically.</summary>
internal interface ITenantOwned
{
    Guid OrganizationId { get; set; }
}

internal abstract class TenantEntity : Entity, ITenantOwned
{
    public Guid OrganizationId { get; set; }
}
