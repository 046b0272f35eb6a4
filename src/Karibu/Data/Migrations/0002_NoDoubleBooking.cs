using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// The database itself refuses two active appointments of one staff member that overlap (buffer
/// included). PostgreSQL: an exclusion constraint over (organization, staff, time range). SQLite: a
/// trigger; bookings also run in a serialized (IMMEDIATE) transaction there, so check and insert
/// cannot interleave.
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000002_NoDoubleBooking")]
internal sealed class NoDoubleBooking : Migration
{
    public const string OverlapConstraint = "ex_appointments_staff_no_overlap";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>(
            name: "blocked_until", table: "appointments", nullable: false, defaultValue: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        migrationBuilder.Sql("UPDATE appointments SET blocked_until = end_at");

        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.AddCheckConstraint("ck_appointments_blocked_until_after_end", "appointments", "blocked_until >= end_at");
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS btree_gist");
            migrationBuilder.Sql($"""
                ALTER TABLE appointments ADD CONSTRAINT {OverlapConstraint}
                EXCLUDE USING gist (organization_id WITH =, staff_id WITH =, tstzrange(start_at, blocked_until, '[)') WITH &&)
                WHERE (status IN ('pending', 'confirmed'))
                """);
            return;
        }

        // SQLite cannot add a check constraint to an existing table without rebuilding it; the model's
        // check is enforced on PostgreSQL and by the booking service everywhere.
        foreach (var (name, timing) in new[] { ("insert", "INSERT"), ("update", "UPDATE") })
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER tr_appointments_no_overlap_{name} BEFORE {timing} ON appointments
                WHEN NEW.status IN ('pending', 'confirmed') AND EXISTS (
                    SELECT 1 FROM appointments a
                    WHERE a.organization_id = NEW.organization_id AND a.staff_id = NEW.staff_id AND a.id <> NEW.id
                      AND a.status IN ('pending', 'confirmed')
                      AND a.start_at < NEW.blocked_until AND NEW.start_at < a.blocked_until)
                BEGIN
                    SELECT RAISE(ABORT, '{OverlapConstraint}');
                END
                """);
        }
    }
}
