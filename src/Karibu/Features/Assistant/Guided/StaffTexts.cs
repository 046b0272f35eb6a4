using Karibu.Features.Assistant.Understanding;

namespace Karibu.Features.Assistant.Guided;

/// <summary>What the guided assistant says to staff and owners, in Spanish (Mexico), English and Swahili.</summary>
internal static class StaffTexts
{
    public static string Help(Language l, string name, bool owner) => (l, owner) switch
    {
        (Language.Es, _) => $"Hola {name} 👋 Desde aquí puedes:\n• Ver tu agenda: «¿qué tengo hoy?», «mi agenda del sábado»\n• Bloquear tiempo: «bloquea de 2 a 3 para mi comida»\n• Marcar citas: «el de las 3 no llegó», «ya terminé con Juan»\n• Registrar a alguien sin cita: «acaba de llegar alguien para corte»\n• Ver el historial de un cliente: «historial de 55 1234 5678»"
            + (owner ? "\n• Agregar a alguien al equipo: «quiero agregar un nuevo empleado»" : ""),
        (Language.Sw, _) => $"Habari {name} 👋 Hapa unaweza:\n• Kuona ratiba yako: «nina nini leo?», «ratiba yangu Jumamosi»\n• Kuzuia muda: «zuia saa 8 hadi 9»\n• Kuweka hali ya miadi: «wa saa 9 hakuja», «nimemaliza na Juma»\n• Kusajili mteja asiye na miadi: «mteja amefika kwa kunyoa»\n• Kuona historia ya mteja: «historia ya 0712 345 678»"
            + (owner ? "\n• Kuongeza mfanyakazi: «nataka kuongeza mfanyakazi mpya»" : ""),
        _ => $"Hi {name} 👋 From here you can:\n• See your schedule: \"what do I have today?\", \"my schedule on Saturday\"\n• Block time: \"block 2 to 3 for lunch\"\n• Mark appointments: \"the 3pm didn't show\", \"done with John\"\n• Register a walk-in: \"walk-in for a haircut\"\n• See a customer's history: \"history of 0712 345 678\""
            + (owner ? "\n• Add someone to the team: \"add a new staff member\"" : ""),
    };

    public static string NotAllowed(Language l) => l switch
    {
        Language.Es => "Lo siento, eso solo lo puede hacer el dueño o alguien con permiso. Con gusto te ayudo con tu propia agenda.",
        Language.Sw => "Samahani, hilo linaweza kufanywa na mmiliki au mwenye ruhusa tu. Naweza kukusaidia na ratiba yako mwenyewe.",
        _ => "Sorry, only the owner or someone with permission can do that. I'm happy to help with your own schedule.",
    };

    public static string CancelInApp(Language l) => l switch
    {
        Language.Es => "Para cancelar o mover la cita de un cliente, hazlo desde la app de Karibu (Hoy → la cita), así queda registrado y le avisamos al cliente. Por aquí puedo bloquear tu tiempo o marcar citas.",
        Language.Sw => "Kughairi au kuhamisha miadi ya mteja, tumia programu ya Karibu (Leo → miadi), ili irekodiwe na mteja ajulishwe. Hapa naweza kuzuia muda wako au kuweka hali ya miadi.",
        _ => "To cancel or move a customer's appointment, use the Karibu app (Today → the appointment), so it's recorded and the customer is told. Here I can block your time or mark appointments.",
    };

    public static string Free(Language l, string from, string to) => l switch
    {
        Language.Es => $"🟢 {from} – {to} · libre",
        Language.Sw => $"🟢 {from} – {to} · wazi",
        _ => $"🟢 {from} – {to} · free",
    };

    public static string BlockedLine(Language l, string from, string to, string? note) => l switch
    {
        Language.Es => $"⛔ {from} – {to} · bloqueado{(note is null ? "" : $" ({note})")}",
        Language.Sw => $"⛔ {from} – {to} · imezuiwa{(note is null ? "" : $" ({note})")}",
        _ => $"⛔ {from} – {to} · blocked{(note is null ? "" : $" ({note})")}",
    };

    public static string DayOff(Language l) => l switch
    {
        Language.Es => "⛔ Día bloqueado",
        Language.Sw => "⛔ Siku nzima imezuiwa",
        _ => "⛔ Whole day blocked",
    };

