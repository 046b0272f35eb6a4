using Karibu.Features.Assistant.Understanding;
using NodaTime;

namespace Karibu.Features.Assistant.Guided;

/// <summary>
/// Everything the guided assistant says, in Spanish (Mexico), English and Swahili. Day and month names
/// are ours so replies do not depend on the machine's ICU data.
/// </summary>
internal static class GuidedTexts
{
    private static readonly string[] EsDays = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"];
    private static readonly string[] EnDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] SwDays = ["Jumatatu", "Jumanne", "Jumatano", "Alhamisi", "Ijumaa", "Jumamosi", "Jumapili"];
    private static readonly string[] EsMonths = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
    private static readonly string[] EnMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] SwMonths = ["Januari", "Februari", "Machi", "Aprili", "Mei", "Juni", "Julai", "Agosti", "Septemba", "Oktoba", "Novemba", "Desemba"];

    public static Language FromLocale(string locale) => locale.Split('-')[0].ToLowerInvariant() switch
    {
        "es" => Language.Es,
        "sw" => Language.Sw,
        _ => Language.En,
    };

    /// <summary>"hoy", "mañana" or "viernes 27 de noviembre".</summary>
    public static string Day(Language l, LocalDate date, LocalDate today)
    {
        var d = (int)date.DayOfWeek - 1;
        var m = date.Month - 1;
        if (date == today)
        {
            return l switch { Language.Es => "hoy", Language.Sw => "leo", _ => "today" };
        }

        var name = l switch
        {
            Language.Es => $"{EsDays[d]} {date.Day} de {EsMonths[m]}",
            Language.Sw => $"{SwDays[d]} {date.Day} {SwMonths[m]}",
            _ => $"{EnDays[d]} {date.Day} {EnMonths[m]}",
        };
        return date == today.PlusDays(1)
            ? l switch { Language.Es => $"mañana {name}", Language.Sw => $"kesho {name}", _ => $"tomorrow, {name}" }
            : name;
    }

    /// <summary>
    /// A day from <see cref="Day"/> inside a sentence: "el sábado 28 de noviembre" / "on Saturday 28 November",
    /// but "mañana martes 24…", "hoy", "tomorrow, …" as they are (Swahili needs nothing added).
    /// </summary>
    public static string On(Language l, string day) => l switch
    {
        Language.Es when !Relative(day) => "el " + day,
        Language.En when !Relative(day) => "on " + day,
        _ => day,
    };

    /// <summary>Whether <see cref="Day"/> named the day as today or tomorrow.</summary>
    private static bool Relative(string day) =>
        day.StartsWith("hoy", StringComparison.Ordinal) || day.StartsWith("mañana", StringComparison.Ordinal)
        || day.StartsWith("today", StringComparison.Ordinal) || day.StartsWith("tomorrow", StringComparison.Ordinal);

    /// <summary>"a las 4:00 p.m.", but "a la 1:30 p.m." (Spanish: one o'clock is singular).</summary>
    public static string ALas(string time) => time.StartsWith("1:", StringComparison.Ordinal) ? $"a la {time}" : $"a las {time}";

    /// <summary>"martes 24 de noviembre": a date without "today"/"tomorrow", for messages read later.</summary>
    public static string Date(Language l, LocalDate date) => Day(l, date, LocalDate.MinIsoValue);

    /// <summary>"4:00 p.m." / "4:00 pm" / "16:00" (Swahili speakers count hours differently, so the 24-hour clock is unambiguous).</summary>
    public static string Time(Language l, LocalTime t)
    {
        if (l == Language.Sw)
        {
            return $"{t.Hour:00}:{t.Minute:00}";
        }

        var hour = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        var suffix = l == Language.Es ? (t.Hour < 12 ? "a.m." : "p.m.") : (t.Hour < 12 ? "am" : "pm");
        return $"{hour}:{t.Minute:00} {suffix}";
    }

    public static string Money(long cents, string currency) => currency switch
    {
        "MXN" => $"${cents / 100:N0}",
        "KES" => $"KSh {cents / 100:N0}",
        _ => $"{cents / 100m:0.##} {currency}",
    };

    public static string Welcome(Language l, string business, string? name) => l switch
    {
        Language.Es => $"¡Hola{(name is null ? "" : $" {name}")}! Bienvenido a {business}. Puedo agendar, cambiar o cancelar tu cita. ¿En qué te ayudo?",
        Language.Sw => $"Habari{(name is null ? "" : $" {name}")}! Karibu {business}. Naweza kukupangia, kubadilisha au kughairi miadi. Nikusaidie nini?",
        _ => $"Hi{(name is null ? "" : $" {name}")}! Welcome to {business}. I can book, move or cancel your appointment. How can I help?",
    };

    public static string AskService(Language l, IEnumerable<string> services) => l switch
    {
        Language.Es => $"¡Claro! ¿Qué servicio te gustaría? Tenemos: {string.Join(", ", services)}.",
        Language.Sw => $"Sawa! Ungependa huduma gani? Tuna: {string.Join(", ", services)}.",
        _ => $"Sure! Which service would you like? We have: {string.Join(", ", services)}.",
    };

    public static string AskDay(Language l, string service) => l switch
    {
        Language.Es => $"¡Claro! ¿Para qué día te gustaría tu {service.ToLowerInvariant()}?",
        Language.Sw => $"Sawa! Ungependa {service} siku gani?",
        _ => $"Sure! What day would you like your {service.ToLowerInvariant()}?",
    };

    /// <summary>
    /// The line above the times offered. <paramref name="missed"/> is null when they are what was asked;
    /// otherwise it says what had nothing free: the time asked, the part of the day asked (that day or,
    /// when the times are on a later day, "that day in the …"), or the whole day.
    /// </summary>
    public static string Offer(Language l, string day, string service, string price, Missed? missed)
    {
        if (missed is not { } m)
        {
            return l switch
            {
                Language.Es => $"{Capital(day)} tengo estos horarios para {service.ToLowerInvariant()} ({price}):",
                Language.Sw => $"{Capital(day)} nina nafasi hizi za {service} ({price}):",
                _ => $"{Capital(day)} I have these times for {service.ToLowerInvariant()} ({price}):",
            };
        }

        var what = (l, m.Part) switch
        {
            (Language.Es, null) => m.Time ? "a esa hora" : "ese día",
            (Language.Es, { } part) => $"{(m.SameDay ? "" : "ese día ")}en la {(part switch { PartOfDay.Morning => "mañana", PartOfDay.Afternoon => "tarde", _ => "noche" })}",
            (Language.Sw, null) => m.Time ? "wakati huo" : "siku hiyo",
            (Language.Sw, { } part) => $"{(m.SameDay ? "" : "siku hiyo ")}{(part switch { PartOfDay.Morning => "asubuhi", PartOfDay.Afternoon => "mchana", _ => "jioni" })}",
            (_, null) => m.Time ? "at that time" : "that day",
            (_, { } part) => $"{(m.SameDay ? "in the" : "that")} {(part switch { PartOfDay.Morning => "morning", PartOfDay.Afternoon => "afternoon", _ => "evening" })}",
        };
        return l switch
        {
            Language.Es => $"No me queda nada {what}, pero {On(l, day)} tengo estos horarios para {service.ToLowerInvariant()} ({price}):",
            Language.Sw => $"Hakuna nafasi {what}, lakini {day} nina hizi za {service} ({price}):",
            _ => $"Nothing is free {what}, but {On(l, day)} I have these times for {service.ToLowerInvariant()} ({price}):",
        };
    }

    /// <summary>What had nothing free: a time, else a part of the day (on the day offered, or an earlier one), else the day.</summary>
    internal readonly record struct Missed(bool Time, PartOfDay? Part, bool SameDay);

    public static string WhichOne(Language l) => l switch
    {
        Language.Es => "¿Cuál te funciona mejor? Responde con el número o la hora.",
        Language.Sw => "Ipi inakufaa? Jibu kwa namba au saa.",
        _ => "Which one works best? Reply with the number or the time.",
    };

    public static string ListButton(Language l) => l switch { Language.Es => "Ver horarios", Language.Sw => "Angalia nafasi", _ => "See times" };

    public static string NothingSoon(Language l, string service) => l switch
    {
        Language.Es => $"Lo siento, no tengo lugar para {service.ToLowerInvariant()} en los próximos días. ¿Quieres que le pida al negocio que te contacte?",
        Language.Sw => $"Samahani, hakuna nafasi ya {service} siku zijazo. Ungependa biashara ikupigie?",
        _ => $"Sorry, there is nothing free for {service.ToLowerInvariant()} in the next few days. Shall I ask the business to contact you?",
    };

    public static string Confirm(Language l, string service, string day, string time, string staff, string price) => l switch
    {
        Language.Es => $"¿Te agendo {service.ToLowerInvariant()} {On(l, day)} {ALas(time)} con {staff} ({price})? Responde sí o no.",
        Language.Sw => $"Nikupangie {service} {day} saa {time} na {staff} ({price})? Jibu ndiyo au hapana.",
        _ => $"Shall I book {service.ToLowerInvariant()} {On(l, day)} at {time} with {staff} ({price})? Reply yes or no.",
    };

    public static string Booked(Language l, string? name, string service, string day, string time, string staff) => l switch
    {
        Language.Es => $"¡Listo{(name is null ? "" : $", {name}")}! Tu cita quedó confirmada:\n📅 {Capital(day)}\n⏰ {time}\n💇 {service} con {staff}\nTe mandaré un recordatorio. ¡Nos vemos!",
        Language.Sw => $"Tayari{(name is null ? "" : $", {name}")}! Miadi yako imethibitishwa:\n📅 {Capital(day)}\n⏰ {time}\n💇 {service} na {staff}\nNitakukumbusha. Tutaonana!",
        _ => $"Done{(name is null ? "" : $", {name}")}! Your appointment is confirmed:\n📅 {Capital(day)}\n⏰ {time}\n💇 {service} with {staff}\nI'll send you a reminder. See you!",
    };

    public static string WhenToMove(Language l, string appointment) => l switch
    {
        Language.Es => $"Claro que sí. Veo que tienes tu cita {On(l, appointment)}. ¿Para cuándo te gustaría cambiarla?",
        Language.Sw => $"Sawa kabisa. Naona una miadi {appointment}. Ungependa kuihamishia lini?",
        _ => $"Of course. I see your appointment {On(l, appointment)}. When would you like to move it to?",
    };

    public static string Moved(Language l, string? name, string day, string time) => l switch
    {
        Language.Es => $"Listo{(name is null ? "" : $", {name}")}, cambié tu cita para {On(l, day)} {ALas(time)}. ¡Nos vemos!",
        Language.Sw => $"Tayari{(name is null ? "" : $", {name}")}, nimehamisha miadi yako hadi {day} saa {time}. Tutaonana!",
        _ => $"Done{(name is null ? "" : $", {name}")}, your appointment is now {On(l, day)} at {time}. See you!",
    };

    public static string AgendaHeader(Language l, string day, int count, bool everyone) => (l, everyone) switch
    {
        (Language.Es, false) => $"{Capital(day)} tienes {count} {(count == 1 ? "cita" : "citas")}:",
        (Language.Es, true) => $"{Capital(day)} hay {count} {(count == 1 ? "cita" : "citas")} en el negocio:",
        (Language.Sw, false) => $"{Capital(day)} una miadi {count}:",
        (Language.Sw, true) => $"{Capital(day)} biashara ina miadi {count}:",
        (_, false) => $"{Capital(day)} you have {count} {(count == 1 ? "appointment" : "appointments")}:",
        _ => $"{Capital(day)} the business has {count} {(count == 1 ? "appointment" : "appointments")}:",
    };

    public static string EmptyAgenda(Language l, string day, bool everyone) => (l, everyone) switch
    {
        (Language.Es, false) => $"{Capital(day)} no tienes citas.",
        (Language.Es, true) => $"{Capital(day)} no hay citas en el negocio.",
        (Language.Sw, false) => $"{Capital(day)} huna miadi.",
        (Language.Sw, true) => $"{Capital(day)} biashara haina miadi.",
        (_, false) => $"{Capital(day)} you have no appointments.",
        _ => $"{Capital(day)} the business has no appointments.",
    };

    /// <summary>"corte de cabello y arreglo de barba" / "haircut and beard trim" / "kunyoa na ndevu".</summary>
    public static string Join(Language l, IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + (l switch { Language.Es => " y ", Language.Sw => " na ", _ => " and " }) + items[^1],
    };

    public static string NotOffered(Language l, IReadOnlyList<string> services, string? owner) => l switch
    {
        Language.Es => $"Actualmente los servicios que tenemos son {Join(l, services)}. Para preguntas sobre otros servicios, ya le pasé tu mensaje a {owner ?? "el encargado"}{(owner is null ? "" : ", el dueño")}: te contactará pronto. ¿Hay algo más en lo que pueda ayudarte?",
        Language.Sw => $"Kwa sasa huduma zetu ni {Join(l, services)}. Kwa maswali kuhusu huduma nyingine, nimempa {owner ?? "msimamizi"} ujumbe wako: atawasiliana nawe hivi karibuni. Kuna kingine naweza kukusaidia?",
        _ => $"Right now our services are {Join(l, services)}. For questions about other services, I've passed your message to {owner ?? "the manager"}{(owner is null ? "" : ", the owner")}: they'll get back to you soon. Is there anything else I can help with?",
    };

    /// <summary>The note to the owner (in the business's language); <c>{phone}</c> becomes the customer's number.</summary>
    public static string OwnerQuestion(Language l, string question) => l switch
    {
        Language.Es => $"🙋 Un cliente pregunta: «{question}». Teléfono: {{phone}}",
        Language.Sw => $"🙋 Mteja anauliza: «{question}». Simu: {{phone}}",
        _ => $"🙋 A customer asks: \"{question}\". Phone: {{phone}}",
    };

    public static string NotAllowed(Language l) => l switch
    {
        Language.Es => "Lo siento, tu cuenta no tiene permiso para ver la agenda de todo el negocio. Puedo mostrarte la tuya.",
        Language.Sw => "Samahani, huna ruhusa ya kuona ratiba ya biashara nzima. Naweza kukuonyesha yako.",
        _ => "Sorry, your account may not see the whole business's schedule. I can show you yours.",
    };

    public static string JustTaken(Language l) => l switch
    {
        Language.Es => "¡Uy! Ese horario se acaba de ocupar. Estos siguen libres:",
        Language.Sw => "Samahani! Nafasi hiyo imechukuliwa sasa hivi. Hizi bado ziko wazi:",
        _ => "Oh no, that time was just taken. These are still free:",
    };

    public static string OtherTime(Language l) => l switch
    {
        Language.Es => "Sin problema. ¿Qué otro día u horario te acomoda?",
        Language.Sw => "Hakuna shida. Siku au saa gani nyingine inakufaa?",
        _ => "No problem. What other day or time suits you?",
    };

    public static string YesOrNo(Language l) => l switch
    {
        Language.Es => "¿Me confirmas con un sí o un no?",
        Language.Sw => "Tafadhali jibu ndiyo au hapana.",
        _ => "Could you answer yes or no?",
    };

    public static string NoAppointments(Language l) => l switch
    {
        Language.Es => "No tienes citas próximas. ¿Quieres agendar una?",
        Language.Sw => "Huna miadi ijayo. Ungependa kupanga moja?",
        _ => "You have no upcoming appointments. Would you like to book one?",
    };

    /// <summary>"No" to "would you like to book one?".</summary>
    public static string WheneverYouLike(Language l) => l switch
    {
        Language.Es => "Está bien. Aquí estoy cuando quieras agendar. 👋",
        Language.Sw => "Sawa. Niko hapa wakati wowote ukitaka kupanga miadi. 👋",
        _ => "Alright. I'm here whenever you'd like to book. 👋",
    };

    public static string YourAppointments(Language l) => l switch
    {
        Language.Es => "Tus próximas citas:",
        Language.Sw => "Miadi yako ijayo:",
        _ => "Your upcoming appointments:",
    };

    public static string WhichToCancel(Language l) => l switch
    {
        Language.Es => "¿Cuál quieres cancelar? Responde con el número.",
        Language.Sw => "Ungependa kughairi ipi? Jibu kwa namba.",
        _ => "Which one would you like to cancel? Reply with the number.",
    };

    public static string ConfirmCancel(Language l, string line) => l switch
    {
        Language.Es => $"¿Cancelo tu cita {(Relative(line) ? "de" : "del")} {line}? Responde sí o no.",
        Language.Sw => $"Nighairi miadi yako ya {line}? Jibu ndiyo au hapana.",
        _ => $"Shall I cancel your appointment {On(l, line)}? Reply yes or no.",
    };

    public static string Cancelled(Language l) => l switch
    {
        Language.Es => "Listo, cancelé tu cita. Cuando quieras agendar de nuevo, aquí estoy.",
        Language.Sw => "Sawa, nimeghairi miadi yako. Ukitaka kupanga tena, niko hapa.",
        _ => "Done, your appointment is cancelled. Whenever you want to book again, I'm here.",
    };

    public static string KeptAppointment(Language l) => l switch
    {
        Language.Es => "Perfecto, tu cita sigue en pie.",
        Language.Sw => "Sawa, miadi yako inabaki.",
        _ => "Great, your appointment stays as it is.",
    };

    public static string ServicesList(Language l) => l switch
    {
        Language.Es => "Nuestros servicios:",
        Language.Sw => "Huduma zetu:",
        _ => "Our services:",
    };

    public static string Handoff(Language l) => l switch
    {
        Language.Es => "Le paso tu mensaje a una persona del negocio; te contactarán pronto. ¿Hay algo más en lo que pueda ayudarte?",
        Language.Sw => "Nimempa mtu wa biashara ujumbe wako; watawasiliana nawe hivi karibuni. Kuna kingine naweza kusaidia?",
        _ => "I've passed your message to someone at the business; they'll get back to you soon. Anything else I can help with?",
    };

    public static string Thanks(Language l) => l switch
    {
        Language.Es => "¡Con gusto! Que tengas un excelente día. 👋",
        Language.Sw => "Karibu sana! Siku njema. 👋",
        _ => "You're welcome! Have a great day. 👋",
    };

    public static string SeeYou(Language l, string appointment) => l switch
    {
        Language.Es => $"¡Gracias por confirmar! Te esperamos: {appointment}. 👋",
        Language.Sw => $"Asante kwa kuthibitisha! Tunakusubiri: {appointment}. 👋",
        _ => $"Thanks for confirming! See you: {appointment}. 👋",
    };

    public static string EmojiOnly(Language l) => l switch
    {
        Language.Es => "😊 Aquí estoy. Si quieres una cita, dime qué servicio y cuándo (por ejemplo «un corte mañana en la tarde»).",
        Language.Sw => "😊 Niko hapa. Ukitaka miadi, niambie huduma na lini (kwa mfano «kunyoa kesho jioni»).",
        _ => "😊 I'm here. If you'd like an appointment, tell me the service and when (for example \"a haircut tomorrow afternoon\").",
    };

    public static string NotUnderstood(Language l) => l switch
    {
        Language.Es => "Perdón, no te entendí. Puedo agendar una cita (por ejemplo «un corte mañana en la tarde»), mostrarte tus citas, cancelarlas o darte precios y horarios.",
        Language.Sw => "Samahani, sijaelewa. Naweza kukupangia miadi (kwa mfano «kunyoa kesho jioni»), kukuonyesha miadi yako, kughairi, au kukupa bei na saa za kazi.",
        _ => "Sorry, I didn't get that. I can book an appointment (for example \"a haircut tomorrow afternoon\"), show or cancel your appointments, or tell you prices and hours.",
    };

    public static string Hours(Language l) => l switch { Language.Es => "Nuestro horario:", Language.Sw => "Saa zetu za kazi:", _ => "Our opening hours:" };

    public static string Closed(Language l) => l switch { Language.Es => "cerrado", Language.Sw => "tumefunga", _ => "closed" };

    public static string WeekdayName(Language l, IsoDayOfWeek day) => l switch
    {
        Language.Es => Capital(EsDays[(int)day - 1]),
        Language.Sw => SwDays[(int)day - 1],
        _ => EnDays[(int)day - 1],
    };

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
