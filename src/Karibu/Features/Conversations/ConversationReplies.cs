using Karibu.Data;
using Karibu.Features.Assistant;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Conversations;

/// <summary>How a person's free text would reach the customer right now.</summary>
internal enum ReplyWay
{
    /// <summary>As a normal message (inside WhatsApp's 24-hour window, or on SMS and the simulator).</summary>
    Text,

    /// <summary>WhatsApp's window is closed, but the business lets such messages go by SMS.</summary>
    Sms,

    /// <summary>WhatsApp's window is closed and there is no SMS fallback: WhatsApp would refuse free text.</summary>
    WindowClosed,
}

/// <summary>
/// A person at the business writing in a customer's conversation, shared by <c>POST …/conversations/{id}/messages</c>
/// and the owner app's inbox: the reply is queued in the outbox and the assistant steps back for the takeover period.
/// Free text is refused up front when WhatsApp would refuse it (more than 24 hours since the customer last wrote and
/// no SMS fallback), instead of being queued to fail later — the same rule the dispatcher applies at send time.
/// </summary>
internal sealed class ConversationReplies(KaribuDb db, AssistantReplies assistant, TimeProvider time, IOptions<MessagingOptions> messaging)
{
    public const int MaxText = 4096;

    /// <summary>When free WhatsApp text stops being accepted (the dispatcher's margin included); null when the customer never wrote.</summary>
    public DateTime? WindowClosesAt(Conversation conversation) =>
        conversation.LastInboundAt?.AddHours(24).AddMinutes(-messaging.Value.WindowSafetyMinutes);

    public bool WindowOpen(Conversation conversation) =>
        conversation.Channel != MessageChannel.Whatsapp || WindowClosesAt(conversation) > time.GetUtcNow().UtcDateTime;

    public async Task<ReplyWay> WayAsync(Conversation conversation, CancellationToken ct)
    {
        if (WindowOpen(conversation))
        {
            return ReplyWay.Text;
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        return organization.Settings.AllowSmsFallback && conversation.CustomerId is not null
               && await db.ChannelAccounts.AnyAsync(a => (a.Kind == ChannelKind.Africastalking || a.Kind == ChannelKind.Onfon) && a.IsActive, ct)
            ? ReplyWay.Sms
            : ReplyWay.WindowClosed;
    }

    /// <summary>
    /// Queues the reply and takes the chat over; the caller saves (with anything else that must commit with it).
    /// Null, changing nothing, when WhatsApp would refuse free text (<see cref="ReplyWay.WindowClosed"/>).
    /// </summary>
    public async Task<Message?> ReplyAsync(Conversation conversation, string text, CancellationToken ct)
    {
        if (await WayAsync(conversation, ct) == ReplyWay.WindowClosed)
        {
            return null;
        }

        var message = Outbox.Queue(db, conversation, text, MessagePurpose.Reply, sender: SenderType.Staff);
        assistant.TakeOver(conversation);
        conversation.LastMessageAt = time.GetUtcNow().UtcDateTime;
        return message;
    }

    /// <summary>A person takes the chat: the assistant is quiet until it is handed back or the takeover times out.</summary>
    public void TakeOver(Conversation conversation) => assistant.TakeOver(conversation);

    /// <summary>Back to the assistant (or closed), at once.</summary>
    public static void Release(Conversation conversation, ConversationStatus status)
    {
        conversation.Status = status;
        conversation.BotPausedUntil = null;
    }
}
