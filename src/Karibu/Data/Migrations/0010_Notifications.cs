using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>Notices sent once (second reminders, daily agendas), and an index for the reminder scan.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000010_Notifications")]
internal sealed class Notifications : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "sent_notices",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                kind = t.Column<string>(maxLength: 32, nullable: false),
                key = t.Column<string>(maxLength: 100, nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_sent_notices", x => x.id);
                t.ForeignKey("fk_sent_notices_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ux_sent_notices_organization_id_kind_key", "sent_notices", ["organization_id", "kind", "key"], unique: true);
        migrationBuilder.CreateIndex(
            "ix_appointments_reminder_due", "appointments", ["organization_id", "start_at"], filter: "reminder_sent_at IS NULL AND status IN ('pending', 'confirmed')");
    }
}
