using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using NodaTime;

namespace Karibu.Features.BookingPage;

/// <summary>
/// The booking page's words in Spanish (Mexico), English and Swahili. Dates, times and money come from
/// <see cref="GuidedTexts"/>, so the page says them exactly as the assistant and the confirmations do.
/// </summary>
internal static class PageTexts
{
    public static Language? Parse(string? code) => code?.ToLowerInvariant() switch
    {
        "es" => Language.Es,
        "en" => Language.En,
        "sw" => Language.Sw,
        _ => null,
    };

    public static string Code(Language l) => l switch { Language.Es => "es", Language.Sw => "sw", _ => "en" };

    public static string HtmlLang(Language l, string locale) =>
        GuidedTexts.FromLocale(locale) == l && l != Language.En ? locale : Code(l);

    private static string T(Language l, string es, string en, string sw) => l.Pick(es, en, sw);

    public static string Day(Language l, LocalDate date, LocalDate today) => Capital(GuidedTexts.Day(l, date, today));

    /// <summary>"Mié 25" / "Wed 25" / "Jtn 25": a day chip.</summary>
    public static string ShortDay(Language l, LocalDate date) =>
        $"{GuidedTexts.WeekdayName(l, date.DayOfWeek)[..3]} {date.Day}";

    public static string Time(Language l, LocalTime time) => GuidedTexts.Time(l, time);

    public static string Money(long cents, string currency) => GuidedTexts.Money(cents, currency);

    public static string Minutes(Language l, int minutes) => T(l, $"{minutes} min", $"{minutes} min", $"dakika {minutes}");

    public static string Weekday(Language l, IsoDayOfWeek day) => Capital(GuidedTexts.WeekdayName(l, day));

    public static string Closed(Language l) => Capital(GuidedTexts.Closed(l));

    public static string Description(Language l, string business, IEnumerable<string> services) => T(l,
        $"Reserva tu cita en {business} en línea: {string.Join(", ", services)}.",
        $"Book your appointment at {business} online: {string.Join(", ", services)}.",
        $"Panga miadi yako {business} mtandaoni: {string.Join(", ", services)}.");

