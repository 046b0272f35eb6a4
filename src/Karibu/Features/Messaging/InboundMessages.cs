using System.Globalization;
using System.Text.Json.Nodes;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using static Karibu.Features.Channels.WhatsApp.WhatsAppWebhookPayload;

namespace Karibu.Features.Messaging;

/// <summary>Who wrote, as the channel names them: a phone (E.164) when known, and the channel's own id.</summary>
internal sealed record Sender(string? PhoneNumber, string Address, string? ProfileName, string? WhatsappId = null, string? WhatsappUserId = null);

/// <summary>
/// Applies one stored inbound event to the business's data, inside the processor's transaction:
/// first contact creates the Person and Customer (or finds the staff member), messages are appended
/// to the conversation, the 24-hour window moves, statuses move outbound messages forward, echoes
/// of the business replying from its own phone hand the chat to a human, and STOP/START are honoured.
/// </summary>
internal sealed class InboundMessages(
    KaribuDb db, TenantContext tenant, TenantData tenantData, OptOutKeywords keywords, Assistant.AssistantReplies assistant, Assistant.AssistantEngines engines,
    TimeProvider time, ILogger<InboundMessages> log)
{
    private Organization? _organization;

    /// <summary>
    /// Applies <paramref name="e"/> for <paramref name="organization"/> (already loaded by the processor).
    /// What is left unsaved the processor saves together with the event's "processed" mark.
    /// </summary>
    public async Task HandleAsync(InboxEvent e, Organization organization, CancellationToken ct)
    {
        _organization = organization;
        var payload = JsonNode.Parse(e.Payload) as JsonObject ?? throw new InvalidOperationException("Inbox payload is not an object.");
        switch (e.Source, e.Kind)
        {
            case (Channels.WhatsApp.WhatsAppWebhookPayload.Source, InboxKind.Message):
                await WhatsAppMessageAsync(e, payload, ct);
                break;
            case (Channels.WhatsApp.WhatsAppWebhookPayload.Source, InboxKind.Status):
                await WhatsAppStatusAsync(payload["status"] as JsonObject ?? [], ct);
                break;
            case (Channels.WhatsApp.WhatsAppWebhookPayload.Source, InboxKind.Echo):
                await WhatsAppEchoAsync(e, payload["echo"] as JsonObject ?? [], ct);
                break;
            case (Channels.WhatsApp.WhatsAppWebhookPayload.Source, InboxKind.Account):
                await AccountUpdateAsync(payload, ct);
                break;
            case (_, InboxKind.Message):
                await TextMessageAsync(e, payload, ct);
                break;
            case (_, InboxKind.Status):
                await DeliveryReportAsync(e, payload, ct);
                break;
            case (_, InboxKind.OptOut):
                await ProviderOptOutAsync(e, payload, ct);
                break;
            default:
                log.LogInformation("{Source} {Kind} event {EventKey} recorded: {Payload}", e.Source, e.Kind, e.EventKey, Truncate(e.Payload, 500));
                break;
        }
    }

    /// <summary>
    /// SMS and simulator messages: { from, text, id?, name? }. The simulator may instead carry a tap on a
    /// list row or button, shaped as WhatsApp's: { interactive: { type, list_reply | button_reply: { id, title } } }.
    /// </summary>
    private async Task TextMessageAsync(InboxEvent e, JsonObject payload, CancellationToken ct)
    {
        var channel = e.Source == ChannelDirectory.SimulatorSource ? MessageChannel.Simulator : MessageChannel.Sms;
        var from = Text(payload["from"]) ?? throw new InvalidOperationException("Inbound text without a sender.");
        var phone = PhoneNumbers.TryNormalize(from, tenant.CountryCode, out var e164, out _) ? e164 : null;
        var sender = new Sender(phone, phone ?? from, Text(payload["name"]));
        var (type, body) = channel == MessageChannel.Simulator && payload["interactive"] is JsonObject
            ? ("interactive", Summary("interactive", payload) ?? "")
            : ("text", Text(payload["text"]) ?? "");
        await ReceiveAsync(channel, sender, type, body, e.EventKey, payload.ToJsonString(), e.OccurredAt, opensWindow: true, ct);
    }

    private async Task WhatsAppMessageAsync(InboxEvent e, JsonObject payload, CancellationToken ct)
    {
        var message = payload["message"] as JsonObject ?? [];
        var contact = payload["contact"] as JsonObject;
        var waId = Text(message["from"]) ?? Text(contact?["wa_id"]);
        var userId = Text(message["from_user_id"]) ?? Text(contact?["user_id"]);
        var phone = PhoneFromWhatsAppId(waId);
        var address = phone ?? userId ?? waId ?? throw new InvalidOperationException("WhatsApp message without a sender.");
        var sender = new Sender(phone, address, Text(contact?["profile"]?["name"]), waId, userId);
        var type = Text(message["type"]) ?? "unknown";
        var (conversation, _) = await ReceiveAsync(
            MessageChannel.Whatsapp, sender, Truncate(type, 32), Summary(type, message), Text(message["id"]) ?? e.EventKey,
            message.ToJsonString(), e.OccurredAt, opensWindow: type is not "system", ct);

        if (type == "system" && Text(message["system"]?["wa_id"]) is { } newWaId && conversation.CustomerId is { } customerId
            && await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct) is { } customer)
        {
            // The person moved to a new number; later messages arrive from it and the old one stops answering.
            log.LogInformation("Customer {CustomerId} changed WhatsApp number", customerId);
            customer.WhatsappId = newWaId;
        }
    }

    /// <summary>The E.164 number behind a WhatsApp id (Mexico's 521… becomes +52…); null for ids that are not numbers.</summary>
    private string? PhoneFromWhatsAppId(string? waId) =>
        waId is not null && PhoneNumbers.TryNormalize("+" + InboxWriter.CanonicalUser(waId), tenant.CountryCode, out var e164, out _) ? e164 : null;

    /// <summary>What a message says, in one line, whatever its type (the full message stays in the payload).</summary>
    public static string? Summary(string type, JsonObject m) => type switch
    {
        "text" => Text(m["text"]?["body"]),
        "interactive" => Text(m["interactive"]?["button_reply"]?["title"]) ?? Text(m["interactive"]?["list_reply"]?["title"])
            ?? Text(m["interactive"]?["nfm_reply"]?["body"]),
        "button" => Text(m["button"]?["text"]) ?? Text(m["button"]?["payload"]),
        "image" or "video" or "document" or "sticker" => Text(m[type]?["caption"]) ?? Text(m[type]?["filename"]),
        "location" => Text(m["location"]?["name"]) ?? Text(m["location"]?["address"])
            ?? string.Create(CultureInfo.InvariantCulture, $"{m["location"]?["latitude"]}, {m["location"]?["longitude"]}"),
        "contacts" => string.Join(", ", (m["contacts"] as JsonArray ?? []).Select(c => Text(c?["name"]?["formatted_name"])).OfType<string>()),
        "reaction" => Text(m["reaction"]?["emoji"]),
        "system" => Text(m["system"]?["body"]),
        "edit" => Text(m["edit"]?["message"]?["text"]?["body"]) ?? Text(m["edit"]?["message"]?["caption"]),
        "order" => Text(m["order"]?["text"]),
        "unsupported" => Text(m["unsupported"]?["type"]),
        _ => null,
    };

    public async Task<(Conversation Conversation, Message Message)> ReceiveAsync(
        MessageChannel channel, Sender sender, string contentType, string? body, string providerMessageId, string? payload,
        DateTime occurredAt, bool opensWindow, CancellationToken ct)
    {
        var conversation = await FindOrStartConversationAsync(channel, sender, CustomerSourceOf(channel), ct);
        var message = new Message
        {
            ConversationId = conversation.Id,
            Direction = MessageDirection.Inbound,
            SenderType = conversation.StaffId is null ? SenderType.Customer : SenderType.Staff,
            Channel = channel,
            ContentType = contentType,
            Body = body is null ? null : Truncate(body, 8000),
            ProviderMessageId = Truncate(providerMessageId, 200),
            Payload = payload is null ? null : Truncate(payload, 64000),
            Status = MessageStatus.Received,
        };
        db.Messages.Add(message);

        var now = time.GetUtcNow().UtcDateTime;
        var at = occurredAt > DateTime.UnixEpoch && occurredAt < now ? occurredAt : now;
        if (opensWindow && (conversation.LastInboundAt is null || conversation.LastInboundAt < at))
        {
            conversation.LastInboundAt = at;
        }

        if (conversation.LastMessageAt is null || conversation.LastMessageAt < at)
        {
            conversation.LastMessageAt = at;
        }

        var organization = _organization ?? await db.Organizations.AsNoTracking().FirstAsync(ct);
        var optedInOrOut = contentType == "text" && conversation.CustomerId is { } customerId
            && await HonourOptOutAsync(organization, conversation, customerId, body, ct);
        if (!optedInOrOut && !assistant.AnswerUnreadable(conversation, message, organization)
            && Assistant.AssistantReplies.Readable.Contains(contentType) && assistant.MaySpeak(conversation))
        {
            if (db.ChangeTracker.Entries().Any(e => e.State == EntityState.Added && !ReferenceEquals(e.Entity, message)))
            {
                await SaveAsync(ct);
            }

            await engines.RespondAsync(conversation, message, organization, ct);
        }
        return (conversation, message);
    }

    /// <summary>
    /// Saves a customer, person or chat met for the first time before the assistant runs, since it reads
    /// them back by query (a booking's customer, the signup flow). From a chat it already knows, the
    /// message only adds itself and moves the chat's times, which no query reads back (queries of the
    /// chat return the tracked instance), so that goes with the reply in the processor's one save: a
    /// round trip fewer on most turns. The LLM engine saves before it reads the history.
    /// Inside the event's transaction EF Core would wrap this save in a savepoint (two more round trips)
    /// so that a failed save could be recovered from; here a failure ends the whole event (rolled back
    /// and retried), so there is nothing to recover to. Saves that may fail and carry on (a booking that
    /// lost its slot) keep theirs.
    /// </summary>
    private Task SaveAsync(CancellationToken ct) => db.SaveWithoutSavepointAsync(ct);

    private async Task<bool> HonourOptOutAsync(Organization organization, Conversation conversation, Guid customerId, string? body, CancellationToken ct)
    {
        var language = organization.Locale.Split('-')[0].ToLowerInvariant();
        if (keywords.Match(body, language) is not { } match)
        {
            return false;
        }

        var customer = await db.Customers.FindAsync([customerId], ct) ?? throw new InvalidOperationException("The conversation's customer is gone.");
        var channel = EnumNames.ToName(conversation.Channel);
        var channels = customer.OptedOutChannels.Where(c => c != channel).ToList();
        if (match.Action == OptAction.OptOut)
        {
            channels.Add(channel);
            customer.OptedOutAt = time.GetUtcNow().UtcDateTime;
        }
        else if (channels.Count == 0)
        {
            customer.OptedOutAt = null;
        }

        customer.OptedOutChannels = channels;
        db.AuditEvents.Add(new AuditEvent
        {
            Actor = "customer",
            Action = match.Action == OptAction.OptOut ? "customer.opted_out" : "customer.opted_in",
            EntityType = "customer",
            EntityId = customer.Id,
            Data = $$"""{"channel":"{{channel}}"}""",
        });
        Outbox.Queue(db, conversation, OptOutKeywords.Confirmation(match.Action, match.Language, organization.Name), MessagePurpose.OptOut, sender: SenderType.System);
        return true;
    }

    private async Task<Conversation> FindOrStartConversationAsync(MessageChannel channel, Sender sender, CustomerSource source, CancellationToken ct)
    {
        Guid? staffId = null;
        Known? known = null;
        if (sender.PhoneNumber is { } phone)
        {
            // Staff first: a team member who is also someone's customer still writes as staff.
            known = await KnownByPhone.For(db)(db, phone, channel, ct);
            staffId = known is null
                ? await db.Staff.Where(s => s.PhoneNumber == phone && s.IsActive).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct)
                : known.StaffId;
            known = staffId is null ? known : null;
        }

        if (staffId is null && known is null && sender.WhatsappUserId is { } userId)
        {
            known = await KnownByWhatsAppUser.For(db)(db, userId, channel, ct);
        }

        if (known is not null)
        {
            known.Services.ForEach(service => db.Entry(service).State = EntityState.Detached);
            if (known.PrimaryLocation is not null)
            {
                db.Entry(known.PrimaryLocation).State = EntityState.Detached;
            }

            tenantData.Remember(known.Services, known.PrimaryLocation);
        }

        var customer = known?.Customer;
        if (staffId is null && customer is null && sender.PhoneNumber is not null)
        {
            customer = new Customer { PhoneNumber = sender.PhoneNumber, DisplayName = Clean(sender.ProfileName), Source = source };
            customer.PersonId = await People.GetOrAddAsync(db, sender.PhoneNumber, ct);
            db.Customers.Add(customer);
        }

        if (customer is not null)
        {
            customer.WhatsappId = sender.WhatsappId ?? customer.WhatsappId;
            customer.WhatsappUserId = sender.WhatsappUserId ?? customer.WhatsappUserId;
            customer.DisplayName ??= Clean(sender.ProfileName);
            if (Clean(sender.ProfileName) is { } profile && (known is not null ? known.Person : await db.People.FindAsync([customer.PersonId], ct)) is { } person)
            {
                person.ProfileName = profile;
            }
        }

        var conversations = db.Conversations.Where(c => c.Channel == channel);
        var conversation = staffId is { } staff
            ? await conversations.FirstOrDefaultAsync(c => c.StaffId == staff, ct)
            : known is not null
                ? known.Conversation
                : await conversations.FirstOrDefaultAsync(c => c.CustomerId == null && c.StaffId == null && c.Address == sender.Address, ct);
        if (conversation is null)
        {
            conversation = new Conversation { Channel = channel, CustomerId = customer?.Id, StaffId = staffId, Address = sender.Address };
            db.Conversations.Add(conversation);
        }

        conversation.Address = sender.Address;
        return conversation;
    }

    /// <summary>What the sender's query brings: the customer, their person and chat, and the business's services and primary location besides.</summary>
    private sealed record Known(
        Customer Customer, Person Person, Conversation? Conversation, Guid? StaffId, List<Services.Service> Services, Location? PrimaryLocation);

    /// <summary>
    /// The customer with this phone, with their person, their chat on the channel and the active staff
    /// member with the phone if there is one: one query, all tracked. Plain joins: a FirstOrDefault per
    /// relation would become a window over the whole table. The business's services and primary location
    /// come along (a join to a few rows): the assistant reads the services on every customer turn and the
    /// hours whenever it looks for times, and this saves those round trips (they are detached and handed
    /// to <see cref="TenantData"/>). Compiled (<see cref="CompiledQuery{TQuery}"/>), like the one below:
    /// every turn runs one.
    /// </summary>
    private static readonly CompiledQuery<Func<KaribuDb, string, MessageChannel, CancellationToken, Task<Known?>>> KnownByPhone = new(_ => EF.CompileAsyncQuery(
        (KaribuDb db, string phone, MessageChannel channel, CancellationToken ct) =>
            (from c in db.Customers.Where(c => c.PhoneNumber == phone)
             join p in db.People on c.PersonId equals p.Id
             from v in db.Conversations.Where(v => v.CustomerId == c.Id && v.Channel == channel).DefaultIfEmpty()
             select new Known(
                 c,
                 p,
                 v,
                 db.Staff.Where(s => s.PhoneNumber == phone && s.IsActive).Select(s => (Guid?)s.Id).FirstOrDefault(),
                 db.Services.Where(s => s.OrganizationId == c.OrganizationId).ToList(),
                 db.Locations.FirstOrDefault(l => l.OrganizationId == c.OrganizationId && l.IsPrimary)))
            .FirstOrDefault()));

    /// <summary>The customer with this WhatsApp user id (a username without a number), with their person and chat.</summary>
    private static readonly CompiledQuery<Func<KaribuDb, string, MessageChannel, CancellationToken, Task<Known?>>> KnownByWhatsAppUser = new(_ => EF.CompileAsyncQuery(
        (KaribuDb db, string userId, MessageChannel channel, CancellationToken ct) =>
            (from c in db.Customers.Where(c => c.WhatsappUserId == userId)
             join p in db.People on c.PersonId equals p.Id
             from v in db.Conversations.Where(v => v.CustomerId == c.Id && v.Channel == channel).DefaultIfEmpty()
             select new Known(
                 c,
                 p,
                 v,
                 null,
                 db.Services.Where(s => s.OrganizationId == c.OrganizationId).ToList(),
                 db.Locations.FirstOrDefault(l => l.OrganizationId == c.OrganizationId && l.IsPrimary)))
            .FirstOrDefault()));

    private static CustomerSource CustomerSourceOf(MessageChannel channel) => channel switch
    {
        MessageChannel.Whatsapp => CustomerSource.Whatsapp,
        MessageChannel.Sms => CustomerSource.Sms,
        _ => CustomerSource.Manual,
    };

    /// <summary>
    /// Statuses arrive out of order and more than once: a message only moves forward
    /// (sent → delivered → read), and a failure counts unless the message already reached the phone.
    /// </summary>
    private async Task WhatsAppStatusAsync(JsonObject status, CancellationToken ct)
    {
        var id = Text(status["id"]);
        var message = id is null ? null : await db.Messages.FirstOrDefaultAsync(m => m.Channel == MessageChannel.Whatsapp && m.ProviderMessageId == id, ct);
        if (message is null)
        {
            log.LogInformation("WhatsApp status for unknown message {ProviderMessageId}", id);
            return;
        }

        var at = long.TryParse(Text(status["timestamp"]), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s < 253402300800
            ? DateTime.UnixEpoch.AddSeconds(s)
            : time.GetUtcNow().UtcDateTime;
        var error = (status["errors"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var state = Text(status["status"]) switch
        {
            "sent" => MessageStatus.Sent,
            "delivered" => MessageStatus.Delivered,
            "read" or "played" => MessageStatus.Read,
            "failed" => MessageStatus.Failed,
            _ => (MessageStatus?)null,
        };
        if (state is { } next)
        {
            var details = Text(error?["error_data"]?["details"]);
            var title = Text(error?["title"]) ?? Text(error?["message"]);
            Advance(message, next, at, Text(error?["code"]), title is null ? details : details is null ? title : $"{title}: {details}");
        }
    }

    /// <summary>Moves an outbound message along its lifecycle (shared by WhatsApp statuses and SMS delivery reports).</summary>
    public static void Advance(Message message, MessageStatus next, DateTime at, string? errorCode, string? error)
    {
        static int Rank(MessageStatus s) => s switch
        {
            MessageStatus.Sent => 2,
            MessageStatus.Delivered => 3,
            MessageStatus.Read => 4,
            _ => 0,
        };

        if (next == MessageStatus.Failed)
        {
            if (Rank(message.Status) >= Rank(MessageStatus.Delivered))
            {
                return;
            }

            if (errorCode == "131047" && !message.RequireTemplate && OutboundContent.Read(message.Payload)?.Template is not null)
            {
                // WhatsApp says the 24-hour window had closed: send the approved template instead.
                message.RequireTemplate = true;
                message.Status = MessageStatus.Queued;
                message.ProviderMessageId = null;
                message.NextAttemptAt = null;
                message.Error = null;
                return;
            }

            message.Status = MessageStatus.Failed;
            message.ErrorCode = errorCode is null ? null : Truncate(errorCode, 32);
            message.Error = Truncate(error ?? "The provider reported the message as failed.", 1000);
            return;
        }

        if (Rank(next) <= Rank(message.Status) && message.Status != MessageStatus.Failed)
        {
            return;
        }

        message.Status = next;
        message.SentAt ??= at;
        if (next >= MessageStatus.Delivered)
        {
            message.DeliveredAt ??= at;
        }

        if (next == MessageStatus.Read)
        {
            message.ReadAt ??= at;
        }
    }

    /// <summary>The business answered from the WhatsApp Business app: keep the reply, and the assistant steps back.</summary>
    private async Task WhatsAppEchoAsync(InboxEvent e, JsonObject echo, CancellationToken ct)
    {
        var to = Text(echo["to"]);
        var userId = Text(echo["to_user_id"]);
        var phone = PhoneFromWhatsAppId(to);
        var address = phone ?? userId ?? to ?? throw new InvalidOperationException("Echo without a recipient.");
        var conversation = await FindOrStartConversationAsync(MessageChannel.Whatsapp, new Sender(phone, address, null, to, userId), CustomerSource.Whatsapp, ct);
        var type = Text(echo["type"]) ?? "unknown";
        db.Messages.Add(new Message
        {
            ConversationId = conversation.Id,
            Direction = MessageDirection.Outbound,
            SenderType = SenderType.Staff,
            Channel = MessageChannel.Whatsapp,
            ContentType = Truncate(type, 32),
            Body = Summary(type, echo) is { } body ? Truncate(body, 8000) : null,
            ProviderMessageId = Truncate(Text(echo["id"]) ?? e.EventKey, 200),
            Payload = Truncate(echo.ToJsonString(), 64000),
            Status = MessageStatus.Sent,
            SentAt = e.OccurredAt,
        });
        assistant.TakeOver(conversation);
        conversation.LastMessageAt = e.OccurredAt > (conversation.LastMessageAt ?? DateTime.MinValue) ? e.OccurredAt : conversation.LastMessageAt;
    }

    /// <summary>The business disconnected its number from Karibu in the WhatsApp Business app (or reconnected it).</summary>
    private async Task AccountUpdateAsync(JsonObject change, CancellationToken ct)
    {
        var evt = Text(change["value"]?["event"]);
        if (evt is not ("PARTNER_REMOVED" or "ACCOUNT_OFFBOARDED" or "ACCOUNT_RECONNECTED"))
        {
            log.LogInformation("WhatsApp account update {Event} recorded", evt);
            return;
        }

        var active = evt == "ACCOUNT_RECONNECTED";
        await foreach (var account in db.ChannelAccounts.Where(a => a.Kind == ChannelKind.Whatsapp).AsAsyncEnumerable().WithCancellation(ct))
        {
            account.IsActive = active;
        }

        db.AuditEvents.Add(new AuditEvent { Actor = "whatsapp", Action = active ? "whatsapp.reconnected" : "whatsapp.disconnected", EntityType = "organization", EntityId = tenant.OrganizationId!.Value, Data = $$"""{"event":"{{evt}}"}""" });
    }

    /// <summary>
    /// The provider reports the person opted out of this sender at network level: record it (SMS) without
    /// texting back, since the network would not deliver a confirmation anyway.
    /// </summary>
    private async Task ProviderOptOutAsync(InboxEvent e, JsonObject payload, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(Text(payload["from"]), tenant.CountryCode, out var phone, out _)
            || await db.Customers.FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct) is not { } customer)
        {
            log.LogInformation("{Source} opt-out for a number that is not a customer", e.Source);
            return;
        }

        var channel = EnumNames.ToName(MessageChannel.Sms);
        if (!customer.OptedOutChannels.Contains(channel))
        {
            customer.OptedOutChannels = [.. customer.OptedOutChannels, channel];
        }

        customer.OptedOutAt = time.GetUtcNow().UtcDateTime;
        db.AuditEvents.Add(new AuditEvent
        {
            Actor = e.Source, Action = "customer.opted_out", EntityType = "customer", EntityId = customer.Id, Data = $$"""{"channel":"{{channel}}"}""",
        });
    }

    /// <summary>SMS delivery reports: { id, state (sent|delivered|failed), reason? }.</summary>
    private async Task DeliveryReportAsync(InboxEvent e, JsonObject report, CancellationToken ct)
    {
        var id = Text(report["id"]);
        var message = id is null ? null : await db.Messages.FirstOrDefaultAsync(m => m.Channel == MessageChannel.Sms && m.ProviderMessageId == id, ct);
        if (message is null)
        {
            log.LogInformation("{Source} delivery report for unknown message {ProviderMessageId}", e.Source, id);
            return;
        }

        var state = Text(report["state"]) switch
        {
            "delivered" => MessageStatus.Delivered,
            "failed" => MessageStatus.Failed,
            _ => MessageStatus.Sent,
        };
        Advance(message, state, e.OccurredAt, Text(report["code"]), Text(report["reason"]));
    }

    private static string? Clean(string? name) => string.IsNullOrWhiteSpace(name) ? null : Truncate(name.Trim(), 200);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
