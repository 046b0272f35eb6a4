using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Accounts;

/// <summary>A one-time sign-in code sent to a staff member's phone; only its hash is kept.</summary>
internal sealed class SignInCode : TenantEntity
{
    public Guid StaffId { get; set; }
    public required string CodeHash { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class SignInCodeConfiguration : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> b)
    {
        b.ToTable("sign_in_codes");
        b.Property(c => c.CodeHash).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<StaffMember>().WithMany().HasForeignKey(c => c.StaffId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.OrganizationId, c.StaffId, c.CreatedAt });
    }
}
