using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.BookingPage;

/// <summary>
/// A booking from the public page held (pending) until the customer types the one-time code sent to their phone.
/// The page reaches it only by <see cref="HandleHash"/>, the hash of a random handle in the page's address; the
/// code is hashed with the appointment id. Open while neither <see cref="ConfirmedAt"/> nor <see cref="ReleasedAt"/>
/// is set; an open hold past <see cref="ExpiresAt"/> is released (the appointment cancelled).
/// </summary>
internal sealed class BookingCode : TenantEntity
{
    public Guid AppointmentId { get; set; }
    public required string HandleHash { get; set; }
    public required string CodeHash { get; set; }
    public DateTime ExpiresAt { get; set; }

    /// <summary>When the latest code went out, for the resend cooldown.</summary>
    public DateTime SentAt { get; set; }

    public int Sends { get; set; } = 1;
    public int FailedAttempts { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? ReleasedAt { get; set; }
}

internal sealed class BookingCodeConfiguration : IEntityTypeConfiguration<BookingCode>
{
    public void Configure(EntityTypeBuilder<BookingCode> b)
    {
        b.ToTable("booking_codes");
        b.Property(c => c.HandleHash).HasMaxLength(64);
        b.Property(c => c.CodeHash).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Appointment>().WithMany().HasForeignKey(c => c.AppointmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.OrganizationId, c.HandleHash }).IsUnique();
        b.HasIndex(c => new { c.OrganizationId, c.AppointmentId }).IsUnique();
        // Open holds by when they run out, for releasing the ones nobody confirmed in time.
        b.HasIndex(c => new { c.OrganizationId, c.ExpiresAt }).HasFilter("confirmed_at IS NULL AND released_at IS NULL");
    }
}
