using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>A booking from the public page confirmed by a one-time code sent to the customer's phone (setting confirm_page_bookings_by_code).</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261122000022_BookingCodes")]
internal sealed class BookingCodes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "booking_codes",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                appointment_id = t.Column<Guid>(nullable: false),
                handle_hash = t.Column<string>(maxLength: 64, nullable: false),
                code_hash = t.Column<string>(maxLength: 64, nullable: false),
                expires_at = t.Column<DateTime>(nullable: false),
                sent_at = t.Column<DateTime>(nullable: false),
                sends = t.Column<int>(nullable: false),
                failed_attempts = t.Column<int>(nullable: false),
                confirmed_at = t.Column<DateTime>(nullable: true),
                released_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_booking_codes", x => x.id);
                t.ForeignKey("fk_booking_codes_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_booking_codes_appointments_appointment_id", x => x.appointment_id, "appointments", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ux_booking_codes_organization_id_handle_hash", "booking_codes", ["organization_id", "handle_hash"], unique: true);
        migrationBuilder.CreateIndex("ux_booking_codes_organization_id_appointment_id", "booking_codes", ["organization_id", "appointment_id"], unique: true);
        migrationBuilder.CreateIndex("ix_booking_codes_organization_id_expires_at", "booking_codes", ["organization_id", "expires_at"],
            filter: "confirmed_at IS NULL AND released_at IS NULL");
    }
}
