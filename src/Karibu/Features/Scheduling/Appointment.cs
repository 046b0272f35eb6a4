using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Scheduling;

internal sealed class Appointment : TenantEntity
{
    public Guid CustomerId { get; set; }
    public Guid StaffId { get; set; }
    public Guid ServiceId { get; set; }
    public Guid? LocationId { get; set; }

    /// <summary>UTC instants; end includes the service's duration (the buffer is applied when finding slots).</summary>
    public DateTime StartAt { get; set; }
    public DateTime EndAt { get; set; }

    /// <summary>End plus the service's buffer: the staff member is busy until then. The no-overlap guard uses it.</summary>
    public DateTime BlockedUntil { get; set; }

    public AppointmentStatus Status { get; set; } = AppointmentStatus.Confirmed;
    public AppointmentSource Source { get; set; } = AppointmentSource.Api;
    public string? Notes { get; set; }
    public string? CancellationReason { get; set; }
    public DateTime? CancelledAt { get; set; }
    public long PriceCents { get; set; }
    public required string Currency { get; set; }
    public DateTime? ReminderSentAt { get; set; }

    /// <summary>When the customer arrived (UTC), marked by staff; null until then. See BookingService.CheckInAsync.</summary>
    public DateTime? CheckedInAt { get; set; }
}

internal enum AppointmentStatus { Pending, Confirmed, Completed, Cancelled, NoShow }

internal static class AppointmentStatuses
{
    /// <summary>Statuses that hold the staff member's time; only these may not overlap.</summary>
    public static readonly AppointmentStatus[] Active = [AppointmentStatus.Pending, AppointmentStatus.Confirmed];

    public static bool IsActive(this AppointmentStatus status) => status is AppointmentStatus.Pending or AppointmentStatus.Confirmed;
}

internal enum AppointmentSource { Whatsapp, Sms, Web, Api, WalkIn, Manual }

internal sealed class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<Appointment> b)
    {
        b.ToTable("appointments", t =>
        {
            t.HasCheckConstraint("ck_appointments_end_after_start", "end_at > start_at");
            t.HasCheckConstraint("ck_appointments_blocked_until_after_end", "blocked_until >= end_at");
        });
        // Two changes racing on one appointment (cancel vs complete) cannot both win.
        b.Property(a => a.Status).IsConcurrencyToken();
        b.Property(a => a.Notes).HasMaxLength(Limits.Text);
        b.Property(a => a.CancellationReason).HasMaxLength(500);
        b.Property(a => a.Currency).HasMaxLength(3);
        b.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.StaffId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Service>().WithMany().HasForeignKey(a => a.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Location>().WithMany().HasForeignKey(a => a.LocationId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(a => new { a.OrganizationId, a.StaffId, a.StartAt });
        b.HasIndex(a => new { a.OrganizationId, a.CustomerId, a.StartAt });
        b.HasIndex(a => new { a.OrganizationId, a.StartAt });
        // The reminder scan and the day's agenda read only active appointments. No index names reminder_sent_at, so a
        // reminder's claim is an in-place update (the table keeps 15% of each page free for it on PostgreSQL).
        b.HasIndex(a => new { a.OrganizationId, a.StartAt }, "ix_appointments_active")
            .HasFilter("status IN ('pending', 'confirmed')");
    }
}
