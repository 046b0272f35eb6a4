using Karibu.Features.Assistant.Understanding;

namespace Karibu.Features.Notifications;

/// <summary>
/// The wording every business starts with, per purpose and language, and the placeholders each purpose may
/// use. A business overrides any of it through <c>PUT …/templates</c>; a placeholder a purpose does not
/// know is refused when saved, so a typo never reaches a customer as "{custmer_name}".
/// </summary>
internal static class TemplateDefaults
{
    public const int MaxBody = 1024;

    private static readonly string[] Booking = ["customer_name", "business_name", "service", "day", "time", "staff", "price", "address"];
    private static readonly string[] ForStaff = ["staff_name", "customer_name", "customer_phone", "service", "day", "time", "business_name"];

    public static readonly IReadOnlyDictionary<TemplatePurpose, string[]> Placeholders = new Dictionary<TemplatePurpose, string[]>
    {
        [TemplatePurpose.BookingConfirmed] = Booking,
        [TemplatePurpose.BookingChanged] = Booking,
        [TemplatePurpose.BookingCancelled] = Booking,
        [TemplatePurpose.StaffNewBooking] = ForStaff,
        [TemplatePurpose.StaffBookingChanged] = ForStaff,
        [TemplatePurpose.StaffBookingCancelled] = ForStaff,
        [TemplatePurpose.Reminder] = Booking,
        [TemplatePurpose.DailyAgenda] = ["staff_name", "business_name", "day", "count", "agenda"],
        [TemplatePurpose.ReviewRequest] = ["customer_name", "business_name", "service", "review_link"],
        [TemplatePurpose.WinBack] = ["customer_name", "business_name", "last_service", "days_since"],
        [TemplatePurpose.SignInCode] = ["code", "business_name", "staff_name"],
        [TemplatePurpose.BookingToConfirm] = Booking,
        [TemplatePurpose.BookingCode] = ["code", "customer_name", "business_name", "service", "day", "time"],
    };

