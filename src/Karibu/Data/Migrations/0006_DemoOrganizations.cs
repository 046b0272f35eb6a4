using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// Marks the demo business the embedded default seeds: the playground opens it to anyone outside
/// Development. Set only by the seed, never through the API.
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000006_DemoOrganizations")]
internal sealed class DemoOrganizations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<bool>(name: "is_demo", table: "organizations", nullable: false, defaultValue: false);
}
