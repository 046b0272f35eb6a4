using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Notifications;

internal enum BookingChange { Booked, Moved, Cancelled, Completed }

/// <summary>
/// The messages a booking change sends, queued in the same transaction as the change: the customer's
/// confirmation (unless they just did it in their own chat, which already answered), the assigned staff
/// member's and the owner's notice (unless they made the change themselves), and after a completed
/// appointment the review request when the business has a review link. Businesses without a WhatsApp or
/// SMS account send nothing (the simulator is for conversations, not notices).
/// </summary>
internal sealed class BookingNotices(KaribuDb db, TenantContext tenant, TenantData tenantData)
{
    public async Task QueueAsync(Appointment a, BookingChange change, string actor, CancellationToken ct)
    {
        if (await ChannelAsync(db, ct) is not { } channel)
        {
            return;
        }

        var organization = await tenantData.OrganizationAsync(ct);
        var customer = db.Customers.Local.FirstOrDefault(c => c.Id == a.CustomerId) ?? await db.Customers.AsNoTracking().FirstAsync(c => c.Id == a.CustomerId, ct);
        var language = GuidedTexts.FromLocale(organization.Locale);
        var values = await ValuesAsync(a, organization, customer, language, ct);
        var byCustomerChat = actor is "assistant" or "customer";

        if (change == BookingChange.Completed)
        {
            if (organization.Settings.ReviewLink is { } link)
            {
                await ToCustomerAsync(customer, channel, TemplatePurpose.ReviewRequest, MessagePurpose.ReviewRequest, language, values.With("review_link", link), ct);
            }

            return;
        }

        if (!byCustomerChat && a.Source != AppointmentSource.WalkIn)
        {
            var askToConfirm = change == BookingChange.Booked && a.Source == AppointmentSource.Web && a.Status == AppointmentStatus.Pending
                               && organization.Settings.ConfirmPageBookingsByReply;
            var (purpose, messagePurpose) = change switch
            {
                BookingChange.Booked when askToConfirm => (TemplatePurpose.BookingToConfirm, MessagePurpose.Confirmation),
                BookingChange.Booked => (TemplatePurpose.BookingConfirmed, MessagePurpose.Confirmation),
                BookingChange.Moved => (TemplatePurpose.BookingChanged, MessagePurpose.Reschedule),
                _ => (TemplatePurpose.BookingCancelled, MessagePurpose.Cancellation),
            };
            var chat = await ToCustomerAsync(customer, channel, purpose, messagePurpose, language, values, ct);
            if (askToConfirm)
            {
                // The customer's SÍ or CANCELAR is read exactly like the answer to a reminder.
                if (db.Entry(chat).State == EntityState.Detached)
                {
                    db.Attach(chat);
                }

                chat.AssistantState = GuidedEngine.AwaitingReminderAnswer(a.Id);
            }
        }

        var staffPurpose = change switch
        {
            BookingChange.Booked => TemplatePurpose.StaffNewBooking,
            BookingChange.Moved => TemplatePurpose.StaffBookingChanged,
            _ => TemplatePurpose.StaffBookingCancelled,
        };
        var team = (await tenantData.StaffAsync(ct)).Where(s => s.IsActive && (s.Id == a.StaffId || s.Role == StaffRole.Owner) && actor != $"staff:{s.Id}").ToList();
        if (team.Count == 0)
        {
            return;
        }

        // One read of their chats and one of the template, whoever is told.
        var ids = team.Select(s => (Guid?)s.Id).ToList();
        var chats = await db.Conversations.Where(c => ids.Contains(c.StaffId) && c.Channel == channel).ToListAsync(ct);
        var template = await Templates.LoadAsync(db, staffPurpose, language, channel, ct);
        foreach (var member in team)
        {
            var chat = chats.FirstOrDefault(c => c.StaffId == member.Id) ?? StaffChat(member, channel);
            Queue(db, chat, template, MessagePurpose.System, values.With("staff_name", member.Name.Split(' ')[0]));
        }
    }

    /// <summary>The business's channel for messages it starts: WhatsApp if connected, else SMS, else none.</summary>
    public static async Task<MessageChannel?> ChannelAsync(KaribuDb db, CancellationToken ct)
    {
        var kinds = await db.ChannelAccounts.AsNoTracking().Where(c => c.IsActive && c.Kind != ChannelKind.Mpesa).Select(c => c.Kind).ToListAsync(ct);
        return kinds.Contains(ChannelKind.Whatsapp) ? MessageChannel.Whatsapp
            : kinds.Count > 0 ? MessageChannel.Sms
            : null;
    }

    /// <summary>Names and the address, read once for any number of messages.</summary>
    internal sealed record Context(Dictionary<Guid, string> Services, Dictionary<Guid, string> Staff, string? Address);

