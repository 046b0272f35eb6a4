using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>Visits (one per customer per local day) and the index the retention metrics use on messages.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000009_Visits")]
internal sealed class VisitsTable : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "visits",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                customer_id = t.Column<Guid>(nullable: false),
                local_date = t.Column<DateOnly>(nullable: false),
                at = t.Column<DateTime>(nullable: false),
                source = t.Column<string>(maxLength: 32, nullable: false),
                appointment_id = t.Column<Guid>(nullable: true),
                payment_id = t.Column<Guid>(nullable: true),
                service_id = t.Column<Guid>(nullable: true),
                amount_cents = t.Column<long>(nullable: false),
                paid_cents = t.Column<long>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_visits", x => x.id);
                t.ForeignKey("fk_visits_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_visits_customers_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(
            "ux_visits_organization_id_customer_id_local_date", "visits", ["organization_id", "customer_id", "local_date"], unique: true);
        migrationBuilder.CreateIndex("ix_visits_organization_id_local_date", "visits", ["organization_id", "local_date"]);
        migrationBuilder.CreateIndex("ix_messages_organization_id_purpose_created_at", "messages", ["organization_id", "purpose", "created_at"]);
    }
}
