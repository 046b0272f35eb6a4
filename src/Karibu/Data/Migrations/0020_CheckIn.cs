using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>Staff mark that a customer arrived for their appointment ("Llegó 10:02") from the owner app's Today screen.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261122000020_CheckIn")]
internal sealed class CheckIn : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTime>("checked_in_at", "appointments", nullable: true);
}
