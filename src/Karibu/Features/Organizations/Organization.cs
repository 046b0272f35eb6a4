using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Organizations;

/// <summary>The tenant: one business.</summary>
internal sealed class Organization : Entity
{
    public required string Name { get; set; }

    /// <summary>The public booking page's address, <c>/b/{slug}</c>: unique, set once at creation (see <see cref="OrganizationSlugs"/>).</summary>
    public string Slug { get; set; } = "";

    public BusinessType BusinessType { get; set; }
    public required string CountryCode { get; set; }
    public required string TimeZone { get; set; }
    public required string Locale { get; set; }
    public required string Currency { get; set; }
    public string? PhoneNumber { get; set; }
    public OrganizationStatus Status { get; set; } = OrganizationStatus.Onboarding;
    public string Plan { get; set; } = "free";
    public OrganizationSettings Settings { get; set; } = new();

    /// <summary>
    /// The seeded demo business: the playground lets anyone talk to it, in any environment. Set only by
    /// <see cref="DemoBusiness"/>; the API neither shows nor changes it.
    /// </summary>
    public bool IsDemo { get; set; }
}

internal enum BusinessType { Barbershop, HairSalon, NailSalon, Spa, BeautySalon, Garage, Clinic, Other }

internal enum OrganizationStatus { Onboarding, Active, Suspended, Churned }

/// <summary>A branch of the business. The primary location holds the business hours.</summary>
internal sealed class Location : TenantEntity
{
    public required string Name { get; set; }
    public string? Address { get; set; }
    public bool IsPrimary { get; set; }
    public BusinessHours BusinessHours { get; set; } = new();
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.ToTable("organizations");
        b.Property(o => o.Name).HasMaxLength(Limits.Name);
        b.Property(o => o.Slug).HasMaxLength(OrganizationSlugs.MaxLength + 8);
        b.HasIndex(o => o.Slug, "ux_organizations_slug").IsUnique();
        b.Property(o => o.CountryCode).HasMaxLength(2);
        b.Property(o => o.TimeZone).HasMaxLength(64);
        b.Property(o => o.Locale).HasMaxLength(16);
        b.Property(o => o.Currency).HasMaxLength(3);
        b.Property(o => o.PhoneNumber).HasMaxLength(16);
        b.Property(o => o.Plan).HasMaxLength(32);
        b.Property(o => o.Settings).HasConversion(JsonColumn.Converter<OrganizationSettings>(), JsonColumn.Comparer<OrganizationSettings>());
    }
}

internal sealed class LocationConfiguration : IEntityTypeConfiguration<Location>
{
    public void Configure(EntityTypeBuilder<Location> b)
    {
        b.ToTable("locations");
        b.Property(l => l.Name).HasMaxLength(Limits.Name);
        b.Property(l => l.Address).HasMaxLength(500);
        b.Property(l => l.BusinessHours).HasConversion(JsonColumn.Converter<BusinessHours>(), JsonColumn.Comparer<BusinessHours>());
        b.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => new { l.OrganizationId, l.IsPrimary });
    }
}