    public static string BookTitle(Language l, string business) => T(l, $"Reserva en {business}", $"Book at {business}", $"Panga miadi {business}");
    public static string Services(Language l) => T(l, "Servicios", "Services", "Huduma");
    public static string Book(Language l) => T(l, "Reservar", "Book", "Panga");
    public static string Hours(Language l) => T(l, "Horario", "Opening hours", "Saa za kazi");
    public static string Today(Language l) => T(l, "Hoy", "Today", "Leo");
    public static string ClosedToday(Language l) => T(l, "Hoy cerramos", "Closed today", "Leo tumefunga");
    public static string Map(Language l) => T(l, "Ver en el mapa", "Open in Maps", "Ona kwenye ramani");
    public static string WhatsApp(Language l) => T(l, "Escribir por WhatsApp", "Chat on WhatsApp", "Ongea kwa WhatsApp");
    public static string ChooseService(Language l) => T(l, "Elige un servicio", "Choose a service", "Chagua huduma");
    public static string ChooseDay(Language l) => T(l, "Elige el día", "Choose a day", "Chagua siku");
    public static string ChooseTime(Language l) => T(l, "Elige la hora", "Choose a time", "Chagua saa");
    public static string NoTimes(Language l) => T(l, "Sin horarios", "Full", "Imejaa");
    public static string NoTimesThatDay(Language l) => T(l, "Ya no quedan horarios este día. Elige otro.", "No times left that day. Choose another.", "Hakuna nafasi siku hiyo. Chagua nyingine.");
    public static string NothingSoon(Language l) => T(l,
        "No hay horarios libres en los próximos 14 días. Escríbenos y te ayudamos.",
        "There are no free times in the next 14 days. Message us and we'll help.",
        "Hakuna nafasi siku 14 zijazo. Tuandikie tukusaidie.");
    public static string Change(Language l) => T(l, "Cambiar", "Change", "Badilisha");
    public static string YourDetails(Language l) => T(l, "Tus datos", "Your details", "Maelezo yako");
    public static string Name(Language l) => T(l, "Nombre", "Name", "Jina");
    public static string Phone(Language l) => T(l, "Teléfono (WhatsApp)", "Phone (WhatsApp)", "Simu (WhatsApp)");
    public static string PhoneHint(Language l, string country) => (l, country) switch
    {
        (_, "KE") => T(l, "Por ejemplo 0712 345 678", "For example 0712 345 678", "Kwa mfano 0712 345 678"),
        _ => T(l, "Por ejemplo 55 1234 5678", "For example 55 1234 5678", "Kwa mfano 55 1234 5678"),
    };
    public static string Confirm(Language l) => T(l, "Confirmar cita", "Confirm booking", "Thibitisha miadi");
    public static string NameRequired(Language l) => T(l, "Escribe tu nombre.", "Please enter your name.", "Andika jina lako.");
    public static string NameTooLong(Language l) => T(l, "El nombre es demasiado largo.", "That name is too long.", "Jina ni refu mno.");
    public static string PhoneInvalid(Language l, string country) => T(l,
        $"Revisa tu número. {PhoneHint(l, country)}.",
        $"Please check your number. {PhoneHint(l, country)}.",
        $"Tafadhali angalia namba yako. {PhoneHint(l, country)}.");
    public static string TimeRequired(Language l) => T(l, "Elige una hora.", "Please choose a time.", "Tafadhali chagua saa.");
    public static string JustTaken(Language l) => T(l,
        "¡Uy! Ese horario se acaba de ocupar. Estos son los más cercanos que siguen libres:",
        "Oh no, that time was just taken. These are the nearest ones still free:",
        "Samahani! Nafasi hiyo imechukuliwa sasa hivi. Hizi ndizo zilizo karibu bado ziko wazi:");
    public static string TooManyForPhone(Language l) => T(l,
        "Este número ya hizo varias reservas hoy. Si necesitas otra, escríbenos por WhatsApp.",
        "This number has already made several bookings today. If you need another, message us.",
        "Namba hii tayari imepanga miadi kadhaa leo. Ukihitaji nyingine, tuandikie.");
    public static string TooManyFromHere(Language l) => T(l,
        "Se hicieron muchas reservas desde esta conexión. Intenta más tarde o escríbenos.",
        "Many bookings were made from this connection. Please try again later or message us.",
        "Miadi mingi imepangwa kutoka muunganisho huu. Jaribu tena baadaye au tuandikie.");
    public static string Confirmed(Language l) => T(l, "¡Tu cita está confirmada!", "Your appointment is confirmed!", "Miadi yako imethibitishwa!");
    public static string Requested(Language l) => T(l,
        "¡Recibimos tu solicitud! El negocio la confirmará pronto.",
        "We got your request! The business will confirm it soon.",
        "Tumepokea ombi lako! Biashara italithibitisha hivi karibuni.");
    public static string ReplyToConfirm(Language l) => T(l,
        "¡Casi listo! Te enviamos un mensaje: responde SÍ para confirmar tu cita.",
        "Almost done! We sent you a message: reply YES to confirm your appointment.",
        "Karibu kukamilika! Tumekutumia ujumbe: jibu NDIYO kuthibitisha miadi yako.");
    public static string MessageComing(Language l) => T(l,
        "Te enviaremos la confirmación y un recordatorio a tu teléfono.",
        "We'll send the confirmation and a reminder to your phone.",
        "Tutakutumia uthibitisho na ukumbusho kwenye simu yako.");
    public static string With(Language l, string staff) => T(l, $"con {staff}", $"with {staff}", $"na {staff}");
    public static string BookAnother(Language l) => T(l, "Hacer otra reserva", "Make another booking", "Panga miadi nyingine");
    public static string NotFoundTitle(Language l) => T(l, "No encontramos este negocio", "We couldn't find this business", "Hatukupata biashara hii");
    public static string NotFoundText(Language l) => T(l,
        "Revisa el enlace que te compartieron o pídele al negocio uno nuevo.",
        "Check the link you were given, or ask the business for a new one.",
        "Angalia kiungo ulichopewa, au omba biashara kiungo kipya.");
    public static string CodeTitle(Language l) => T(l, "Confirma con el código", "Confirm with the code", "Thibitisha kwa nambari");
    public static string CodeSent(Language l, string phoneEnd, int minutes) => T(l,
        $"Te enviamos un código de 6 dígitos al número que termina en {phoneEnd}. Escríbelo aquí para confirmar tu cita; apartamos el horario {minutes} minutos.",
        $"We sent a 6-digit code to the number ending in {phoneEnd}. Enter it here to confirm your booking; we're holding the time for {minutes} minutes.",
        $"Tumetuma nambari ya tarakimu 6 kwa simu inayoishia {phoneEnd}. Iandike hapa kuthibitisha miadi yako; tunakushikia nafasi kwa dakika {minutes}.");
    public static string CodeLabel(Language l) => T(l, "Código", "Code", "Nambari ya uthibitisho");
    public static string CodeMissing(Language l) => T(l, "Escribe los 6 dígitos del código.", "Enter the 6 digits of the code.", "Andika tarakimu 6 za nambari.");
    public static string CodeWrong(Language l, int left) => left == 1
        ? T(l, "Ese código no es correcto. Te queda 1 intento.", "That code isn't right. 1 try left.", "Nambari hiyo si sahihi. Umebakiwa na jaribio 1.")
        : T(l, $"Ese código no es correcto. Te quedan {left} intentos.", $"That code isn't right. {left} tries left.", $"Nambari hiyo si sahihi. Umebakiwa na majaribio {left}.");
    public static string CodeTooManyTries(Language l) => T(l,
        "Hubo demasiados intentos con un código equivocado, así que liberamos el horario. Puedes reservar de nuevo.",
        "There were too many tries with a wrong code, so the time was released. You can book again.",
        "Kulikuwa na majaribio mengi mno kwa nambari isiyo sahihi, kwa hiyo nafasi imeachiliwa. Unaweza kupanga tena.");
    public static string CodeExpired(Language l) => T(l,
        "El tiempo para confirmar se terminó y liberamos el horario. Puedes reservar de nuevo.",
        "The time to confirm ran out and the slot was released. You can book again.",
        "Muda wa kuthibitisha umeisha na nafasi imeachiliwa. Unaweza kupanga tena.");
    public static string CodeReleased(Language l) => T(l,
        "Esta reserva ya no está apartada. Puedes reservar de nuevo.",
        "This booking is no longer being held. You can book again.",
        "Miadi hii haishikiliwi tena. Unaweza kupanga tena.");
    public static string Resend(Language l) => T(l, "Reenviar el código", "Send the code again", "Tuma nambari tena");
    public static string Resent(Language l) => T(l, "Te enviamos un código nuevo; el anterior ya no sirve.", "We sent you a new code; the previous one no longer works.", "Tumekutumia nambari mpya; ya awali haifanyi kazi tena.");
    public static string ResendWait(Language l, int seconds) => T(l,
        $"Espera {seconds} segundos para pedir otro código.",
        $"Please wait {seconds} seconds before asking for another code.",
        $"Subiri sekunde {seconds} kabla ya kuomba nambari nyingine.");
    public static string NoMoreSends(Language l) => T(l,
        "Ya te enviamos varios códigos. Revisa tus mensajes de WhatsApp o SMS.",
        "We've already sent several codes. Please check your WhatsApp or SMS messages.",
        "Tumeshakutumia nambari kadhaa. Tafadhali angalia ujumbe wako wa WhatsApp au SMS.");
    public static string BookAgain(Language l) => T(l, "Reservar de nuevo", "Book again", "Panga tena");
    public static string HoldNotFoundTitle(Language l) => T(l, "No encontramos esta reserva", "We couldn't find this booking", "Hatukupata miadi hii");
    public static string HoldNotFoundText(Language l) => T(l,
        "El enlace no es válido. Si reservaste hace un momento, revisa el enlace o reserva de nuevo.",
        "This link isn't valid. If you booked a moment ago, check the link or book again.",
        "Kiungo hiki si sahihi. Kama ulipanga muda mfupi uliopita, angalia kiungo au panga tena.");
    public static string LanguageLabel(Language l) => T(l, "Idioma", "Language", "Lugha");

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
