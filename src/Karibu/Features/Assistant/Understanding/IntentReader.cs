namespace Karibu.Features.Assistant.Understanding;

/// <summary>
/// Intents from phrase lists in Spanish, English and Swahili. A phrase word ending in <c>*</c> matches by prefix
/// ("cancel*" → cancelar, cancela, cancelled); words of 6+ letters also match with one typo. An intent's score is
/// the sum of its matched phrases (longer phrases weigh more). Order: customer/staff actions by score first, then
/// the social ones (Greeting, Thanks, Bye). Book is implied by a named service when nothing else is asked, and is
/// dropped when a more specific action (reschedule, cancel, my appointments, human, any staff intent) is read;
/// MyAppointments is dropped when Reschedule or Cancel is read.
/// </summary>
internal static class IntentReader
{
    private static readonly (Intent Intent, string[] Phrases)[] Table =
    [
        (Intent.Greeting, ["hola", "holi", "buenas", "buenos dias", "buen dia", "buenas tardes", "buenas noches", "que tal", "saludos", "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "habari", "mambo", "jambo", "hujambo", "niaje", "shikamoo", "salama", "vipi"]),
        (Intent.Book, ["cita", "una cita", "quiero una cita", "agendar*", "agende", "agendame", "reservar*", "reserva", "apartar", "sacar cita", "hacer una cita", "me das un", "me haces un", "quisiera", "hay espacio", "tienes espacio", "tienen espacio", "turno", "book*", "appointment", "i d like", "can i get", "i want", "schedule me", "reserve", "nataka", "panga miadi", "kupanga", "miadi", "weka miadi", "nipangie", "nafasi"]),
        (Intent.Reschedule, ["cambiar*", "cambio de cita", "mover*", "muev*", "reagend*", "reprogram*", "pospon*", "recorrer", "otro dia", "otra hora", "reschedul*", "change my", "move my", "postpone", "badilisha*", "hamisha*", "sogeza"]),
        (Intent.Cancel, ["cancel*", "anular", "ya no puedo ir", "ya no voy", "no voy a poder", "no podre ir", "no puedo ir", "no podre asistir", "can t make it", "cant make it", "won t make it", "call off", "ghairi*", "sitakuja", "sitaweza kuja", "futa miadi"]),
        (Intent.MyAppointments, ["mis citas", "cuando es mi cita", "a que hora es mi cita", "tengo cita", "tengo una cita", "mi proxima cita", "my appointment*", "my booking*", "when is my", "do i have an appointment", "miadi yangu", "miadi zangu", "nina miadi"]),
        (Intent.Services, ["servicio*", "precio*", "cuanto cuesta", "cuanto cobran", "cuanto es", "cuanto sale", "cuanto vale", "costo*", "lista de precios", "menu", "si hacen", "que hacen", "que ofrecen", "services", "price*", "how much", "cost*", "do you do", "bei", "gharama", "huduma", "pesa ngapi", "mnafanya"]),
        (Intent.Hours, ["a que hora abren", "a que hora cierran", "abren", "cierran", "horario*", "abierto*", "hours", "open", "opening", "closing", "when do you close", "mnafungua", "mnafunga", "mko wazi"]),
        (Intent.Location, ["donde estan", "donde se encuentran", "donde queda*", "donde se ubican", "ubicacion", "ubicados", "direccion", "como llego", "where are you", "where is", "address", "location", "directions", "located", "mko wapi", "wapi", "mahali", "mapa", "maps", "ramani"]),
        (Intent.Human, ["hablar con", "una persona", "persona real", "humano", "asesor", "encargado", "el dueno", "agent", "human", "real person", "talk to", "speak to", "speak with", "representative", "owner", "manager", "kuongea na", "mtu halisi", "binadamu"]),
        (Intent.Thanks, ["gracias", "te agradezco", "thank*", "ty", "asante*", "shukran*"]),
        (Intent.Bye, ["adios", "hasta luego", "hasta pronto", "nos vemos", "chao", "chau", "bye", "goodbye", "see you", "see ya", "take care", "cuidate", "bai", "kwaheri", "tutaonana"]),
        (Intent.MyAgenda, ["que tengo", "mi agenda", "mis citas de hoy", "a quien tengo", "my schedule", "my agenda", "what do i have", "who do i have", "ratiba yangu", "nina nini", "nina wateja"]),
        (Intent.BusinessAgenda, ["agenda de todos", "agenda general", "agenda del negocio", "agenda de la barberia", "agenda del salon", "todas las citas", "citas de todos", "business schedule", "everyone s schedule", "everyones schedule", "all appointments", "whole schedule", "full schedule", "shop schedule", "ratiba ya wote", "ratiba ya biashara"]),
        (Intent.BlockTime, ["bloque*", "block*", "zuia", "funga saa", "no estoy disponible", "not available", "sitapatikana"]),
        (Intent.NoShow, ["no llego", "no vino", "no se presento", "no show", "noshow", "didn t show", "didnt show", "didn t come", "didnt come", "never showed", "never came", "hakuja", "hakufika"]),
        (Intent.Completed, ["ya termine", "termine con", "terminado", "terminada", "completad*", "completo la", "done with", "finished with", "completed", "mark done", "nimemaliza", "amemaliza", "imekamilika"]),
        (Intent.WalkIn, ["walk in", "walkin", "sin cita", "acaba de llegar", "llego alguien", "llego un cliente", "llego una clienta", "amefika mteja", "mteja amefika", "bila miadi"]),
        (Intent.CustomerHistory, ["historial", "history", "historia", "cuantas veces ha venido", "visitas de"]),
        (Intent.AddStaff, ["nuevo empleado", "nueva empleada", "nuevo barbero", "nuevo estilista", "new staff", "new employee", "new barber", "new stylist", "mfanyakazi mpya"]),
    ];

    private static readonly string[] StaffVerbs = ["agrega*", "agregar", "anad*", "add", "ongeza", "registra*", "dar de alta", "alta a"];
    private static readonly string[] StaffNouns = ["barbero", "barbera", "empleado", "empleada", "estilista", "manicurista", "trabajador", "staff", "employee", "barber", "stylist", "mfanyakazi", "kinyozi", "msusi"];

    private static readonly HashSet<Intent> Social = [Intent.Greeting, Intent.Thanks, Intent.Bye];
    private static readonly HashSet<Intent> OverBook =
    [
        Intent.Reschedule, Intent.Cancel, Intent.MyAppointments, Intent.Human, Intent.MyAgenda, Intent.BusinessAgenda,
        Intent.BlockTime, Intent.NoShow, Intent.Completed, Intent.WalkIn, Intent.CustomerHistory, Intent.AddStaff,
    ];

    public static IReadOnlyList<Intent> Read(string[] w, bool namesService)
    {
        var scores = new Dictionary<Intent, double>();
        foreach (var (intent, phrases) in Table)
        {
            foreach (var phrase in phrases)
            {
                if (Contains(w, phrase))
                {
                    var length = phrase.Count(c => c == ' ') + 1;
                    scores[intent] = scores.GetValueOrDefault(intent) + 1 + (0.5 * (length - 1));
                }
            }
        }

        if (StaffVerbs.Any(v => Contains(w, v)) && StaffNouns.Any(n => Contains(w, n)))
        {
            scores[Intent.AddStaff] = scores.GetValueOrDefault(Intent.AddStaff) + 2;
        }

        // "hablar con" a staff name is a handoff; "termine con Juan" is not.
        if (scores.ContainsKey(Intent.Completed))
        {
            scores.Remove(Intent.Human);
        }

        if (scores.ContainsKey(Intent.Reschedule) || scores.ContainsKey(Intent.Cancel))
        {
            scores.Remove(Intent.MyAppointments);
        }

        if (scores.Keys.Any(OverBook.Contains))
        {
            scores.Remove(Intent.Book);
        }
        else if (namesService && !scores.Keys.Any(k => !Social.Contains(k)))
        {
            scores[Intent.Book] = 0.5;
        }

        return [.. scores
            .OrderBy(kv => Social.Contains(kv.Key) ? 1 : 0)
            .ThenByDescending(kv => kv.Value)
            .ThenBy(kv => (int)kv.Key)
            .Select(kv => kv.Key)];
    }

    public static bool IsIntentWord(string word) =>
        Table.Any(t => t.Phrases.Any(p => !p.Contains(' ', StringComparison.Ordinal) && Word(word, p)));

    internal static bool Contains(string[] w, string phrase)
    {
        var p = phrase.Split(' ');
        for (var i = 0; i + p.Length <= w.Length; i++)
        {
            var all = true;
            for (var k = 0; k < p.Length && all; k++)
            {
                all = Word(w[i + k], p[k]);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Word(string token, string pattern)
    {
        if (pattern.EndsWith('*'))
        {
            var prefix = pattern[..^1];
            return token.StartsWith(prefix, StringComparison.Ordinal)
                || (prefix.Length >= 6 && token.Length >= prefix.Length && ServiceMatcher.Distance(token[..prefix.Length], prefix, 1) <= 1);
        }

        if (token == pattern)
        {
            return true;
        }

        return pattern.Length >= 6 && Math.Abs(token.Length - pattern.Length) <= 1 && ServiceMatcher.Distance(token, pattern, 1) <= 1;
    }
}
