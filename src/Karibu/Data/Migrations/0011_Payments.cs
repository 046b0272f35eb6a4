using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>M-Pesa payments (C2B confirmations and forwarded SMS), unique per business by receipt.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000011_Payments")]
internal sealed class Payments : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "payments",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                source = t.Column<string>(maxLength: 32, nullable: false),
                receipt = t.Column<string>(maxLength: 32, nullable: false),
                amount_cents = t.Column<long>(nullable: false),
                currency = t.Column<string>(maxLength: 3, nullable: false),
                payer_name = t.Column<string>(maxLength: 200, nullable: true),
                payer_phone = t.Column<string>(maxLength: 32, nullable: true),
                payer_phone_hint = t.Column<string>(maxLength: 64, nullable: true),
                payer_phone_hash = t.Column<string>(maxLength: 64, nullable: true),
                account_reference = t.Column<string>(maxLength: 200, nullable: true),
                paid_at = t.Column<DateTime>(nullable: false),
                customer_id = t.Column<Guid>(nullable: true),
                visit_id = t.Column<Guid>(nullable: true),
                match_method = t.Column<string>(maxLength: 32, nullable: true),
                suggested_customer_id = t.Column<Guid>(nullable: true),
                raw_payload = t.Column<string>(maxLength: 16000, nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_payments", x => x.id);
                t.ForeignKey("fk_payments_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_payments_customers_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ux_payments_organization_id_receipt", "payments", ["organization_id", "receipt"], unique: true);
        migrationBuilder.CreateIndex("ix_payments_organization_id_customer_id", "payments", ["organization_id", "customer_id"]);
    }
}
