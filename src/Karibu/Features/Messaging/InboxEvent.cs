using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Messaging;

/// <summary>
/// One event a provider sent us (a message, a delivery status, an echo...), stored before the webhook
/// answers and processed later by <see cref="InboxProcessor"/>. Keyed by the provider's own id, so a
/// redelivered webhook adds nothing. Platform-wide: an event whose number no business owns is kept
/// too (as unroutable), and the organization is only known after routing.
/// </summary>
internal sealed class InboxEvent
{
    public Guid Id { get; set; } = Data.Ids.NewId();

    /// <summary>whatsapp, africastalking, onfon or simulator.</summary>
    public required string Source { get; set; }

    /// <summary>The provider's id for the event: the wamid for a message, wamid:status for a status.</summary>
    public required string EventKey { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary>The business's number on the provider (WhatsApp phone_number_id, SMS short code).</summary>
    public string? ChannelId { get; set; }

    /// <summary>Events with the same key (one chat) are processed one at a time, oldest first.</summary>
    public required string OrderingKey { get; set; }

    public InboxKind Kind { get; set; }

    /// <summary>The event's own JSON (with the context it needs: contact, metadata).</summary>
    public required string Payload { get; set; }

    /// <summary>When the provider says it happened; the processing order within a chat.</summary>
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }

    public InboxState State { get; set; } = InboxState.Pending;
    public int Attempts { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? ProcessedAt { get; set; }
    public string? Error { get; set; }
}

internal enum InboxKind { Message, Status, Echo, Error, Account, OptOut, Other }

internal enum InboxState { Pending, Processed, Unroutable, Failed }

internal sealed class InboxEventConfiguration : IEntityTypeConfiguration<InboxEvent>
{
    public void Configure(EntityTypeBuilder<InboxEvent> b)
    {
        b.ToTable("inbox_events");
        b.Property(e => e.Source).HasMaxLength(32);
        b.Property(e => e.EventKey).HasMaxLength(300);
        b.Property(e => e.ChannelId).HasMaxLength(64);
        b.Property(e => e.OrderingKey).HasMaxLength(300);
        // The "processed" mark is saved with the event's effects and only while the lease is still held.
        b.Property(e => e.LockedBy).HasMaxLength(64).IsConcurrencyToken();
        b.Property(e => e.State).IsConcurrencyToken();
        b.Property(e => e.Error).HasMaxLength(1000);
        b.HasIndex(e => new { e.Source, e.EventKey }).IsUnique();
        // The claim looks only at pending events, per chat in time order.
        b.HasIndex(e => new { e.OrderingKey, e.OccurredAt, e.Id }).HasFilter("state = 'pending'");
        // ...and takes the oldest first: without this a backlog of pending events is sorted on every claim.
        b.HasIndex(e => new { e.OccurredAt, e.Id }).HasFilter("state = 'pending'");
        b.HasIndex(e => new { e.OrganizationId, e.ReceivedAt });
    }
}

/// <summary>How a received event finds its business: the provider number id, or the account (WABA) id.</summary>
internal readonly record struct EventRoute(string? ChannelId, string? AccountId);

/// <summary>One event from a webhook body, before routing. <c>User</c> is the customer's id on the channel.</summary>
internal sealed record ReceivedEvent(string EventKey, EventRoute Route, string? User, InboxKind Kind, DateTime OccurredAt, string Payload);
