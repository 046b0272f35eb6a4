using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>How long the assistant stays quiet after a person takes a conversation over.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000005_HumanTakeover")]
internal sealed class HumanTakeover : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTime>(name: "bot_paused_until", table: "conversations", nullable: true);
}
