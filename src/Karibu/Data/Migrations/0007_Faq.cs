using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>The business's FAQ entries, which the assistant answers from.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000007_Faq")]
internal sealed class Faq : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "faq_entries",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                question = t.Column<string>(maxLength: 500, nullable: false),
                answer = t.Column<string>(maxLength: 2000, nullable: false),
                category = t.Column<string>(maxLength: 200, nullable: true),
                priority = t.Column<int>(nullable: false),
                is_active = t.Column<bool>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_faq_entries", x => x.id);
                t.ForeignKey("fk_faq_entries_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_faq_entries_organization_id_is_active", "faq_entries", ["organization_id", "is_active"]);
    }
}
