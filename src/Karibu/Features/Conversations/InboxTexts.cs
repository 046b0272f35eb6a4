using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.BookingPage;
using NodaTime;

namespace Karibu.Features.Conversations;

/// <summary>Who answers a conversation now, as the inbox shows it.</summary>
internal enum ChatOwner
{
    /// <summary>The assistant answers.</summary>
    Assistant,

    /// <summary>The assistant handed the chat over and nobody has taken it yet.</summary>
    NeedsPerson,

    /// <summary>A person took it over; the assistant is quiet until it is handed back or the takeover times out.</summary>
    Person,

    Closed,
}

/// <summary>The owner app inbox's words and small formatting rules (shared by the list and the thread).</summary>
internal static class InboxTexts
{
    public const string Permission = "message_customers";

    /// <summary>
    /// From the conversation's takeover fields: a hand-off by the assistant leaves <c>human</c> without an end time;
    /// a person taking over sets one (<see cref="Assistant.AssistantReplies.TakeOver"/>); once it has passed, the
    /// next message goes to the assistant again.
    /// </summary>
    public static ChatOwner OwnerOf(ConversationStatus status, DateTime? botPausedUntil, DateTime now) => status switch
    {
        ConversationStatus.Resolved => ChatOwner.Closed,
        ConversationStatus.Human when botPausedUntil is null => ChatOwner.NeedsPerson,
        ConversationStatus.Human when botPausedUntil > now => ChatOwner.Person,
        _ => ChatOwner.Assistant,
    };

    /// <summary>One line of at most <paramref name="max"/> characters.</summary>
    public static string Preview(string? body, int max = 70)
    {
        var line = string.Join(' ', (body ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)].TrimEnd() + "…";
    }

    /// <summary>"4:05 p.m." today, "Ayer", a weekday this week, else "12 nov".</summary>
    public static string When(Language l, DateTime utc, DateTimeZone zone, LocalDate today)
    {
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone);
        var days = Period.Between(local.Date, today, PeriodUnits.Days).Days;
        return days switch
        {
            <= 0 => GuidedTexts.Time(l, local.TimeOfDay),
            1 => T(l, "Ayer", "Yesterday", "Jana"),
            < 7 => PageTexts.Weekday(l, local.Date.DayOfWeek),
            _ => ShortDate(l, local.Date),
        };
    }

    /// <summary>"Hoy, 4:05 p.m.", "Lun 23, 9:10 a.m.": when a message was written, in the business's zone.</summary>
    public static string Stamp(Language l, DateTime utc, DateTimeZone zone, LocalDate today)
    {
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone);
        var day = local.Date == today ? "" : PageTexts.ShortDay(l, local.Date) + ", ";
        return day + GuidedTexts.Time(l, local.TimeOfDay);
    }

    public static string ShortDate(Language l, LocalDate date)
    {
        string[] es = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
        string[] en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        return l switch
        {
            Language.Es => $"{date.Day} {es[date.Month - 1]}",
            Language.Sw => $"{date.Day}/{date.Month}",
            _ => $"{en[date.Month - 1]} {date.Day}",
        };
    }

    /// <summary>"+525598765432" → "55 9876 5432" and "+254712345678" → "0712 345 678" for the business's own country; others as stored.</summary>
    public static string Phone(string e164, string countryCode)
    {
        var prefix = countryCode switch { "MX" => "+52", "KE" => "+254", _ => null };
        if (prefix is null || !e164.StartsWith(prefix, StringComparison.Ordinal))
        {
            return e164;
        }

        var national = e164[prefix.Length..];
        return prefix == "+52" && national.Length == 10 ? $"{national[..2]} {national[2..6]} {national[6..]}"
            : prefix == "+254" && national.Length == 9 ? $"0{national[..3]} {national[3..6]} {national[6..]}"
            : e164;
    }

    public static string OwnerLabel(Language l, ChatOwner owner) => owner switch
    {
        ChatOwner.NeedsPerson => T(l, "Necesita a una persona", "Needs a person", "Inahitaji mtu"),
        ChatOwner.Person => T(l, "Atiende una persona", "A person is answering", "Mtu anajibu"),
        ChatOwner.Closed => T(l, "Cerrada", "Closed", "Imefungwa"),
        _ => T(l, "Responde el asistente", "The assistant answers", "Msaidizi anajibu"),
    };

    public static string ChannelName(Language l, MessageChannel channel) => channel switch
    {
        MessageChannel.Whatsapp => "WhatsApp",
        MessageChannel.Sms => "SMS",
        _ => T(l, "Simulador", "Simulator", "Kiigaji"),
    };

    /// <summary>An outbound message's state in a few words (ticks on WhatsApp mean the same).</summary>
    public static string Status(Language l, MessageStatus status) => status switch
    {
        MessageStatus.Queued or MessageStatus.Sending => T(l, "Enviando…", "Sending…", "Inatuma…"),
        MessageStatus.Sent => T(l, "✓ Enviado", "✓ Sent", "✓ Imetumwa"),
        MessageStatus.Delivered => T(l, "✓✓ Entregado", "✓✓ Delivered", "✓✓ Imefika"),
        MessageStatus.Read => T(l, "✓✓ Leído", "✓✓ Read", "✓✓ Imesomwa"),
        MessageStatus.Failed => T(l, "No se envió", "Not sent", "Haikutumwa"),
        _ => "",
    };

    /// <summary>Why a message failed, for a person at the business (the provider's wording stays in the API).</summary>
    public static string Failure(Language l, string? code) => code switch
    {
        "window_closed" or "131047" => T(l,
            "Pasaron más de 24 horas desde el último mensaje del cliente y WhatsApp no lo dejó pasar.",
            "More than 24 hours had passed since the customer last wrote, so WhatsApp did not let it through.",
            "Zaidi ya saa 24 zilipita tangu mteja aandike mara ya mwisho, kwa hiyo WhatsApp haikuruhusu."),
        "opted_out" => T(l, "El cliente pidió no recibir estos mensajes.", "The customer asked not to get these messages.", "Mteja aliomba asipate ujumbe huu."),
        "not_connected" => T(l, "El negocio no tiene WhatsApp o SMS conectado.", "The business has no WhatsApp or SMS connected.", "Biashara haina WhatsApp au SMS iliyounganishwa."),
        _ => T(l, "Hubo un problema al enviarlo.", "Something went wrong sending it.", "Kulikuwa na tatizo kuutuma."),
    };

    private static string T(Language l, string es, string en, string sw) => l.Pick(es, en, sw);
}
