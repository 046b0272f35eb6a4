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

    /// <summary>
    /// Who the chat is with on its channel: the WhatsApp id (or business-scoped user id when WhatsApp
    /// hides the number), or the E.164 number for SMS and the simulator.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>While a person has taken the chat over, the assistant is quiet until this time (or until handed back).</summary>
    public DateTime? BotPausedUntil { get; set; }
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

    /// <summary>The provider's error code when the message failed (e.g. WhatsApp 131047).</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Why the message is sent: decides opt-out suppression and which template may replace it.</summary>
    public MessagePurpose Purpose { get; set; } = MessagePurpose.Reply;

    /// <summary>Buttons, list, template or read-receipt details (JSON), or the raw provider message for inbound.</summary>
    public string? Payload { get; set; }

    /// <summary>Outbox bookkeeping: attempts so far, when to try next, and the lease of the dispatcher sending it.</summary>
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? LockedUntil { get; set; }

    /// <summary>Set when WhatsApp refused free-form text (131047): the next attempt must be a template.</summary>
    public bool RequireTemplate { get; set; }

    /// <summary>SMS parts billed for this message.</summary>
    public int? Segments { get; set; }

    public DateTime? SentAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>
/// Replies and booking messages are transactional; win-back, review requests and campaigns are not,
/// and stop after a customer opts out.
/// </summary>
internal enum MessagePurpose
{
    Reply, Confirmation, Reminder, Reschedule, Cancellation, Agenda, OptOut, System, WinBack, ReviewRequest, Campaign,
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
        b.Property(c => c.Address).HasMaxLength(200);
        b.HasIndex(c => new { c.OrganizationId, c.Channel, c.Address });
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
        b.Property(m => m.ErrorCode).HasMaxLength(32);
        b.Property(m => m.Payload).HasMaxLength(64000);
        b.Property(m => m.LockedBy).HasMaxLength(64);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.OrganizationId, m.ConversationId, m.Id });
        // A provider's message id is processed once, whatever races the webhook retries cause.
        b.HasIndex(m => new { m.OrganizationId, m.Channel, m.ProviderMessageId }).IsUnique();
        // The outbox: only rows waiting to be sent, so the dispatcher's claim stays small.
        b.HasIndex(m => new { m.Status, m.NextAttemptAt }).HasFilter("status IN ('queued', 'sending')");
        // Retention metrics count reminders and win-backs of a period.
        b.HasIndex(m => new { m.OrganizationId, m.Purpose, m.CreatedAt });
    }
}