    public static string AskBlockWhen(Language l) => l switch
    {
        Language.Es => "¿Qué horario bloqueo? Por ejemplo: «bloquea de 2 a 3», «bloquea las 4» o «bloquea el sábado».",
        Language.Sw => "Nizuie muda gani? Kwa mfano: «zuia 14:00 hadi 15:00», «zuia saa 16:00» au «zuia Jumamosi».",
        _ => "What should I block? For example: \"block 2 to 3\", \"block 4pm\" or \"block Saturday\".",
    };

    public static string Blocked(Language l, string day, string from, string? to) => (l, to) switch
    {
        (Language.Es, null) => $"Listo, bloqueé {day} {GuidedTexts.ALas(from)} ✓",
        (Language.Es, _) => $"Listo, bloqueé {day} de {from} a {to} ✓",
        (Language.Sw, null) => $"Sawa, nimezuia {day} saa {from} ✓",
        (Language.Sw, _) => $"Sawa, nimezuia {day} kuanzia {from} hadi {to} ✓",
        (_, null) => $"Done, I blocked {day} at {from} ✓",
        _ => $"Done, I blocked {day} from {from} to {to} ✓",
    };

    public static string BlockedDay(Language l, string day) => l switch
    {
        Language.Es => $"Listo, bloqueé todo el día ({day}) ✓ No te ofreceré a ningún cliente ese día.",
        Language.Sw => $"Sawa, nimezuia siku nzima ({day}) ✓ Sitakupangia mteja siku hiyo.",
        _ => $"Done, I blocked the whole day ({day}) ✓ I won't offer you to any customer that day.",
    };

    public static string AskBlockRest(Language l, string from) => l switch
    {
        Language.Es => $"¿Quieres que también bloquee de {from} en adelante?",
        Language.Sw => $"Nizuie pia kuanzia {from} na kuendelea?",
        _ => $"Should I also block from {from} onwards?",
    };

    public static string BlockOnly(Language l, string time) => l switch
    {
        Language.Es => $"Perfecto, solo las {time} bloqueadas. ¿Algo más?",
        Language.Sw => $"Sawa, saa {time} tu ndiyo imezuiwa. Kuna kingine?",
        _ => $"Perfect, only {time} is blocked. Anything else?",
    };

    public static string BlockedRest(Language l, string from) => l switch
    {
        Language.Es => $"Listo, también bloqueé de {from} en adelante ✓ ¿Algo más?",
        Language.Sw => $"Sawa, nimezuia pia kuanzia {from} na kuendelea ✓ Kuna kingine?",
        _ => $"Done, I also blocked from {from} onwards ✓ Anything else?",
    };

    public static string StillBooked(Language l, IEnumerable<string> lines) => l switch
    {
        Language.Es => "Ojo: en ese horario sigue agendado:\n" + string.Join("\n", lines) + "\nSi hay que moverlo, avísale al cliente o dime «el de las …» para marcarlo.",
        Language.Sw => "Tahadhari: katika muda huo bado kuna miadi:\n" + string.Join("\n", lines) + "\nIkibidi kuihamisha, mjulishe mteja.",
        _ => "Heads up: still booked in that time:\n" + string.Join("\n", lines) + "\nIf it has to move, let the customer know.",
    };

    public static string BlockFailed(Language l) => l switch
    {
        Language.Es => "No pude bloquear ese horario: revisa que la hora final sea después de la inicial.",
        Language.Sw => "Sikuweza kuzuia muda huo: hakikisha muda wa mwisho uko baada ya mwanzo.",
        _ => "I couldn't block that: check that the end is after the start.",
    };

    public static string AskWhichAppointment(Language l) => l switch
    {
        Language.Es => "¿Cuál cita? Dime la hora o el nombre, por ejemplo «el de las 3 no llegó».",
        Language.Sw => "Miadi ipi? Niambie saa au jina, kwa mfano «wa saa 15:00 hakuja».",
        _ => "Which appointment? Tell me the time or the name, e.g. \"the 3pm didn't show\".",
    };

