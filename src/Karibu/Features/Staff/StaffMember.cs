using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Staff;

/// <summary>Someone who works at the business and may run their day from their own WhatsApp.</summary>
internal sealed class StaffMember : TenantEntity
{
    public required string Name { get; set; }
    public required string PhoneNumber { get; set; }
    public StaffRole Role { get; set; } = StaffRole.Employee;
    public List<string> Permissions { get; set; } = [];
    public bool IsActive { get; set; } = true;

    /// <summary>The services this person offers; null means every service of the business.</summary>
    public List<Guid>? ServiceIds { get; set; }

    /// <summary>For signing in to the owner app with email and password (besides a code by phone).</summary>
    public string? Email { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>Raised by "sign out everywhere": every session cookie carries the value it was issued with.</summary>
    public int SessionVersion { get; set; }

    /// <summary>Wrong codes or passwords in a row; at the limit sign-in is locked until <see cref="LockedUntil"/>.</summary>
    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }
}

internal enum StaffRole { Owner, Employee }

/// <summary>What an employee may do beyond their own agenda; owners may do everything.</summary>
internal static class StaffPermissions
{
    public static readonly string[] All =
    [
        "view_all_schedules", "manage_appointments", "manage_customers", "message_customers",
        "manage_services", "manage_staff", "manage_settings", "view_reports",
    ];
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> b)
    {
        b.ToTable("staff");
        b.Property(s => s.Name).HasMaxLength(Limits.Name);
        b.Property(s => s.PhoneNumber).HasMaxLength(16);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.OrganizationId, s.PhoneNumber }).IsUnique();
        b.Property(s => s.Email).HasMaxLength(254);
        b.Property(s => s.PasswordHash).HasMaxLength(200);
        b.HasIndex(s => s.Email);
        b.HasIndex(s => s.PhoneNumber);
    }
}
