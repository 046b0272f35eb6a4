using NodaTime;

namespace Karibu.Features.Assistant.Understanding;

/// <summary>Word lists shared by the readers (all normalized: lower-case, no accents).</summary>
internal static class Lexicon
{
    public static readonly Dictionary<string, IsoDayOfWeek> Weekdays = new(StringComparer.Ordinal)
    {
        ["lunes"] = IsoDayOfWeek.Monday,
        ["martes"] = IsoDayOfWeek.Tuesday,
        ["miercoles"] = IsoDayOfWeek.Wednesday,
        ["jueves"] = IsoDayOfWeek.Thursday,
        ["viernes"] = IsoDayOfWeek.Friday,
        ["sabado"] = IsoDayOfWeek.Saturday,
        ["domingo"] = IsoDayOfWeek.Sunday,
        ["monday"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday,
        ["jumatatu"] = IsoDayOfWeek.Monday,
        ["jumanne"] = IsoDayOfWeek.Tuesday,
        ["jumatano"] = IsoDayOfWeek.Wednesday,
        ["alhamisi"] = IsoDayOfWeek.Thursday,
        ["ijumaa"] = IsoDayOfWeek.Friday,
        ["jumamosi"] = IsoDayOfWeek.Saturday,
        ["jumapili"] = IsoDayOfWeek.Sunday,
    };

    public static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["enero"] = 1, ["febrero"] = 2, ["marzo"] = 3, ["abril"] = 4, ["mayo"] = 5, ["junio"] = 6, ["julio"] = 7,
        ["agosto"] = 8, ["septiembre"] = 9, ["setiembre"] = 9, ["octubre"] = 10, ["noviembre"] = 11, ["diciembre"] = 12,
        ["january"] = 1, ["february"] = 2, ["march"] = 3, ["april"] = 4, ["may"] = 5, ["june"] = 6, ["july"] = 7,
        ["august"] = 8, ["september"] = 9, ["october"] = 10, ["november"] = 11, ["december"] = 12,
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["jun"] = 6, ["jul"] = 7, ["aug"] = 8, ["sep"] = 9,
        ["sept"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12, ["ene"] = 1, ["abr"] = 4, ["ago"] = 8, ["dic"] = 12,
        ["januari"] = 1, ["februari"] = 2, ["machi"] = 3, ["aprili"] = 4, ["mei"] = 5, ["juni"] = 6, ["julai"] = 7,
        ["agosti"] = 8, ["septemba"] = 9, ["oktoba"] = 10, ["novemba"] = 11, ["desemba"] = 12,
    };

    public static readonly Dictionary<string, int> SpanishNumbers = new(StringComparer.Ordinal)
    {
        ["una"] = 1, ["uno"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6,
        ["siete"] = 7, ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["once"] = 11, ["doce"] = 12,
    };

    public static readonly Dictionary<string, int> EnglishNumbers = new(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
    };

    private static readonly Dictionary<string, int> SwahiliUnits = new(StringComparer.Ordinal)
    {
        ["moja"] = 1, ["mbili"] = 2, ["tatu"] = 3, ["nne"] = 4, ["tano"] = 5, ["sita"] = 6,
        ["saba"] = 7, ["nane"] = 8, ["tisa"] = 9, ["kumi"] = 10,
    };

    /// <summary>Swahili 1–12: moja … kumi, "kumi na moja" (11), "kumi na mbili" (12).</summary>
    public static bool SwahiliNumber(string[] w, int i, out int value, out int length)
    {
        value = 0;
        length = 0;
        if (i >= w.Length || !SwahiliUnits.TryGetValue(w[i], out value))
        {
            return false;
        }

        length = 1;
        if (value == 10 && i + 2 < w.Length && w[i + 1] == "na" && w[i + 2] is "moja" or "mbili")
        {
            value = w[i + 2] == "moja" ? 11 : 12;
            length = 3;
        }

        return true;
    }

    private static readonly HashSet<string> Spanish = new(StringComparer.Ordinal)
    {
        "hola", "buenas", "buenos", "dias", "tardes", "noches", "quiero", "cita", "citas", "agendar", "para", "por", "que",
        "de", "el", "los", "las", "una", "un", "mi", "mis", "con", "hoy", "manana", "tarde", "noche", "gracias", "adios",
        "donde", "estan", "cuanto", "cuesta", "precio", "precios", "servicios", "horario", "abren", "cierran", "cancelar",
        "cambiar", "necesito", "puedo", "tengo", "tienen", "hay", "es", "esta", "este", "lunes", "martes", "miercoles",
        "jueves", "viernes", "sabado", "domingo", "corte", "barba", "unas", "pelo", "cabello", "llamo", "soy", "nombre",
        "si", "claro", "vale", "dale", "sale", "perfecto", "correcto", "nel", "bloquea", "bloquear", "llego", "termine",
        "persona", "hablar", "primera", "segunda", "tercera", "media", "cuarto", "y", "en", "del", "mediodia", "pasado",
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
        "diciembre", "ya", "voy", "ir", "porfavor", "favor", "agrega", "como", "historial", "tambien", "porque", "bien",
        "opcion", "dia", "semana", "proximo", "proxima", "trenzas", "tinte", "unas", "humano", "direccion", "ubicacion",
    };

    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "the", "i", "want", "would", "like", "appointment", "appointments", "book", "booking",
        "my", "to", "at", "is", "are", "you", "your", "please", "cancel", "reschedule", "what", "where", "when", "how",
        "much", "price", "prices", "services", "hours", "open", "today", "tomorrow", "morning", "afternoon", "evening",
        "night", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "thanks",
        "thank", "bye", "goodbye", "yes", "yep", "yeah", "sure", "name", "haircut", "beard", "nails", "braids", "can",
        "do", "have", "next", "this", "first", "second", "third", "number", "option", "agent", "human", "person",
        "talk", "speak", "with", "for", "an", "and", "of", "it", "me", "m", "d", "schedule", "block", "done", "noon",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "day", "after", "from", "am", "pm", "cut", "walk", "history", "add", "staff", "barber", "nope",
        "good", "address", "location", "there", "cost", "much", "get", "need", "change", "move", "week",
    };

    private static readonly HashSet<string> Swahili = new(StringComparer.Ordinal)
    {
        "habari", "mambo", "jambo", "hujambo", "sasa", "niaje", "nataka", "kunyoa", "kunyolewa", "nywele", "miadi",
        "kupanga", "leo", "kesho", "kutwa", "asubuhi", "mchana", "jioni", "usiku", "alasiri", "saa", "ngapi", "wapi",
        "mko", "bei", "asante", "sana", "kwaheri", "ndio", "sawa", "poa", "hapana", "jina", "langu", "ni", "naitwa",
        "jumatatu", "jumanne", "jumatano", "alhamisi", "ijumaa", "jumamosi", "jumapili", "ijayo", "hii", "tarehe",
        "moja", "mbili", "tatu", "nne", "tano", "sita", "saba", "nane", "tisa", "kumi", "nusu", "robo", "kwanza",
        "pili", "kuongea", "mtu", "ghairi", "badilisha", "yangu", "wangu", "mnafungua", "mnafunga", "kusuka", "kucha",
        "ndevu", "hadi", "kutoka", "mpaka", "na", "ya", "za", "wa", "kwa", "nini", "gani", "tafadhali", "huduma",
        "nina", "ongeza", "mfanyakazi", "hakuja", "hakufika", "nimemaliza", "zuia", "funga", "ratiba", "mteja",
        "mimi", "wewe", "nyinyi", "karibu", "shikamoo", "salama", "vipi", "kuja", "siwezi", "sitaweza", "hamisha",
    };

    /// <summary>
    /// The language with the most vocabulary hits; on a tie the business's language if it is among the tied,
    /// else null. Null when no word is evidence ("4", "ok", "👍", a bare name).
    /// </summary>
    public static Language? Detect(string[] words, Language businessLanguage)
    {
        int es = 0, en = 0, sw = 0;
        foreach (var word in words)
        {
            es += Spanish.Contains(word) ? 1 : 0;
            en += English.Contains(word) ? 1 : 0;
            sw += Swahili.Contains(word) ? 1 : 0;
        }

        var max = Math.Max(es, Math.Max(en, sw));
        if (max == 0)
        {
            return null;
        }

        var tied = new List<Language>(3);
        if (es == max)
        {
            tied.Add(Language.Es);
        }

        if (en == max)
        {
            tied.Add(Language.En);
        }

        if (sw == max)
        {
            tied.Add(Language.Sw);
        }

        if (tied.Count == 1)
        {
            return tied[0];
        }

        return tied.Contains(businessLanguage) ? businessLanguage : null;
    }

    /// <summary>Every word the readers treat as vocabulary (a bare name must not be one of these).</summary>
    public static bool IsKnownWord(string word) =>
        Spanish.Contains(word) || English.Contains(word) || Swahili.Contains(word) || Weekdays.ContainsKey(word) || Months.ContainsKey(word);
}
