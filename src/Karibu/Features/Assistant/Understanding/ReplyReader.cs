using System.Globalization;

namespace Karibu.Features.Assistant.Understanding;

/// <summary>
/// Short replies: yes/no and a pick from a numbered list.
/// <list type="bullet">
/// <item>Yes/No is read only when the message starts with a yes/no word (sí, ok, va, dale, yes, ndio, sawa…;
/// no, nel, hapana…) and that word is the whole message, is followed by punctuation ("Si, dile que…"), by another
/// reply word ("sí perfecto gracias", "no solo las 4"), or the message has at most two words. So "no puedo el
/// sábado" is not a plain No (null). "la" is No only as the whole message (it is a Spanish article).
/// 👍 👌 ✅ alone are Yes; 👎 ✋ ❌ alone are No.</item>
/// <item>Choice: a message that is just a number 1–20 ("2", "#2"), "el 2", "opción 2", "number 3", ordinals
/// ("la primera", "the 2nd", "2da", "ya pili"). A number read as part of a date or time is never a choice.</item>
/// </list>
/// </summary>
internal static class ReplyReader
{
    private static readonly HashSet<string> YesWords = new(StringComparer.Ordinal)
    {
        "si", "sip", "claro", "ok", "va", "vale", "dale", "sale", "correcto", "perfecto", "exacto", "confirmo",
        "confirmado", "simon", "orale", "listo", "yes", "yep", "yup", "yeah", "ya", "sure", "alright", "ndio",
        "sawa", "poa", "fine", "okay", "bueno",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal)
    {
        "no", "nop", "nope", "nel", "nah", "hapana", "negativo", "nada",
    };

    private static readonly HashSet<string> Followers = new(StringComparer.Ordinal)
    {
        "gracias", "thanks", "thank", "asante", "please", "porfavor", "por", "favor", "solo", "mejor", "bro", "amigo",
        "muchas", "sana", "tafadhali", "de", "acuerdo", "esta", "bien", "por", "supuesto", "thx", "you", "sir",
        "gracia", "jefe", "joven", "senor", "senorita",
    };

    public static bool IsReplyWord(string word) =>
        YesWords.Contains(word) || NoWords.Contains(word) || Ordinals.ContainsKey(word) || SwahiliOrdinals.ContainsKey(word);

    public static bool? YesNo(string raw, string[] w)
    {
        if (w.Length == 0)
        {
            var trimmed = raw.Trim();
            if (trimmed.Length == 0)
            {
                return null;
            }

            if (trimmed.Contains("👍", StringComparison.Ordinal) || trimmed.Contains("👌", StringComparison.Ordinal) || trimmed.Contains('✅'))
            {
                return true;
            }

            if (trimmed.Contains("👎", StringComparison.Ordinal) || trimmed.Contains('✋') || trimmed.Contains('❌'))
            {
                return false;
            }

            return null;
        }

        if (w.Length == 1 && w[0] == "la")
        {
            return false;
        }

        bool? value = null;
        var length = 1;
        if (w.Length >= 2 && ((w[0] == "de" && w[1] == "acuerdo") || (w[0] == "por" && w[1] == "supuesto") || (w[0] == "esta" && w[1] == "bien") || (w[0] == "all" && w[1] == "right")))
        {
            value = true;
            length = 2;
        }
        else if (w.Length >= 3 && w[0] == "claro" && w[1] == "que" && w[2] == "si")
        {
            value = true;
            length = 3;
        }
        else if (YesWords.Contains(w[0]))
        {
            value = true;
        }
        else if (NoWords.Contains(w[0]))
        {
            value = false;
        }

        if (value is null)
        {
            return null;
        }

        // "ya" is "already" in Spanish and "of" in Swahili: a yes only as the whole message.
        if (w[0] == "ya" && w.Length > 1)
        {
            return null;
        }

        if (w.Length <= Math.Max(2, length) || PunctuatedAfterFirstWord(raw))
        {
            return value;
        }

        var next = w[length];
        return Followers.Contains(next) || YesWords.Contains(next) || NoWords.Contains(next) ? value : null;
    }

    private static bool PunctuatedAfterFirstWord(string raw)
    {
        var i = 0;
        while (i < raw.Length && !char.IsLetter(raw[i]))
        {
            i++;
        }

        while (i < raw.Length && (char.IsLetter(raw[i]) || char.GetUnicodeCategory(raw[i]) == UnicodeCategory.NonSpacingMark))
        {
            i++;
        }

        return i < raw.Length && raw[i] is ',' or '.' or '!' or ';' or '…';
    }

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["primera"] = 1, ["primero"] = 1, ["primer"] = 1, ["segunda"] = 2, ["segundo"] = 2, ["tercera"] = 3, ["tercero"] = 3,
        ["tercer"] = 3, ["cuarta"] = 4, ["cuarto"] = 4, ["quinta"] = 5, ["quinto"] = 5,
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5,
    };

    private static readonly Dictionary<string, int> SwahiliOrdinals = new(StringComparer.Ordinal)
    {
        ["kwanza"] = 1, ["pili"] = 2, ["tatu"] = 3, ["nne"] = 4, ["tano"] = 5,
    };

    private static readonly HashSet<string> OrdinalSuffixes = new(StringComparer.Ordinal)
    {
        "a", "o", "ra", "ro", "er", "era", "da", "do", "ta", "to", "st", "nd", "rd", "th",
    };

    public static int? Choice(string[] w, bool[] used)
    {
        if (w.Length == 0)
        {
            return null;
        }

        if (w.Length == 1 && Number(w[0]) is { } only && !used[0])
        {
            return only;
        }

        for (var i = 0; i < w.Length; i++)
        {
            if (used[i])
            {
                continue;
            }

            var prev = i > 0 ? w[i - 1] : string.Empty;
            var article = prev is "la" or "el" or "lo" or "the" or "opcion" or "option" or "number" or "numero" or "num" or "namba" or "nambari" or "chaguo";

            if (Number(w[i]) is { } n)
            {
                var suffixed = i + 1 < w.Length && OrdinalSuffixes.Contains(w[i + 1]);
                var clockAfter = i + 1 < w.Length && w[i + 1] is "am" or "pm" or "hrs" or "h" or "y" or "menos" or "de" or "a";
                if (suffixed || (article && !clockAfter))
                {
                    return n;
                }

                continue;
            }

            if (Ordinals.TryGetValue(w[i], out var ordinal) && prev is not ("y" or "menos") && (article || w.Length <= 3))
            {
                return ordinal;
            }

            if (prev == "ya" && SwahiliOrdinals.TryGetValue(w[i], out var sw))
            {
                return sw;
            }
        }

        return null;
    }

    private static int? Number(string token) =>
        token.Length <= 2 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 20 ? n : null;
}
