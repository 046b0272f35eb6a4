using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;

namespace Karibu.Features.Retention;

/// <summary>
/// A customer came in: a completed appointment, a check-in or a matched payment. One per customer per
/// business-local day: whatever else happens that day is merged into it.
/// </summary>
internal sealed class Visit : TenantEntity
{
    public Guid CustomerId { get; set; }

    /// <summary>The business's calendar day of the visit; unique per customer.</summary>
    public LocalDate LocalDate { get; set; }

    /// <summary>UTC instant: the earliest of what was merged (appointment start, check-in or payment time).</summary>
    public DateTime At { get; set; }

    /// <summary>How the visit was first recorded; later records that day only fill in details.</summary>
    public VisitSource Source { get; set; }
    public Guid? AppointmentId { get; set; }

    /// <summary>The M-Pesa payment that matched; a plain id until payments have their table.</summary>
    public Guid? PaymentId { get; set; }
    public Guid? ServiceId { get; set; }

    /// <summary>What was billed that day: completed appointments' prices plus amounts given with check-ins.</summary>
    public long AmountCents { get; set; }

    /// <summary>What was paid that day (matched payments). The visit is worth the larger of the two.</summary>
    public long PaidCents { get; set; }

    public long ValueCents => Math.Max(AmountCents, PaidCents);
}

internal enum VisitSource { Appointment, CheckIn, Payment }

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.ToTable("visits");
        b.Ignore(v => v.ValueCents);
        b.Property(v => v.LocalDate).HasConversion(NodaColumns.LocalDateConverter);
        b.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Restrict);
        // One visit per customer per local day; also the index for a customer's history.
        b.HasIndex(v => new { v.OrganizationId, v.CustomerId, v.LocalDate }).IsUnique();
        // Metrics scan a business's visits by day.
        b.HasIndex(v => new { v.OrganizationId, v.LocalDate });
    }
}