    public static string NoSuchAppointment(Language l, string? time) => (l, time) switch
    {
        (Language.Es, null) => "No encuentro una cita de hoy que coincida. ¿A qué hora era?",
        (Language.Es, _) => $"No encuentro una cita hoy {GuidedTexts.ALas(time)}. ¿Seguro que era a esa hora?",
        (Language.Sw, null) => "Sipati miadi ya leo inayolingana. Ilikuwa saa ngapi?",
        (Language.Sw, _) => $"Sipati miadi ya leo saa {time}. Una uhakika ni saa hiyo?",
        (_, null) => "I can't find a matching appointment today. What time was it?",
        _ => $"I can't find an appointment today at {time}. Are you sure of the time?",
    };

    public static string ConfirmMark(Language l, string who, string time, string service) => l switch
    {
        Language.Es => $"¿Te refieres a la cita de {who} {GuidedTexts.ALas(time)} ({service})?",
        Language.Sw => $"Unamaanisha miadi ya {who} saa {time} ({service})?",
        _ => $"Do you mean {who}'s appointment at {time} ({service})?",
    };

    public static string PickMark(Language l) => l switch
    {
        Language.Es => "¿Cuál de estas? Responde con el número.",
        Language.Sw => "Ipi kati ya hizi? Jibu kwa namba.",
        _ => "Which one? Reply with the number.",
    };

    public static string MarkedNoShow(Language l, string first, bool offerMessage) => (l, offerMessage) switch
    {
        (Language.Es, true) => $"Marqué la cita como no-show ✓ ¿Quieres que le envíe un mensaje a {first}?",
        (Language.Es, false) => "Marqué la cita como no-show ✓",
        (Language.Sw, true) => $"Nimeweka miadi kama hakuja ✓ Nimtumie {first} ujumbe?",
        (Language.Sw, false) => "Nimeweka miadi kama hakuja ✓",
        (_, true) => $"Marked as a no-show ✓ Should I send {first} a message?",
        _ => "Marked as a no-show ✓",
    };

    public static string MarkedCompleted(Language l, string who) => l switch
    {
        Language.Es => $"Listo ✓ Marqué la cita de {who} como completada.",
        Language.Sw => $"Sawa ✓ Miadi ya {who} imekamilika.",
        _ => $"Done ✓ {who}'s appointment is marked completed.",
    };

    public static string NotStartedYet(Language l) => l switch
    {
        Language.Es => "Esa cita todavía no empieza; la puedo marcar cuando ya haya pasado la hora.",
        Language.Sw => "Miadi hiyo bado haijaanza; nitaweza kuiweka baada ya muda wake.",
        _ => "That appointment hasn't started yet; I can mark it once its time has come.",
    };

    public static string AlreadyClosed(Language l) => l switch
    {
        Language.Es => "Esa cita ya estaba cerrada (cancelada, completada o no-show); no cambié nada.",
        Language.Sw => "Miadi hiyo ilikuwa imeshafungwa; sijabadilisha kitu.",
        _ => "That appointment was already closed (cancelled, completed or no-show); nothing changed.",
    };

    public static string NothingChanged(Language l) => l switch
    {
        Language.Es => "Ok, no cambié nada. ¿Algo más?",
        Language.Sw => "Sawa, sijabadilisha kitu. Kuna kingine?",
        _ => "OK, nothing changed. Anything else?",
    };

    public static string AnythingElse(Language l) => l switch
    {
        Language.Es => "Perfecto. ¿Algo más?",
        Language.Sw => "Sawa. Kuna kingine?",
        _ => "Perfect. Anything else?",
    };

    /// <summary>The message to a customer who missed their appointment, in the business's voice.</summary>
    public static string MissedYou(Language l, string? first, string business) => l switch
    {
        Language.Es => $"Hola{(first is null ? "" : $" {first}")}, notamos que no pudiste llegar a tu cita de hoy. Esperamos que todo esté bien. Cuando gustes, escríbenos para reagendar. - {business}",
        Language.Sw => $"Habari{(first is null ? "" : $" {first}")}, tumeona hukuweza kufika kwenye miadi yako ya leo. Tunatumaini uko salama. Ukipenda, tuandikie tupange upya. - {business}",
        _ => $"Hi{(first is null ? "" : $" {first}")}, we noticed you couldn't make it to your appointment today. We hope all is well. Whenever you like, write to us to rebook. - {business}",
    };

    public static string MessageSent(Language l, string text) => l switch
    {
        Language.Es => $"Enviado ✓ Le mandé: «{text}»",
        Language.Sw => $"Imetumwa ✓ Nimemtumia: «{text}»",
        _ => $"Sent ✓ I sent: \"{text}\"",
    };

