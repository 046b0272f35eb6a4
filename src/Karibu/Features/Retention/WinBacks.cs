using System.Globalization;
using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Messaging;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Retention;

/// <summary>
/// The rules of a win-back message, whoever sends it: the automatic round (<see cref="NotificationWorker"/>) and the
/// owner's one tap on the "who to contact" screen. Only customers on <see cref="ToContactList"/> (which leaves out
/// opt-outs and anyone with a booking ahead), at most one marketing message per customer in
/// <c>marketing_cap_days</c>, the business's win-back wording, and never sent in quiet hours (the dispatcher holds it).
/// </summary>
internal static class WinBacks
{
    /// <summary>When each of these customers last got a marketing message (win-back or campaign) since <paramref name="sinceUtc"/>.</summary>
    public static async Task<Dictionary<Guid, DateTime>> LastMarketingAsync(KaribuDb db, IReadOnlyCollection<Guid> customerIds, DateTime sinceUtc, CancellationToken ct) =>
        (await (from m in db.Messages.AsNoTracking()
                join c in db.Conversations.AsNoTracking() on m.ConversationId equals c.Id
                where (m.Purpose == MessagePurpose.WinBack || m.Purpose == MessagePurpose.Campaign) && m.Direction == MessageDirection.Outbound
                      && m.CreatedAt >= sinceUtc && c.CustomerId != null && customerIds.Contains(c.CustomerId.Value)
                select new { CustomerId = c.CustomerId!.Value, m.CreatedAt }).ToListAsync(ct))
        .GroupBy(x => x.CustomerId).ToDictionary(g => g.Key, g => g.Max(x => x.CreatedAt));

    public static Task<bool> RecentlyMessagedAsync(KaribuDb db, Guid customerId, DateTime sinceUtc, CancellationToken ct) =>
        db.Messages.AnyAsync(m => (m.Purpose == MessagePurpose.WinBack || m.Purpose == MessagePurpose.Campaign)
            && m.Direction == MessageDirection.Outbound && m.CreatedAt >= sinceUtc
            && db.Conversations.Any(c => c.Id == m.ConversationId && c.CustomerId == customerId), ct);

    /// <summary>The win-back template's values for one customer on the list.</summary>
    public static BookingNotices.Values Values(Organization organization, Customer customer, ContactResponse contact, Language language) => new(
        new Dictionary<string, string?>
        {
            ["customer_name"] = customer.DisplayName?.Split(' ')[0] ?? "",
            ["business_name"] = organization.Name,
            ["last_service"] = contact.LastServiceName?.ToLowerInvariant() ?? (language == Language.Es ? "visita" : "visit"),
            ["days_since"] = contact.DaysSinceLastVisit.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>The business's win-back wording for this customer, as the automatic round would send it.</summary>
    public static async Task<string> TextAsync(KaribuDb db, MessageChannel channel, Language language, BookingNotices.Values values, CancellationToken ct) =>
        (await Templates.LoadAsync(db, TemplatePurpose.WinBack, language, channel, ct)).Render(values.All).Text;

    /// <summary>
    /// Queues the owner's personal win-back on the customer's conversation (else a new one on <paramref name="channel"/>):
    /// their own words while WhatsApp's window is open, the business's approved win-back template outside it. Not before
    /// <paramref name="notBefore"/> (the end of quiet hours); the caller saves.
    /// </summary>
    public static async Task<Message> QueuePersonalAsync(
        KaribuDb db, BookingNotices notices, Customer customer, MessageChannel channel, Language language, BookingNotices.Values values,
        string text, DateTime? notBefore, CancellationToken ct)
    {
        var chat = notices.CustomerChat(await notices.CustomerChatsAsync([customer.Id], ct), customer, channel);
        var (_, whatsapp) = (await Templates.LoadAsync(db, TemplatePurpose.WinBack, language, chat.Channel, ct)).Render(values.All);
        return Outbox.Queue(db, chat, text, MessagePurpose.WinBack, whatsapp is null ? null : new OutboundContent { Template = whatsapp }, SenderType.Staff, notBefore);
    }
}
