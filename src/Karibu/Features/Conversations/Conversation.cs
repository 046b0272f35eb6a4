using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Conversations;

/// <summary>The running chat between the business and one customer or one staff member.</summary>
internal sealed class Conversation : TenantEntity
{
    public Guid? CustomerId { get; set; }
    public Guid? StaffId { get; set; }
    public MessageChannel Channel { get; set; } = MessageChannel.Whatsapp;
    public ConversationStatus Status { get; set; } = ConversationStatus.Bot;

    /// <summary>The assistant's memory of where the chat is (JSON); opaque to everything else.</summary>
    public string? AssistantState { get; set; }

    /// <summary>Drives WhatsApp's 24-hour customer service window.</summary>
    public DateTime? LastInboundAt { get; set; }
    public DateTime? LastMessageAt { get; set; }
}

internal enum ConversationStatus { Bot, Human, Resolved }

internal enum MessageChannel { Whatsapp, Sms, Simulator }

internal sealed class Message : TenantEntity
{
    public Guid ConversationId { get; set; }
    public MessageDirection Direction { get; set; }
    public SenderType SenderType { get; set; }
    public MessageChannel Channel { get; set; }
    public string ContentType { get; set; } = "text";
    public string? Body { get; set; }
    public string? ProviderMessageId { get; set; }
    public MessageStatus Status { get; set; } = MessageStatus.Queued;
    public string? Error { get; set; }
}

internal enum MessageDirection { Inbound, Outbound }

internal enum SenderType { Customer, Staff, Ai, System }

internal enum MessageStatus { Received, Queued, Sending, Sent, Delivered, Read, Failed }

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.ToTable("conversations");
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<StaffMember>().WithMany().HasForeignKey(c => c.StaffId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.OrganizationId, c.CustomerId });
        b.HasIndex(c => new { c.OrganizationId, c.StaffId });
        b.HasIndex(c => new { c.OrganizationId, c.Status, c.LastMessageAt });
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.ToTable("messages");
        b.Property(m => m.ContentType).HasMaxLength(32);
        b.Property(m => m.Body).HasMaxLength(8000);
        b.Property(m => m.ProviderMessageId).HasMaxLength(200);
        b.Property(m => m.Error).HasMaxLength(1000);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.OrganizationId, m.ConversationId, m.Id });
        // A provider's message id is processed once, whatever races the webhook retries cause.
        b.HasIndex(m => new { m.OrganizationId, m.Channel, m.ProviderMessageId }).IsUnique();
    }
}