    public static string Arrived(Language l, string who, string time, string service) => l switch
    {
        Language.Es => $"Listo ✓ Registré la llegada de {who} (cita de las {time}, {service}).",
        Language.Sw => $"Sawa ✓ Nimeandika kufika kwa {who} (miadi ya saa {time}, {service}).",
        _ => $"Done ✓ {who} checked in (the {time} appointment, {service}).",
    };

    public static string VisitRecorded(Language l, string who) => l switch
    {
        Language.Es => $"Listo ✓ Registré la visita de {who} de hoy.",
        Language.Sw => $"Sawa ✓ Nimeandika ziara ya {who} ya leo.",
        _ => $"Done ✓ I recorded {who}'s visit today.",
    };

    public static string NotInAgenda(Language l) => l switch
    {
        Language.Es => "No encuentro a esa persona en la agenda de hoy. Si llegó sin cita, dime «acaba de llegar alguien para …».",
        Language.Sw => "Simpati mtu huyo kwenye ratiba ya leo. Kama amefika bila miadi, niambie «mteja amefika kwa …».",
        _ => "I can't find that person in today's schedule. If they came without a booking, tell me \"walk-in for …\".",
    };

    public static string CannotReach(Language l, string first, string phone) => l switch
    {
        Language.Es => $"No puedo escribirle a {first} por WhatsApp: no nos ha escrito en las últimas 24 horas y WhatsApp solo permite plantillas aprobadas para eso. Su teléfono es {phone}, por si quieres llamarle.",
        Language.Sw => $"Siwezi kumwandikia {first} kwa WhatsApp: hajatuandikia ndani ya saa 24 na WhatsApp inaruhusu violezo vilivyoidhinishwa tu. Namba yake ni {phone} ukitaka kumpigia.",
        _ => $"I can't write to {first} on WhatsApp: they haven't written to us in the last 24 hours and WhatsApp only allows approved templates then. Their number is {phone} if you'd like to call.",
    };

    public static string WalkInService(Language l, IEnumerable<string> lines) => l switch
    {
        Language.Es => "¿Qué servicio quiere? Tenemos:\n" + string.Join("\n", lines),
        Language.Sw => "Anataka huduma gani? Tuna:\n" + string.Join("\n", lines),
        _ => "Which service? We have:\n" + string.Join("\n", lines),
    };

    public static string WalkInPhone(Language l) => l switch
    {
        Language.Es => "Perfecto. ¿Tienes el teléfono del cliente para registrarlo?",
        Language.Sw => "Sawa. Una namba ya simu ya mteja ili nimsajili?",
        _ => "Great. Do you have the customer's phone number to register them?",
    };

    public static string WalkInName(Language l) => l switch
    {
        Language.Es => "Registrado. ¿Nombre?",
        Language.Sw => "Nimesajili. Jina lake?",
        _ => "Got it. Name?",
    };

    public static string WalkInBooked(Language l, string name, string phone, string service, string time) => l switch
    {
        Language.Es => $"Listo ✓ Registré a {name} ({phone}) para {service} ahora {GuidedTexts.ALas(time)} contigo.",
        Language.Sw => $"Sawa ✓ Nimemsajili {name} ({phone}) kwa {service} sasa saa {time} nawe.",
        _ => $"Done ✓ I registered {name} ({phone}) for {service} now at {time} with you.",
    };

    public static string WalkInClash(Language l) => l switch
    {
        Language.Es => "No pude registrarlo ahora: se cruza con otra cita en tu agenda. Si esa ya terminó, márcala («ya terminé con …») y vuelve a intentarlo.",
        Language.Sw => "Sikuweza kumsajili sasa: inagongana na miadi nyingine kwenye ratiba yako. Kama imeisha, iweke imekamilika kisha ujaribu tena.",
        _ => "I couldn't register it now: it overlaps another appointment in your schedule. If that one is done, mark it (\"done with …\") and try again.",
    };

    public static string Failed(Language l, string why) => l switch
    {
        Language.Es => $"No pude hacerlo: {why}",
        Language.Sw => $"Sikuweza kufanya hivyo: {why}",
        _ => $"I couldn't do that: {why}",
    };

