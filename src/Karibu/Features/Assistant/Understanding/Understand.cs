using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;

namespace Karibu.Features.Assistant.Understanding;

/// <summary>
/// The guided engine's reader: a pure, deterministic function from one WhatsApp message to what it says
/// (intents, date, time, yes/no, a pick from a numbered list, services, name, phone, language). No I/O;
/// "today" is a parameter. Rules are documented on the readers (<see cref="WhenReader"/>,
/// <see cref="ReplyReader"/>, <see cref="ServiceMatcher"/>, <see cref="IntentReader"/>).
/// </summary>
internal static partial class Understand
{
    /// <summary>Longer messages are read only up to this many characters (WhatsApp messages are short).</summary>
    public const int MaxLength = 2000;

    public static Understood Read(string text, LocalDate today, IReadOnlyList<ServiceOption> services, Language businessLanguage)
    {
        ArgumentNullException.ThrowIfNull(services);
        var raw = text ?? string.Empty;
        if (raw.Length > MaxLength)
        {
            // A long story usually ends with the request ("…quiero un corte mañana"): keep its start and its end.
            raw = string.Concat(raw.AsSpan(0, MaxLength / 2), " ", raw.AsSpan(raw.Length - (MaxLength / 2)));
        }

        var phone = FindPhone(raw);
        var withoutPhone = phone is null ? raw : raw.Replace(phone, " ", StringComparison.Ordinal);
        var words = Tokens(Normalize(withoutPhone));

        var language = Lexicon.Detect(words, businessLanguage);
        var when = WhenReader.Read(words, today);
        var choice = ReplyReader.Choice(words, when.Used);
        var time = when.Time;
        var yes = ReplyReader.YesNo(raw, words);
        var matches = ServiceMatcher.Match(words, services);
        var intents = IntentReader.Read(words, matches.Count > 0);
        var name = NameReader.Read(withoutPhone);
        if (name is not null && when.Date == today && words.Contains("leo") && name.Contains("Leo", StringComparison.OrdinalIgnoreCase))
        {
            when = when with { Date = null };
        }

        return new Understood(intents, when.Date, when.PartOfDay, time, when.Range, yes, choice, matches, name, phone, language);
    }

    /// <summary>
    /// A bare 1–3 word name, for when the assistant has just asked for one ("Juan Pérez"); null when the
    /// text has digits or known words (greetings, yes/no, dates, services…).
    /// </summary>
    public static string? NameOnly(string text) => NameReader.Bare(text, requireCapitals: false);

