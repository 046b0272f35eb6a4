using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Organizations;

/// <summary>A tenant API key. Only its SHA-256 hash is stored; the prefix lets people tell keys apart.</summary>
internal sealed class ApiKey : TenantEntity
{
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>Who did what to which row; written with the change it describes.</summary>
internal sealed class AuditEvent : TenantEntity
{
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public Guid? EntityId { get; set; }
    public string? Data { get; set; }
}

/// <summary>A connected sending identity: a WhatsApp Cloud API number or an SMS provider account.</summary>
internal sealed class ChannelAccount : TenantEntity
{
    public ChannelKind Kind { get; set; }

    /// <summary>WhatsApp phone_number_id, SMS sender id or short code: what webhooks route by.</summary>
    public required string ExternalId { get; set; }
    public string? WabaId { get; set; }
    public string? DisplayPhoneNumber { get; set; }

    /// <summary>Access token or provider credentials, encrypted with ASP.NET Data Protection.</summary>
    public string? EncryptedSecret { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>SHA-256 of the secret in this account's webhook URLs (SMS delivery reports and inbound).</summary>
    public string? WebhookTokenHash { get; set; }

    /// <summary>Messages per second the provider allows this number (WhatsApp: 80 by default, 20 on Coexistence).</summary>
    public int? MessagesPerSecond { get; set; }
}

/// <summary>Mpesa: a Daraja C2B short code (paybill or till) whose callbacks and forwarded SMS come to us.</summary>
internal enum ChannelKind { Whatsapp, Africastalking, Onfon, Mpesa }

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(k => k.Name).HasMaxLength(Limits.Name);
        b.Property(k => k.Prefix).HasMaxLength(32);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(k => new { k.OrganizationId, k.CreatedAt });
        // Authentication looks a key up by hash before any tenant is known: the one global key here.
        b.HasIndex(k => k.KeyHash).IsUnique();
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.Property(e => e.Actor).HasMaxLength(Limits.Name);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.EntityType).HasMaxLength(64);
        b.Property(e => e.Data).HasMaxLength(Limits.Text);
        b.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.OrganizationId, e.CreatedAt });
        // The M-Pesa review list reads the events of a few actions, and whether one was dismissed (entity_id).
        b.HasIndex(e => new { e.OrganizationId, e.Action, e.EntityId });
    }
}

internal sealed class ChannelAccountConfiguration : IEntityTypeConfiguration<ChannelAccount>
{
    public void Configure(EntityTypeBuilder<ChannelAccount> b)
    {
        b.ToTable("channel_accounts");
        b.Property(c => c.ExternalId).HasMaxLength(64);
        b.Property(c => c.WabaId).HasMaxLength(64);
        b.Property(c => c.DisplayPhoneNumber).HasMaxLength(32);
        b.Property(c => c.EncryptedSecret).HasMaxLength(4000);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.OrganizationId, c.Kind });
        // Webhooks find the tenant by the provider's identifier, so one number belongs to one business.
        b.HasIndex(c => new { c.Kind, c.ExternalId }).IsUnique();
        b.Property(c => c.WebhookTokenHash).HasMaxLength(64);
        b.HasIndex(c => c.WebhookTokenHash).IsUnique();
    }
}