    public async Task<Context> ContextAsync(CancellationToken ct) => new(
        (await tenantData.ServicesAsync(ct)).ToDictionary(s => s.Id, s => s.Name),
        (await tenantData.StaffAsync(ct)).ToDictionary(s => s.Id, s => s.Name),
        (await tenantData.PrimaryLocationAsync(ct))?.Address);

    public async Task<Values> ValuesAsync(Appointment a, Organization organization, Customer customer, Language language, CancellationToken ct) =>
        ValuesFor(a, organization, customer, language, await ContextAsync(ct));

    public Values ValuesFor(Appointment a, Organization organization, Customer customer, Language language, Context context)
    {
        var local = Instant.FromDateTimeUtc(a.StartAt).InZone(tenant.Zone);
        return new Values(new Dictionary<string, string?>
        {
            ["customer_name"] = customer.DisplayName?.Split(' ')[0] ?? "",
            ["customer_phone"] = customer.PhoneNumber,
            ["business_name"] = organization.Name,
            ["service"] = context.Services.GetValueOrDefault(a.ServiceId),
            ["day"] = GuidedTexts.Date(language, local.Date),
            ["time"] = GuidedTexts.Time(language, local.TimeOfDay),
            ["staff"] = context.Staff.GetValueOrDefault(a.StaffId)?.Split(' ')[0],
            ["price"] = GuidedTexts.Money(a.PriceCents, a.Currency),
            ["address"] = context.Address,
        });
    }

    /// <summary>Each customer's latest conversation on a real channel (any they use with the business), not tracked.</summary>
    public async Task<Dictionary<Guid, Conversation>> CustomerChatsAsync(IReadOnlyCollection<Guid> customerIds, CancellationToken ct) =>
        (await db.Conversations.AsNoTracking().Where(c => c.CustomerId != null && customerIds.Contains(c.CustomerId.Value) && c.Channel != MessageChannel.Simulator).ToListAsync(ct))
            .GroupBy(c => c.CustomerId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.LastInboundAt).First());

    /// <summary>The customer's conversation from <paramref name="chats"/>, else a new one on <paramref name="channel"/> (remembered there).</summary>
    public Conversation CustomerChat(Dictionary<Guid, Conversation> chats, Customer customer, MessageChannel channel)
    {
        if (!chats.TryGetValue(customer.Id, out var chat))
        {
            chat = NewChat(customer, channel);
            db.Conversations.Add(chat);
            chats[customer.Id] = chat;
        }

        return chat;
    }

    public static Conversation NewChat(Customer customer, MessageChannel channel) =>
        new() { CustomerId = customer.Id, Channel = channel, Address = customer.PhoneNumber };

    /// <summary>On the customer's latest conversation (any channel they use with the business), else a new one on <paramref name="channel"/>.</summary>
    public async Task<Conversation> ToCustomerAsync(
        Customer customer, MessageChannel channel, TemplatePurpose purpose, MessagePurpose messagePurpose, Language language, Values values, CancellationToken ct)
    {
        var chat = CustomerChat(await CustomerChatsAsync([customer.Id], ct), customer, channel);
        Queue(db, chat, await Templates.LoadAsync(db, purpose, language, chat.Channel, ct), messagePurpose, values);
        return chat;
    }

    public async Task ToStaffAsync(
        StaffMember member, MessageChannel channel, TemplatePurpose purpose, MessagePurpose messagePurpose, Language language, Values values, CancellationToken ct)
    {
        var chat = await db.Conversations.FirstOrDefaultAsync(c => c.StaffId == member.Id && c.Channel == channel, ct) ?? StaffChat(member, channel);
        Queue(db, chat, await Templates.LoadAsync(db, purpose, language, chat.Channel, ct), messagePurpose, values);
    }

    /// <summary>A new chat with the team member on <paramref name="channel"/>, added to the unit of work.</summary>
    private Conversation StaffChat(StaffMember member, MessageChannel channel)
    {
        var chat = new Conversation { StaffId = member.Id, Channel = channel, Address = member.PhoneNumber };
        db.Conversations.Add(chat);
        return chat;
    }

    /// <summary>Free text inside WhatsApp's window; outside it the approved template when the business named one (else the dispatcher's rules).</summary>
    public static void Queue(KaribuDb db, Conversation chat, Template template, MessagePurpose messagePurpose, Values values) =>
        db.Messages.Add(Render(chat, template, messagePurpose, values));

    /// <summary>The message <see cref="Queue"/> adds, not yet added.</summary>
    public static Message Render(Conversation chat, Template template, MessagePurpose messagePurpose, Values values)
    {
        var (text, whatsapp) = template.Render(values.All);
        return Outbox.Create(chat, text, messagePurpose, whatsapp is null ? null : new OutboundContent { Template = whatsapp }, SenderType.System);
    }

    /// <summary>A template's values.</summary>
    internal sealed record Values(IReadOnlyDictionary<string, string?> All)
    {
        public Values With(string key, string? value) => new(new Dictionary<string, string?>(All) { [key] = value });
    }
}
