using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>Owners and staff sign in to the owner app: a code by phone or email and password, with lockout and "sign out everywhere".</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261122000016_SignIn")]
internal sealed class SignIn : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("email", "staff", maxLength: 254, nullable: true);
        migrationBuilder.AddColumn<string>("password_hash", "staff", maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<int>("session_version", "staff", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<int>("failed_sign_ins", "staff", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>("locked_until", "staff", nullable: true);
        migrationBuilder.CreateIndex("ix_staff_email", "staff", ["email"]);
        migrationBuilder.CreateIndex("ix_staff_phone_number", "staff", ["phone_number"]);
        migrationBuilder.CreateTable(
            name: "sign_in_codes",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                staff_id = t.Column<Guid>(nullable: false),
                code_hash = t.Column<string>(maxLength: 64, nullable: false),
                expires_at = t.Column<DateTime>(nullable: false),
                used_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_sign_in_codes", x => x.id);
                t.ForeignKey("fk_sign_in_codes_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_sign_in_codes_staff_staff_id", x => x.staff_id, "staff", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_sign_in_codes_organization_id_staff_id_created_at", "sign_in_codes", ["organization_id", "staff_id", "created_at"]);
    }
}
