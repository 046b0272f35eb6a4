using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// The messaging pipeline: the inbox of provider events, outbox bookkeeping on messages, customers'
/// WhatsApp identities and per-channel opt-outs, and SMS accounts' webhook secrets.
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000003_Messaging")]
internal sealed class Messaging : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "inbox_events",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                source = t.Column<string>(maxLength: 32, nullable: false),
                event_key = t.Column<string>(maxLength: 300, nullable: false),
                organization_id = t.Column<Guid>(nullable: true),
                channel_id = t.Column<string>(maxLength: 64, nullable: true),
                ordering_key = t.Column<string>(maxLength: 300, nullable: false),
                kind = t.Column<string>(maxLength: 32, nullable: false),
                payload = t.Column<string>(nullable: false),
                occurred_at = t.Column<DateTime>(nullable: false),
                received_at = t.Column<DateTime>(nullable: false),
                state = t.Column<string>(maxLength: 32, nullable: false),
                attempts = t.Column<int>(nullable: false),
                locked_by = t.Column<string>(maxLength: 64, nullable: true),
                locked_until = t.Column<DateTime>(nullable: true),
                processed_at = t.Column<DateTime>(nullable: true),
                error = t.Column<string>(maxLength: 1000, nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_inbox_events", x => x.id));
        migrationBuilder.CreateIndex("ux_inbox_events_source_event_key", "inbox_events", ["source", "event_key"], unique: true);
        migrationBuilder.CreateIndex(
            "ix_inbox_events_ordering_key_occurred_at_id", "inbox_events", ["ordering_key", "occurred_at", "id"], filter: "state = 'pending'");
        migrationBuilder.CreateIndex("ix_inbox_events_organization_id_received_at", "inbox_events", ["organization_id", "received_at"]);

        migrationBuilder.AddColumn<string>(name: "error_code", table: "messages", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>(name: "purpose", table: "messages", maxLength: 32, nullable: false, defaultValue: "reply");
        migrationBuilder.AddColumn<string>(name: "payload", table: "messages", maxLength: 64000, nullable: true);
        migrationBuilder.AddColumn<int>(name: "attempts", table: "messages", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>(name: "next_attempt_at", table: "messages", nullable: true);
        migrationBuilder.AddColumn<string>(name: "locked_by", table: "messages", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "locked_until", table: "messages", nullable: true);
        migrationBuilder.AddColumn<bool>(name: "require_template", table: "messages", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<int>(name: "segments", table: "messages", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "sent_at", table: "messages", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "delivered_at", table: "messages", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "read_at", table: "messages", nullable: true);
        migrationBuilder.CreateIndex(
            "ix_messages_status_next_attempt_at", "messages", ["status", "next_attempt_at"], filter: "status IN ('queued', 'sending')");

        migrationBuilder.AddColumn<string>(name: "address", table: "conversations", maxLength: 200, nullable: true);
        migrationBuilder.CreateIndex("ix_conversations_organization_id_channel_address", "conversations", ["organization_id", "channel", "address"]);

        migrationBuilder.AddColumn<string>(name: "opted_out_channels", table: "customers", maxLength: 2000, nullable: false, defaultValue: "[]");
        migrationBuilder.AddColumn<string>(name: "whatsapp_id", table: "customers", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>(name: "whatsapp_user_id", table: "customers", maxLength: 160, nullable: true);
        migrationBuilder.CreateIndex("ix_customers_organization_id_whatsapp_user_id", "customers", ["organization_id", "whatsapp_user_id"]);

        migrationBuilder.AddColumn<string>(name: "webhook_token_hash", table: "channel_accounts", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<int>(name: "messages_per_second", table: "channel_accounts", nullable: true);
        migrationBuilder.CreateIndex("ux_channel_accounts_webhook_token_hash", "channel_accounts", ["webhook_token_hash"], unique: true);
    }
}
