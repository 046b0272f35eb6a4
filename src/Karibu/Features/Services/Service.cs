using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Services;

/// <summary>Something a customer can book: a haircut, a manicure, a massage.</summary>
internal sealed class Service : TenantEntity
{
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int DurationMinutes { get; set; }
    public long PriceCents { get; set; }
    public required string Currency { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>Clean-up time after the service during which the staff member cannot be booked.</summary>
    public int BufferAfterMinutes { get; set; }

    /// <summary>Typical days until the customer needs this service again; drives win-back.</summary>
    public int? RebookIntervalDays { get; set; }
}

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> b)
    {
        b.ToTable("services", t =>
        {
            t.HasCheckConstraint("ck_services_duration_positive", "duration_minutes > 0");
            t.HasCheckConstraint("ck_services_price_not_negative", "price_cents >= 0");
        });
        b.Property(s => s.Name).HasMaxLength(Limits.Name);
        b.Property(s => s.Description).HasMaxLength(Limits.Text);
        b.Property(s => s.Currency).HasMaxLength(3);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.OrganizationId, s.IsActive });
    }
}