    public static string Body(TemplatePurpose purpose, Language language) => (purpose, language) switch
    {
        (TemplatePurpose.BookingConfirmed, Language.Es) => "¡Listo, {customer_name}! Tu cita de {service} quedó confirmada para el {day} a las {time} con {staff} en {business_name}. Si necesitas cambiarla, responde a este mensaje.",
        (TemplatePurpose.BookingConfirmed, Language.Sw) => "Sawa, {customer_name}! Miadi yako ya {service} imethibitishwa {day} saa {time} na {staff} katika {business_name}. Ukihitaji kuibadilisha, jibu ujumbe huu.",
        (TemplatePurpose.BookingConfirmed, _) => "All set, {customer_name}! Your {service} is confirmed for {day} at {time} with {staff} at {business_name}. To change it, just reply to this message.",

        (TemplatePurpose.BookingChanged, Language.Es) => "{customer_name}, tu cita de {service} en {business_name} cambió: ahora es el {day} a las {time} con {staff}.",
        (TemplatePurpose.BookingChanged, Language.Sw) => "{customer_name}, miadi yako ya {service} katika {business_name} imebadilishwa: sasa ni {day} saa {time} na {staff}.",
        (TemplatePurpose.BookingChanged, _) => "{customer_name}, your {service} at {business_name} has moved: it is now on {day} at {time} with {staff}.",

        (TemplatePurpose.BookingCancelled, Language.Es) => "{customer_name}, tu cita de {service} del {day} a las {time} en {business_name} quedó cancelada. Cuando quieras, escríbenos para agendar otra.",
        (TemplatePurpose.BookingCancelled, Language.Sw) => "{customer_name}, miadi yako ya {service} {day} saa {time} katika {business_name} imeghairiwa. Ukipenda, tuandikie kupanga nyingine.",
        (TemplatePurpose.BookingCancelled, _) => "{customer_name}, your {service} on {day} at {time} at {business_name} is cancelled. Write to us any time to book another.",

        (TemplatePurpose.StaffNewBooking, Language.Es) => "📅 Nueva cita: {customer_name} ({customer_phone}), {service}, {day} a las {time}.",
        (TemplatePurpose.StaffNewBooking, Language.Sw) => "📅 Miadi mpya: {customer_name} ({customer_phone}), {service}, {day} saa {time}.",
        (TemplatePurpose.StaffNewBooking, _) => "📅 New booking: {customer_name} ({customer_phone}), {service}, {day} at {time}.",

        (TemplatePurpose.StaffBookingChanged, Language.Es) => "🔁 Cita movida: {customer_name}, {service}, ahora el {day} a las {time}.",
        (TemplatePurpose.StaffBookingChanged, Language.Sw) => "🔁 Miadi imehamishwa: {customer_name}, {service}, sasa {day} saa {time}.",
        (TemplatePurpose.StaffBookingChanged, _) => "🔁 Booking moved: {customer_name}, {service}, now {day} at {time}.",

        (TemplatePurpose.StaffBookingCancelled, Language.Es) => "❌ Cita cancelada: {customer_name}, {service}, {day} a las {time}.",
        (TemplatePurpose.StaffBookingCancelled, Language.Sw) => "❌ Miadi imeghairiwa: {customer_name}, {service}, {day} saa {time}.",
        (TemplatePurpose.StaffBookingCancelled, _) => "❌ Booking cancelled: {customer_name}, {service}, {day} at {time}.",

        (TemplatePurpose.BookingToConfirm, Language.Es) => "Hola {customer_name} 👋 Recibimos tu reserva de {service} el {day} a las {time} con {staff} en {business_name}. Responde SÍ para confirmarla o CANCELAR si no la hiciste tú.",
        (TemplatePurpose.BookingToConfirm, Language.Sw) => "Habari {customer_name} 👋 Tumepokea miadi yako ya {service} {day} saa {time} na {staff} katika {business_name}. Jibu NDIYO kuithibitisha au GHAIRI kama si wewe uliyeipanga.",
        (TemplatePurpose.BookingToConfirm, _) => "Hi {customer_name} 👋 We got your booking for {service} on {day} at {time} with {staff} at {business_name}. Reply YES to confirm it, or CANCEL if it wasn't you.",
        (TemplatePurpose.Reminder, Language.Es) => "Hola {customer_name} 👋 Te recordamos tu cita de {service} el {day} a las {time} con {staff} en {business_name}. Responde SÍ para confirmar o CANCELAR si no puedes venir.",
        (TemplatePurpose.Reminder, Language.Sw) => "Habari {customer_name} 👋 Tunakukumbusha miadi yako ya {service} {day} saa {time} na {staff} katika {business_name}. Jibu NDIYO kuthibitisha au GHAIRI kama hutaweza kuja.",
        (TemplatePurpose.Reminder, _) => "Hi {customer_name} 👋 A reminder of your {service} on {day} at {time} with {staff} at {business_name}. Reply YES to confirm or CANCEL if you can't make it.",

        (TemplatePurpose.DailyAgenda, Language.Es) => "Buenos días, {staff_name} ☀️ Tu agenda de hoy, {day} ({count}):\n{agenda}",
        (TemplatePurpose.DailyAgenda, Language.Sw) => "Habari za asubuhi, {staff_name} ☀️ Ratiba yako ya leo, {day} ({count}):\n{agenda}",
        (TemplatePurpose.DailyAgenda, _) => "Good morning, {staff_name} ☀️ Your schedule for today, {day} ({count}):\n{agenda}",

        (TemplatePurpose.ReviewRequest, Language.Es) => "¡Gracias por venir, {customer_name}! ¿Nos ayudas con una reseña de tu {service} en {business_name}? {review_link}",
        (TemplatePurpose.ReviewRequest, Language.Sw) => "Asante kwa kuja, {customer_name}! Tusaidie kwa maoni kuhusu {service} katika {business_name}: {review_link}",
        (TemplatePurpose.ReviewRequest, _) => "Thanks for coming in, {customer_name}! Would you leave a quick review of your {service} at {business_name}? {review_link}",

        (TemplatePurpose.WinBack, Language.Es) => "¡Hola {customer_name}! Hace {days_since} días de tu último {last_service} en {business_name}. ¿Te apartamos un lugar esta semana? Responde y te paso horarios.",
        (TemplatePurpose.WinBack, Language.Sw) => "Habari {customer_name}! Ni siku {days_since} tangu {last_service} yako ya mwisho katika {business_name}. Tukuwekee nafasi wiki hii? Jibu nikutumie nafasi zilizopo.",
        (TemplatePurpose.WinBack, _) => "Hi {customer_name}! It's been {days_since} days since your last {last_service} at {business_name}. Shall we save you a spot this week? Reply and I'll send you times.",

        (TemplatePurpose.BookingCode, Language.Es) => "{code} es tu código para confirmar tu cita de {service} el {day} a las {time} en {business_name}. Vence en 15 minutos; no lo compartas con nadie.",
        (TemplatePurpose.BookingCode, Language.Sw) => "{code} ni nambari yako ya kuthibitisha miadi yako ya {service} {day} saa {time} katika {business_name}. Itaisha baada ya dakika 15; usimpe mtu yeyote.",
        (TemplatePurpose.BookingCode, _) => "{code} is your code to confirm your {service} on {day} at {time} at {business_name}. It expires in 15 minutes; do not share it with anyone.",

        (TemplatePurpose.SignInCode, Language.Es) => "{code} es tu código para entrar a Karibu de {business_name}. Vence en 10 minutos; no lo compartas con nadie.",
        (TemplatePurpose.SignInCode, Language.Sw) => "{code} ni nambari yako ya kuingia Karibu ya {business_name}. Itaisha baada ya dakika 10; usimpe mtu yeyote.",
        _ => "{code} is your code to sign in to Karibu for {business_name}. It expires in 10 minutes; do not share it with anyone.",
    };

    /// <summary>The placeholders in <paramref name="body"/> that <paramref name="purpose"/> does not know.</summary>
    public static List<string> Unknown(TemplatePurpose purpose, string body) =>
        [.. MessageTemplate.Placeholder().Matches(body).Select(m => m.Groups[1].Value).Distinct().Where(p => !Placeholders[purpose].Contains(p))];

    /// <summary>
    /// Fills every <c>{placeholder}</c>; one without a value becomes empty rather than showing braces, and a
    /// value ending in a full stop ("4:00 p.m.") swallows the sentence's own one after it.
    /// </summary>
    public static string Fill(string body, IReadOnlyDictionary<string, string?> values) =>
        MessageTemplate.PlaceholderAndStop().Replace(body, m =>
        {
            var value = values.TryGetValue(m.Groups[1].Value, out var v) ? v ?? "" : "";
            return m.Groups[2].Success && !value.EndsWith('.') ? value + "." : value;
        });
}
