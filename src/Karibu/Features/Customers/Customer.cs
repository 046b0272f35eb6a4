using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Customers;

/// <summary>
/// One person across the platform, keyed by phone. Holds only identity facts safe to share
/// (no business sees another's relationship with them). Not tenant-owned.
/// </summary>
internal sealed class Person : Entity
{
    public required string PhoneNumber { get; set; }
    public string? ProfileName { get; set; }

    /// <summary>Set when the person said STOP to the platform as a whole.</summary>
    public DateTime? OptedOutAt { get; set; }
}

/// <summary>A business's relationship with a person. Can start with only a phone number.</summary>
internal sealed class Customer : TenantEntity
{
    public Guid PersonId { get; set; }
    public required string PhoneNumber { get; set; }
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Notes { get; set; }
    public List<string> Tags { get; set; } = [];
    public int VisitCount { get; set; }
    public DateTime? LastVisitAt { get; set; }
    public long TotalSpentCents { get; set; }

    /// <summary>Days between visits after which the business wants to reach out; null uses the business default.</summary>
    public int? ContactCadenceDays { get; set; }

    public DateTime? MarketingOptedOutAt { get; set; }
    public DateTime? OptedOutAt { get; set; }

    /// <summary>Channels (whatsapp, sms) on which the customer said STOP; only transactional messages go there.</summary>
    public List<string> OptedOutChannels { get; set; } = [];

    /// <summary>The WhatsApp id as WhatsApp sends it (Mexico: 521…) and the business-scoped user id, when known.</summary>
    public string? WhatsappId { get; set; }
    public string? WhatsappUserId { get; set; }
    public CustomerSource Source { get; set; } = CustomerSource.Manual;
}

internal enum CustomerSource { Whatsapp, Sms, Web, Api, WalkIn, Manual, Mpesa, Import }

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("people");
        b.Property(p => p.PhoneNumber).HasMaxLength(16);
        b.Property(p => p.ProfileName).HasMaxLength(Limits.Name);
        b.HasIndex(p => p.PhoneNumber).IsUnique();
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("customers");
        b.Property(c => c.PhoneNumber).HasMaxLength(16);
        b.Property(c => c.DisplayName).HasMaxLength(Limits.Name);
        b.Property(c => c.Email).HasMaxLength(254);
        b.Property(c => c.Notes).HasMaxLength(Limits.Text);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.OrganizationId, c.PhoneNumber }).IsUnique();
        b.HasIndex(c => new { c.OrganizationId, c.PersonId });
        b.HasIndex(c => new { c.OrganizationId, c.LastVisitAt });
        b.Property(c => c.WhatsappId).HasMaxLength(32);
        b.Property(c => c.WhatsappUserId).HasMaxLength(160);
        b.HasIndex(c => new { c.OrganizationId, c.WhatsappUserId });
    }
}
