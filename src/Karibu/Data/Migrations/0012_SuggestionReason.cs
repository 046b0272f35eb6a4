using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>Why a payment carries a suggested customer: masked number and name, amount and time, or both.</summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000012_SuggestionReason")]
internal sealed class SuggestionReason : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "suggestion_reason", table: "payments", maxLength: 32, nullable: true);
        // Suggestions made before this migration rested on the masked number and a name word: the only kind there was.
        migrationBuilder.Sql("UPDATE payments SET suggestion_reason = 'masked_phone_and_name' WHERE suggested_customer_id IS NOT NULL");
    }
}
