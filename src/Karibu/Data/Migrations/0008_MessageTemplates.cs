using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>A business's own wording of its notifications, per purpose, channel and language.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000008_MessageTemplates")]
internal sealed class MessageTemplates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "message_templates",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                purpose = t.Column<string>(maxLength: 32, nullable: false),
                channel = t.Column<string>(maxLength: 16, nullable: false),
                language = t.Column<string>(maxLength: 8, nullable: false),
                body = t.Column<string>(maxLength: 1024, nullable: false),
                whats_app_template_name = t.Column<string>(maxLength: 512, nullable: true),
                whats_app_language = t.Column<string>(maxLength: 16, nullable: true),
                whats_app_parameters = t.Column<string>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_message_templates", x => x.id);
                t.ForeignKey("fk_message_templates_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(
            "ux_message_templates_organization_id_purpose_channel_language", "message_templates", ["organization_id", "purpose", "channel", "language"], unique: true);
    }
}
