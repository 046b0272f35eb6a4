using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// A photo or logo per business for its booking page, in its own table keyed by the organization (the organizations
/// row is read on every request and must not carry the bytes).
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261122000021_BusinessPhoto")]
internal sealed class BusinessPhoto : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "business_photos",
            columns: t => new
            {
                organization_id = t.Column<Guid>(nullable: false),
                content_type = t.Column<string>(maxLength: 32, nullable: false),
                bytes = t.Column<byte[]>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_business_photos", x => x.organization_id);
                t.ForeignKey("fk_business_photos_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
}