    public static string BadPhone(Language l) => l switch
    {
        Language.Es => "No entendí el número. Escríbelo así: 55 1234 5678.",
        Language.Sw => "Sijaelewa namba. Iandike hivi: 0712 345 678.",
        _ => "I didn't get the number. Write it like: 0712 345 678.",
    };

    public static string AskHistoryPhone(Language l) => l switch
    {
        Language.Es => "¿De qué cliente? Mándame su teléfono.",
        Language.Sw => "Mteja yupi? Nitumie namba yake ya simu.",
        _ => "Which customer? Send me their phone number.",
    };

    public static string UnknownCustomer(Language l, string phone) => l switch
    {
        Language.Es => $"No tengo ningún cliente con el número {phone}.",
        Language.Sw => $"Sina mteja mwenye namba {phone}.",
        _ => $"I have no customer with the number {phone}.",
    };

    public static string History(Language l, string who, int visits, string? last, string spent) => l switch
    {
        Language.Es => $"📇 {who}\nVisitas: {visits}{(last is null ? "" : $" · última: {last}")}\nTotal gastado: {spent}",
        Language.Sw => $"📇 {who}\nZiara: {visits}{(last is null ? "" : $" · ya mwisho: {last}")}\nJumla aliyotumia: {spent}",
        _ => $"📇 {who}\nVisits: {visits}{(last is null ? "" : $" · last: {last}")}\nTotal spent: {spent}",
    };

    public static string Upcoming(Language l) => l switch { Language.Es => "Próximas citas:", Language.Sw => "Miadi ijayo:", _ => "Upcoming:" };

    public static string Recent(Language l) => l switch { Language.Es => "Últimas citas:", Language.Sw => "Miadi ya karibuni:", _ => "Recent:" };

    public static string Status(Language l, Scheduling.AppointmentStatus s) => (l, s) switch
    {
        (Language.Es, Scheduling.AppointmentStatus.Completed) => "completada",
        (Language.Es, Scheduling.AppointmentStatus.NoShow) => "no llegó",
        (Language.Es, Scheduling.AppointmentStatus.Cancelled) => "cancelada",
        (Language.Es, Scheduling.AppointmentStatus.Pending) => "por confirmar",
        (Language.Es, _) => "confirmada",
        (Language.Sw, Scheduling.AppointmentStatus.Completed) => "imekamilika",
        (Language.Sw, Scheduling.AppointmentStatus.NoShow) => "hakuja",
        (Language.Sw, Scheduling.AppointmentStatus.Cancelled) => "imeghairiwa",
        (Language.Sw, Scheduling.AppointmentStatus.Pending) => "inasubiri",
        (Language.Sw, _) => "imethibitishwa",
        (_, Scheduling.AppointmentStatus.Completed) => "completed",
        (_, Scheduling.AppointmentStatus.NoShow) => "no-show",
        (_, Scheduling.AppointmentStatus.Cancelled) => "cancelled",
        (_, Scheduling.AppointmentStatus.Pending) => "pending",
        _ => "confirmed",
    };

    public static string AskStaffName(Language l) => l switch
    {
        Language.Es => "¡Claro! Necesito algunos datos:\n1. ¿Cómo se llama?",
        Language.Sw => "Sawa! Nahitaji maelezo machache:\n1. Anaitwa nani?",
        _ => "Sure! I need a few details:\n1. What's their name?",
    };

    public static string AskStaffPhone(Language l) => l switch
    {
        Language.Es => "2. ¿Cuál es su número de WhatsApp?",
        Language.Sw => "2. Namba yake ya WhatsApp ni ipi?",
        _ => "2. What's their WhatsApp number?",
    };

    public static string AskStaffServices(Language l, string first, IEnumerable<string> services) => l switch
    {
        Language.Es => $"3. ¿Qué servicios va a ofrecer {first}?\n" + string.Join("\n", services) + "\nResponde «todos» o los números.",
        Language.Sw => $"3. {first} atatoa huduma zipi?\n" + string.Join("\n", services) + "\nJibu «zote» au namba.",
        _ => $"3. Which services will {first} offer?\n" + string.Join("\n", services) + "\nReply \"all\" or the numbers.",
    };

