using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// The first schema. Hand-written and provider-neutral: columns name only CLR types and lengths, and
/// each provider picks its own column type (uuid/TEXT, timestamptz/TEXT, ...).
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "organizations",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                name = t.Column<string>(maxLength: 200, nullable: false),
                business_type = t.Column<string>(maxLength: 32, nullable: false),
                country_code = t.Column<string>(maxLength: 2, nullable: false),
                time_zone = t.Column<string>(maxLength: 64, nullable: false),
                locale = t.Column<string>(maxLength: 16, nullable: false),
                currency = t.Column<string>(maxLength: 3, nullable: false),
                phone_number = t.Column<string>(maxLength: 16, nullable: true),
                status = t.Column<string>(maxLength: 32, nullable: false),
                plan = t.Column<string>(maxLength: 32, nullable: false),
                settings = t.Column<string>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_organizations", x => x.id));

        migrationBuilder.CreateTable(
            name: "people",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                phone_number = t.Column<string>(maxLength: 16, nullable: false),
                profile_name = t.Column<string>(maxLength: 200, nullable: true),
                opted_out_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_people", x => x.id));
        migrationBuilder.CreateIndex("ux_people_phone_number", "people", "phone_number", unique: true);

        migrationBuilder.CreateTable(
            name: "locations",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                name = t.Column<string>(maxLength: 200, nullable: false),
                address = t.Column<string>(maxLength: 500, nullable: true),
                is_primary = t.Column<bool>(nullable: false),
                business_hours = t.Column<string>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_locations", x => x.id);
                t.ForeignKey("fk_locations_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_locations_organization_id_is_primary", "locations", ["organization_id", "is_primary"]);

        migrationBuilder.CreateTable(
            name: "staff",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                name = t.Column<string>(maxLength: 200, nullable: false),
                phone_number = t.Column<string>(maxLength: 16, nullable: false),
                role = t.Column<string>(maxLength: 32, nullable: false),
                permissions = t.Column<string>(maxLength: 2000, nullable: false),
                is_active = t.Column<bool>(nullable: false),
                service_ids = t.Column<string>(maxLength: 8000, nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_staff", x => x.id);
                t.ForeignKey("fk_staff_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ux_staff_organization_id_phone_number", "staff", ["organization_id", "phone_number"], unique: true);

        migrationBuilder.CreateTable(
            name: "services",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                name = t.Column<string>(maxLength: 200, nullable: false),
                description = t.Column<string>(maxLength: 2000, nullable: true),
                duration_minutes = t.Column<int>(nullable: false),
                price_cents = t.Column<long>(nullable: false),
                currency = t.Column<string>(maxLength: 3, nullable: false),
                is_active = t.Column<bool>(nullable: false),
                buffer_after_minutes = t.Column<int>(nullable: false),
                rebook_interval_days = t.Column<int>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_services", x => x.id);
                t.ForeignKey("fk_services_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.CheckConstraint("ck_services_duration_positive", "duration_minutes > 0");
                t.CheckConstraint("ck_services_price_not_negative", "price_cents >= 0");
            });
        migrationBuilder.CreateIndex("ix_services_organization_id_is_active", "services", ["organization_id", "is_active"]);

        migrationBuilder.CreateTable(
            name: "customers",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                person_id = t.Column<Guid>(nullable: false),
                phone_number = t.Column<string>(maxLength: 16, nullable: false),
                display_name = t.Column<string>(maxLength: 200, nullable: true),
                email = t.Column<string>(maxLength: 254, nullable: true),
                notes = t.Column<string>(maxLength: 2000, nullable: true),
                tags = t.Column<string>(maxLength: 2000, nullable: false),
                visit_count = t.Column<int>(nullable: false),
                last_visit_at = t.Column<DateTime>(nullable: true),
                total_spent_cents = t.Column<long>(nullable: false),
                contact_cadence_days = t.Column<int>(nullable: true),
                marketing_opted_out_at = t.Column<DateTime>(nullable: true),
                opted_out_at = t.Column<DateTime>(nullable: true),
                source = t.Column<string>(maxLength: 32, nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_customers", x => x.id);
                t.ForeignKey("fk_customers_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_customers_people_person_id", x => x.person_id, "people", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ux_customers_organization_id_phone_number", "customers", ["organization_id", "phone_number"], unique: true);
        migrationBuilder.CreateIndex("ix_customers_organization_id_person_id", "customers", ["organization_id", "person_id"]);
        migrationBuilder.CreateIndex("ix_customers_organization_id_last_visit_at", "customers", ["organization_id", "last_visit_at"]);

        migrationBuilder.CreateTable(
            name: "availability_rules",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                staff_id = t.Column<Guid>(nullable: false),
                type = t.Column<string>(maxLength: 32, nullable: false),
                day_of_week = t.Column<int>(nullable: true),
                start_time = t.Column<TimeOnly>(nullable: true),
                end_time = t.Column<TimeOnly>(nullable: true),
                exception_date = t.Column<DateOnly>(nullable: true),
                is_available = t.Column<bool>(nullable: false),
                note = t.Column<string>(maxLength: 500, nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_availability_rules", x => x.id);
                t.ForeignKey("fk_availability_rules_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_availability_rules_staff_staff_id", x => x.staff_id, "staff", "id", onDelete: ReferentialAction.Cascade);
                t.CheckConstraint("ck_availability_rules_day_of_week", "day_of_week IS NULL OR (day_of_week >= 0 AND day_of_week <= 6)");
            });
        migrationBuilder.CreateIndex("ix_availability_rules_organization_id_staff_id_type", "availability_rules", ["organization_id", "staff_id", "type"]);

        migrationBuilder.CreateTable(
            name: "appointments",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                customer_id = t.Column<Guid>(nullable: false),
                staff_id = t.Column<Guid>(nullable: false),
                service_id = t.Column<Guid>(nullable: false),
                location_id = t.Column<Guid>(nullable: true),
                start_at = t.Column<DateTime>(nullable: false),
                end_at = t.Column<DateTime>(nullable: false),
                status = t.Column<string>(maxLength: 32, nullable: false),
                source = t.Column<string>(maxLength: 32, nullable: false),
                notes = t.Column<string>(maxLength: 2000, nullable: true),
                cancellation_reason = t.Column<string>(maxLength: 500, nullable: true),
                cancelled_at = t.Column<DateTime>(nullable: true),
                price_cents = t.Column<long>(nullable: false),
                currency = t.Column<string>(maxLength: 3, nullable: false),
                reminder_sent_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_appointments", x => x.id);
                t.ForeignKey("fk_appointments_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_appointments_customers_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("fk_appointments_staff_staff_id", x => x.staff_id, "staff", "id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("fk_appointments_services_service_id", x => x.service_id, "services", "id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("fk_appointments_locations_location_id", x => x.location_id, "locations", "id", onDelete: ReferentialAction.SetNull);
                t.CheckConstraint("ck_appointments_end_after_start", "end_at > start_at");
            });
        migrationBuilder.CreateIndex("ix_appointments_organization_id_staff_id_start_at", "appointments", ["organization_id", "staff_id", "start_at"]);
        migrationBuilder.CreateIndex("ix_appointments_organization_id_customer_id_start_at", "appointments", ["organization_id", "customer_id", "start_at"]);
        migrationBuilder.CreateIndex("ix_appointments_organization_id_start_at", "appointments", ["organization_id", "start_at"]);

        migrationBuilder.CreateTable(
            name: "conversations",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                customer_id = t.Column<Guid>(nullable: true),
                staff_id = t.Column<Guid>(nullable: true),
                channel = t.Column<string>(maxLength: 32, nullable: false),
                status = t.Column<string>(maxLength: 32, nullable: false),
                assistant_state = t.Column<string>(nullable: true),
                last_inbound_at = t.Column<DateTime>(nullable: true),
                last_message_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_conversations", x => x.id);
                t.ForeignKey("fk_conversations_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_conversations_customers_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("fk_conversations_staff_staff_id", x => x.staff_id, "staff", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_conversations_organization_id_customer_id", "conversations", ["organization_id", "customer_id"]);
        migrationBuilder.CreateIndex("ix_conversations_organization_id_staff_id", "conversations", ["organization_id", "staff_id"]);
        migrationBuilder.CreateIndex("ix_conversations_organization_id_status_last_message_at", "conversations", ["organization_id", "status", "last_message_at"]);

        migrationBuilder.CreateTable(
            name: "messages",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                conversation_id = t.Column<Guid>(nullable: false),
                direction = t.Column<string>(maxLength: 32, nullable: false),
                sender_type = t.Column<string>(maxLength: 32, nullable: false),
                channel = t.Column<string>(maxLength: 32, nullable: false),
                content_type = t.Column<string>(maxLength: 32, nullable: false),
                body = t.Column<string>(maxLength: 8000, nullable: true),
                provider_message_id = t.Column<string>(maxLength: 200, nullable: true),
                status = t.Column<string>(maxLength: 32, nullable: false),
                error = t.Column<string>(maxLength: 1000, nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_messages", x => x.id);
                t.ForeignKey("fk_messages_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("fk_messages_conversations_conversation_id", x => x.conversation_id, "conversations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_messages_organization_id_conversation_id_id", "messages", ["organization_id", "conversation_id", "id"]);
        migrationBuilder.CreateIndex("ux_messages_organization_id_channel_provider_message_id", "messages", ["organization_id", "channel", "provider_message_id"], unique: true);

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                name = t.Column<string>(maxLength: 200, nullable: false),
                prefix = t.Column<string>(maxLength: 32, nullable: false),
                key_hash = t.Column<string>(maxLength: 64, nullable: false),
                last_used_at = t.Column<DateTime>(nullable: true),
                revoked_at = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_api_keys", x => x.id);
                t.ForeignKey("fk_api_keys_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_api_keys_organization_id_created_at", "api_keys", ["organization_id", "created_at"]);
        migrationBuilder.CreateIndex("ux_api_keys_key_hash", "api_keys", "key_hash", unique: true);

        migrationBuilder.CreateTable(
            name: "audit_events",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                actor = t.Column<string>(maxLength: 200, nullable: false),
                action = t.Column<string>(maxLength: 64, nullable: false),
                entity_type = t.Column<string>(maxLength: 64, nullable: false),
                entity_id = t.Column<Guid>(nullable: true),
                data = t.Column<string>(maxLength: 2000, nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_audit_events", x => x.id);
                t.ForeignKey("fk_audit_events_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_audit_events_organization_id_created_at", "audit_events", ["organization_id", "created_at"]);

        migrationBuilder.CreateTable(
            name: "channel_accounts",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                organization_id = t.Column<Guid>(nullable: false),
                kind = t.Column<string>(maxLength: 32, nullable: false),
                external_id = t.Column<string>(maxLength: 64, nullable: false),
                waba_id = t.Column<string>(maxLength: 64, nullable: true),
                display_phone_number = t.Column<string>(maxLength: 32, nullable: true),
                encrypted_secret = t.Column<string>(maxLength: 4000, nullable: true),
                is_active = t.Column<bool>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                updated_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_channel_accounts", x => x.id);
                t.ForeignKey("fk_channel_accounts_organizations_organization_id", x => x.organization_id, "organizations", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_channel_accounts_organization_id_kind", "channel_accounts", ["organization_id", "kind"]);
        migrationBuilder.CreateIndex("ux_channel_accounts_kind_external_id", "channel_accounts", ["kind", "external_id"], unique: true);

        migrationBuilder.CreateTable(
            name: "idempotency_records",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                scope = t.Column<string>(maxLength: 64, nullable: false),
                key = t.Column<string>(maxLength: 255, nullable: false),
                request_hash = t.Column<string>(maxLength: 64, nullable: false),
                status_code = t.Column<int>(nullable: false),
                content_type = t.Column<string>(maxLength: 200, nullable: true),
                location = t.Column<string>(maxLength: 1000, nullable: true),
                body = t.Column<byte[]>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
                expires_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_idempotency_records", x => x.id));
        migrationBuilder.CreateIndex("ux_idempotency_records_scope_key", "idempotency_records", ["scope", "key"], unique: true);
        migrationBuilder.CreateIndex("ix_idempotency_records_expires_at", "idempotency_records", "expires_at");

        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: t => new
            {
                id = t.Column<Guid>(nullable: false),
                friendly_name = t.Column<string>(maxLength: 200, nullable: true),
                xml = t.Column<string>(nullable: false),
                created_at = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_data_protection_keys", x => x.id));
    }
}