    /// <summary>
    /// Lower-case, accents removed (ñ → n), punctuation → spaces (but <c>16:00</c>, <c>10.30</c> → <c>10:30</c>,
    /// <c>15/01</c> and <c>2-3</c> are kept), digits split from letters (<c>4pm</c> → <c>4 pm</c>), letters
    /// repeated 3+ times collapsed (<c>siii</c> → <c>si</c>), whitespace collapsed, and common WhatsApp spellings
    /// expanded (<c>q</c> → <c>que</c>, <c>xq</c> → <c>porque</c>, <c>mñn</c> → <c>manana</c>, <c>grax</c> → <c>gracias</c>).
    /// </summary>
    public static string Normalize(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var chars = new StringBuilder(decomposed.Length + 8);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                chars.Append(c);
            }
        }

        var s = chars.ToString();
        var sb = new StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var prev = sb.Length > 0 ? sb[^1] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                var lower = char.ToLowerInvariant(c);
                if ((char.IsDigit(lower) && char.IsLetter(prev)) || (char.IsLetter(lower) && char.IsDigit(prev)))
                {
                    sb.Append(' ');
                }

                sb.Append(lower);
            }
            else if (c is ':' or '/' or '-' or '.' && char.IsDigit(prev) && i + 1 < s.Length && char.IsDigit(s[i + 1]))
            {
                sb.Append(c == '.' ? ':' : c);
            }
            else if (c == '-' && char.IsLetter(prev) && i + 1 < s.Length && char.IsDigit(s[i + 1]))
            {
                sb.Append(" - ");
            }
            else
            {
                sb.Append(' ');
            }
        }

        // Collapse letters repeated 3+ times: "siii" → "si", "holaaa" → "hola".
        var tokens = Repeats().Replace(sb.ToString(), "$1").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var output = new List<string>(tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = CollapseDoubles(tokens[i]);
            if (Spellings.TryGetValue(token, out var spelled))
            {
                token = spelled;
            }

            // "4 p m" / "4 a m" → "4 pm" / "4 am".
            if (token is "p" or "a" && i + 1 < tokens.Length && tokens[i + 1] == "m" && output.Count > 0 && char.IsDigit(output[^1][^1]))
            {
                output.Add(token + "m");
                i++;
                continue;
            }

            output.Add(token);
        }

        return string.Join(' ', output);
    }

    internal static string[] Tokens(string normalized)
    {
        var list = new List<string>();
        foreach (var token in normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // "2-3" is a range; ISO dates (2026-11-22) stay whole.
            if (token.Contains('-', StringComparison.Ordinal) && !IsoDate().IsMatch(token))
            {
                var parts = token.Split('-');
                for (var p = 0; p < parts.Length; p++)
                {
                    if (p > 0)
                    {
                        list.Add("-");
                    }

                    if (parts[p].Length > 0)
                    {
                        list.Add(parts[p]);
                    }
                }
            }
            else
            {
                list.Add(token);
            }
        }

        return [.. list];
    }

    /// <summary>A phone number (8–15 digits, optionally with +, spaces, dashes, dots or parentheses), as typed.</summary>
    internal static string? FindPhone(string raw)
    {
        foreach (Match m in PhonePattern().Matches(raw))
        {
            var digits = m.Value.Count(char.IsDigit);
            if (digits is >= 8 and <= 15 && !IsoDate().IsMatch(m.Value.Trim()))
            {
                return m.Value.Trim();
            }
        }

        return null;
    }

    // "sii"/"noo" after the 3+ collapse: only whole-word spellings that are doubled by habit.
    private static string CollapseDoubles(string token) => token switch
    {
        "sii" => "si",
        "noo" => "no",
        "okk" => "ok",
        _ => token,
    };

    private static readonly Dictionary<string, string> Spellings = new(StringComparer.Ordinal)
    {
        ["q"] = "que",
        ["k"] = "que",
        ["ke"] = "que",
        ["xq"] = "porque",
        ["pq"] = "porque",
        ["porq"] = "porque",
        ["xk"] = "porque",
        ["tmb"] = "tambien",
        ["tb"] = "tambien",
        ["mnn"] = "manana",
        ["mna"] = "manana",
        ["mnna"] = "manana",
        ["manan"] = "manana",
        ["maniana"] = "manana",
        ["okay"] = "ok",
        ["okey"] = "ok",
        ["oki"] = "ok",
        ["okis"] = "ok",
        ["oka"] = "ok",
        ["grax"] = "gracias",
        ["grx"] = "gracias",
        ["grasias"] = "gracias",
        ["gracis"] = "gracias",
        ["thx"] = "thanks",
        ["thnx"] = "thanks",
        ["tnx"] = "thanks",
        ["thanx"] = "thanks",
        ["pls"] = "please",
        ["plz"] = "please",
        ["porfa"] = "porfavor",
        ["xfa"] = "porfavor",
        ["xfavor"] = "porfavor",
        ["d"] = "de",
        ["kiero"] = "quiero",
        ["qiero"] = "quiero",
        ["qero"] = "quiero",
        ["ola"] = "hola",
        ["bn"] = "bien",
        ["dnd"] = "donde",
        ["tqm"] = "te quiero",
        ["msj"] = "mensaje",
        ["hr"] = "hrs",
        ["hs"] = "hrs",
        ["horas"] = "hrs",
        ["tmrw"] = "tomorrow",
        ["tmr"] = "tomorrow",
        ["tomoro"] = "tomorrow",
        ["tommorow"] = "tomorrow",
        ["tomorow"] = "tomorrow",
        ["u"] = "you",
        ["ur"] = "your",
        ["r"] = "are",
        ["im"] = "i m",
        ["ndo"] = "ndio",
        ["ndiyo"] = "ndio",
        ["apointment"] = "appointment",
        ["appoinment"] = "appointment",
        ["appt"] = "appointment",
    };

    [GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2}$", RegexOptions.CultureInvariant)]
    internal static partial Regex IsoDate();

    [GeneratedRegex(@"(\p{L})\1{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Repeats();

    [GeneratedRegex(@"(?<!\d)\+?\(?\d(?:[ \-.()]{0,2}\d){7,16}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