    public static string StaffExists(Language l, string name) => l switch
    {
        Language.Es => $"Ese número ya es de {name}, que ya está en el equipo. ¿Otro número?",
        Language.Sw => $"Namba hiyo ni ya {name}, ambaye tayari yuko kwenye timu. Namba nyingine?",
        _ => $"That number belongs to {name}, who is already on the team. Another number?",
    };

    public static string StaffAdded(Language l, string name, string phone, string first) => l switch
    {
        Language.Es => $"Perfecto. Agregué a {name} ({phone}) como empleado ✓\n\nAhora {first} puede escribirme desde su WhatsApp para:\n- Ver su agenda\n- Bloquear tiempo\n- Marcar citas completadas\n- Registrar walk-ins\n\n¿Quieres que le mande un mensaje de bienvenida explicándole cómo usarme?",
        Language.Sw => $"Sawa. Nimemwongeza {name} ({phone}) kama mfanyakazi ✓\n\nSasa {first} anaweza kuniandikia kutoka WhatsApp yake ili:\n- Kuona ratiba yake\n- Kuzuia muda\n- Kuweka miadi imekamilika\n- Kusajili wateja wasio na miadi\n\nNimtumie ujumbe wa kumkaribisha unaoeleza jinsi ya kunitumia?",
        _ => $"Done. I added {name} ({phone}) to the team ✓\n\nNow {first} can write to me from their WhatsApp to:\n- See their schedule\n- Block time\n- Mark appointments completed\n- Register walk-ins\n\nShould I send them a welcome message explaining how to use me?",
    };

    public static string StaffWelcome(Language l, string first, string business) => l switch
    {
        Language.Es => $"¡Hola {first}! 👋 Te agregaron al equipo de {business}. Escríbeme a este número cuando quieras:\n• «¿Qué tengo hoy?» para ver tu agenda\n• «Bloquea de 2 a 3» para apartar tiempo\n• «El de las 3 no llegó» o «ya terminé con Juan» para marcar citas\n• «Acaba de llegar alguien para corte» para registrar a quien llega sin cita",
        Language.Sw => $"Habari {first}! 👋 Umeongezwa kwenye timu ya {business}. Niandikie kwa namba hii wakati wowote:\n• «Nina nini leo?» kuona ratiba yako\n• «Zuia 14:00 hadi 15:00» kuzuia muda\n• «Wa saa 15:00 hakuja» au «nimemaliza na Juma» kuweka hali ya miadi\n• «Mteja amefika kwa kunyoa» kusajili mteja asiye na miadi",
        _ => $"Hi {first}! 👋 You've been added to the team at {business}. Write to me at this number any time:\n• \"What do I have today?\" for your schedule\n• \"Block 2 to 3\" to set time aside\n• \"The 3pm didn't show\" or \"done with John\" to mark appointments\n• \"Walk-in for a haircut\" to register someone without a booking",
    };

    public static string WelcomeSent(Language l) => l switch { Language.Es => "Enviado ✓", Language.Sw => "Imetumwa ✓", _ => "Sent ✓" };

    public static string WelcomeLater(Language l, string first) => l switch
    {
        Language.Es => $"WhatsApp no deja escribirle primero a un número nuevo sin una plantilla aprobada. Pídele a {first} que mande «Hola» a este número y en ese momento le explico todo.",
        Language.Sw => $"WhatsApp hairuhusu kumwandikia kwanza mtu mpya bila kiolezo kilichoidhinishwa. Mwambie {first} atume «Habari» kwa namba hii nami nitamweleza kila kitu.",
        _ => $"WhatsApp doesn't let us write first to a new number without an approved template. Ask {first} to send \"Hi\" to this number and I'll explain everything then.",
    };

    public static string NoWelcome(Language l, string first) => l switch
    {
        Language.Es => $"Ok. Cuando {first} me escriba, le explico cómo usarme. ¿Algo más?",
        Language.Sw => $"Sawa. {first} akiniandikia, nitamweleza jinsi ya kunitumia. Kuna kingine?",
        _ => $"OK. When {first} writes to me, I'll explain how to use me. Anything else?",
    };

    public static string AskName(Language l) => l switch
    {
        Language.Es => "¿Cómo se llama? Escríbeme solo el nombre.",
        Language.Sw => "Anaitwa nani? Niandikie jina tu.",
        _ => "What's the name? Just write the name.",
    };
}
