using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;

namespace Karibu.Features.Scheduling;

/// <summary>
/// When a staff member works: weekly intervals (recurring) or a dated exception that blocks time
/// or adds extra time. A staff member with no recurring rule works the business hours.
/// </summary>
internal sealed class AvailabilityRule : TenantEntity
{
    public Guid StaffId { get; set; }
    public AvailabilityRuleType Type { get; set; }

    /// <summary>0 = Monday … 6 = Sunday, for recurring rules.</summary>
    public int? DayOfWeek { get; set; }

    /// <summary>Local times; both null on an exception means the whole day.</summary>
    public LocalTime? StartTime { get; set; }
    public LocalTime? EndTime { get; set; }
    public LocalDate? ExceptionDate { get; set; }
    public bool IsAvailable { get; set; } = true;
    public string? Note { get; set; }
}

internal enum AvailabilityRuleType { Recurring, Exception }

internal sealed class AvailabilityRuleConfiguration : IEntityTypeConfiguration<AvailabilityRule>
{
    public void Configure(EntityTypeBuilder<AvailabilityRule> b)
    {
        b.ToTable("availability_rules", t =>
        {
            t.HasCheckConstraint("ck_availability_rules_day_of_week", "day_of_week IS NULL OR (day_of_week >= 0 AND day_of_week <= 6)");
        });
        b.Property(r => r.StartTime).HasConversion(NodaColumns.LocalTimeConverter);
        b.Property(r => r.EndTime).HasConversion(NodaColumns.LocalTimeConverter);
        b.Property(r => r.ExceptionDate).HasConversion(NodaColumns.LocalDateConverter);
        b.Property(r => r.Note).HasMaxLength(500);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.OrganizationId, r.StaffId, r.Type });
    }
}
