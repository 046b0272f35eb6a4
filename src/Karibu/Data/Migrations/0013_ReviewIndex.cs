using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// The M-Pesa review list reads audit events by action (unusable confirmations, texts that need review) and
/// looks up whether one was dismissed by the event it names (entity_id).
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000013_ReviewIndex")]
internal sealed class ReviewIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex("ix_audit_events_organization_id_action_entity_id", "audit_events", ["organization_id", "action", "entity_id"]);
}
