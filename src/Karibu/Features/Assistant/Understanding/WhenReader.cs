using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace Karibu.Features.Assistant.Understanding;

internal sealed record WhenResult(LocalDate? Date, PartOfDay? PartOfDay, LocalTime? Time, TimeRange? Range, bool[] Used);

/// <summary>
/// Reads dates, parts of the day, clock times and time ranges from normalized tokens.
/// <list type="bullet">
/// <item>Dates are relative to <c>today</c>; weeks start on Monday. A bare weekday ("el sábado", "Saturday",
/// "Jumamosi") is the next such day strictly after today; it is today only with "hoy"/"este"/"esta"/"this"/"hii".
/// "próximo"/"next"/"ijayo" mean the same as the bare weekday (the next one after today); "de la próxima
/// semana"/"next week"/"wiki ijayo" mean that weekday in next Monday-to-Sunday week.</item>
/// <item>"el viernes 15": among the 15th of this month (if not past), the next month and the one after, the first
/// that is a Friday; if none is, the nearest 15th (the day number wins over the weekday).</item>
/// <item>"15 de enero", "January 15", "15 Jan", "15/01" (day/month): the next such date on or after today.</item>
/// <item>"mañana" is tomorrow, except after "la"/"las" ("en la mañana", "por la mañana", "de la mañana"), which
/// is the morning.</item>
/// <item>Clock times without am/pm or a part of the day ("a las 4", "4:30"): 1–7 are afternoon (13–19h),
/// 8–11 morning, 12 noon, 13–23 as written; with "am"/"de la mañana"/"asubuhi" as written, with
/// "pm"/"de la tarde"/"de la noche" +12. "hrs"/"horas" mean 24-hour time.</item>
/// <item>Swahili time ("saa N"): hours count from 06:00, so saa moja = 07:00, saa nne = 10:00, saa sita = 12:00,
/// saa tisa = 15:00, saa kumi na mbili = 18:00. "asubuhi" keeps the result before noon (saa kumi na mbili asubuhi
/// = 06:00); "jioni"/"usiku" move saa 1–6 to the night (saa mbili usiku = 20:00, saa moja jioni = 19:00).
/// "saa 4 pm" (with am/pm) is read as an ordinary clock.</item>
/// <item>A bare number with no marker ("4") is never a time (it is a pick from a list, see <see cref="ReplyReader"/>).
/// When a range is read, <see cref="WhenResult.Time"/> is null.</item>
/// </list>
/// </summary>
internal static partial class WhenReader
{
    private enum Meridiem
    {
        None,
        Am,
        Pm,
        H24,
    }

    private sealed record Clock(int Start, int End, int Hour, int Minute, int Offset, Meridiem Meridiem, PartOfDay? Part, bool Swahili);

    public static WhenResult Read(string[] w, LocalDate today)
    {
        var used = new bool[w.Length];
        var date = ReadDate(w, used, today);
        var part = ReadPartOfDay(w, out var impliesToday);
        if (date is null && impliesToday)
        {
            date = today;
        }

        var range = ReadRange(w, used, part);
        LocalTime? time = null;
        if (range is null)
        {
            time = ReadTime(w, used, part);
        }

        return new WhenResult(date, part, time, range, used);
    }

    // ---------- dates ----------

    private static LocalDate? ReadDate(string[] w, bool[] used, LocalDate today)
    {
        var nextWeek = HasPhrase(w, "proxima semana") || HasPhrase(w, "semana que viene") || HasPhrase(w, "siguiente semana")
            || HasPhrase(w, "otra semana") || HasPhrase(w, "next week") || HasPhrase(w, "wiki ijayo") || HasPhrase(w, "wiki ijao");
        var thisWord = w.Any(t => t is "hoy" or "este" or "esta" or "this" or "hii" or "leo");

        for (var i = 0; i < w.Length; i++)
        {
            var t = w[i];
            if (Understand.IsoDate().IsMatch(t))
            {
                var parts = t.Split('-');
                used[i] = true;
                return Make(Int(parts[0]), Int(parts[1]), Int(parts[2]));
            }

            var slash = SlashDate().Match(t);
            if (slash.Success)
            {
                used[i] = true;
                var day = Int(slash.Groups[1].Value);
                var month = Int(slash.Groups[2].Value);
                if (slash.Groups[3].Success)
                {
                    var year = Int(slash.Groups[3].Value);
                    return Make(year < 100 ? 2000 + year : year, month, day);
                }

                return NextMonthDay(today, month, day);
            }
        }

        // Month names with a day number: "15 de enero", "enero 15", "January 15th", "15th of Jan", "tarehe 15 Januari".
        for (var i = 0; i < w.Length; i++)
        {
            if (!Lexicon.Months.TryGetValue(w[i], out var month))
            {
                continue;
            }

            int? year = null;
            if (i + 1 < w.Length && YearAt(w, i + 1, out var y, out var yearLength))
            {
                year = y;
                Mark(used, i + 1, yearLength);
            }

            var before = DayBefore(w, i);
            if (before is { } b)
            {
                Mark(used, b.Index, i - b.Index + 1);
                return year is { } yy ? Make(yy, month, b.Day) : NextMonthDay(today, month, b.Day);
            }

            if (DayAfter(w, i) is { } a)
            {
                Mark(used, i, a.Length + 1);
                return NextMonthDay(today, month, a.Day);
            }
        }

        for (var i = 0; i < w.Length; i++)
        {
            var t = w[i];
            switch (t)
            {
                case "hoy" or "today":
                    used[i] = true;
                    return today;
                case "leo" when i == 0 || w[i - 1] is not ("llamo" or "soy" or "is" or "am" or "ni" or "naitwa" or "a"):
                    used[i] = true;
                    return today;
                case "tonight":
                    used[i] = true;
                    return today;
                case "ayer" or "yesterday" or "jana":
                    used[i] = true;
                    return today.PlusDays(-1);
                case "tomorrow":
                    used[i] = true;
                    if (i >= 2 && w[i - 1] == "after" && w[i - 2] == "day")
                    {
                        Mark(used, i - 2, 3);
                        return today.PlusDays(2);
                    }

                    return today.PlusDays(1);
                case "kesho":
                    used[i] = true;
                    if (i + 1 < w.Length && w[i + 1] == "kutwa")
                    {
                        used[i + 1] = true;
                        return today.PlusDays(2);
                    }

                    return today.PlusDays(1);
                case "manana" when i == 0 || w[i - 1] is not ("la" or "las" or "good" or "buen"):
                    used[i] = true;
                    if (i > 0 && w[i - 1] == "pasado")
                    {
                        used[i - 1] = true;
                        return today.PlusDays(2);
                    }

                    return today.PlusDays(1);
                default:
                    break;
            }

            if (Lexicon.Weekdays.TryGetValue(t, out var dow))
            {
                used[i] = true;
                // "el viernes 15" / "friday the 15th"
                var k = i + 1;
                if (k < w.Length && w[k] is "the" or "tarehe")
                {
                    k++;
                }

                if (k < w.Length && DayNumber(w[k]) is { } dayNumber && !IsClockFollower(w, k + 1) && !(k > 0 && w[k - 1] is "las" or "saa" or "at"))
                {
                    var suffix = k + 1 < w.Length && w[k + 1] is "th" or "st" or "nd" or "rd" ? 1 : 0;
                    Mark(used, i, k - i + 1 + suffix);
                    return NextDayNumber(today, dayNumber, dow);
                }

                var isThis = (i > 0 && w[i - 1] is "este" or "esta" or "this" or "hoy") || (i + 1 < w.Length && w[i + 1] is "hii" or "hoy") || (thisWord && dow == today.DayOfWeek && w.Contains("hoy"));
                if (nextWeek)
                {
                    var monday = today.PlusDays(8 - (int)today.DayOfWeek);
                    return monday.PlusDays((int)dow - 1);
                }

                var diff = ((int)dow - (int)today.DayOfWeek + 7) % 7;
                if (diff == 0 && !isThis)
                {
                    diff = 7;
                }

                return today.PlusDays(diff);
            }

            // "el día 15", "tarehe 15", "on the 15th"
            if (t is "dia" or "tarehe" && i + 1 < w.Length && DayNumber(w[i + 1]) is { } dn && !IsClockFollower(w, i + 2))
            {
                Mark(used, i, 2);
                return NextDayNumber(today, dn, null);
            }

            // "en 3 días", "in 3 days", "baada ya siku 3"
            if (t is "en" or "in" && i + 2 < w.Length && w[i + 2] is "dias" or "days" && int.TryParse(w[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 60)
            {
                Mark(used, i, 3);
                return today.PlusDays(n);
            }
        }

        return null;
    }

    private static (int Index, int Day)? DayBefore(string[] w, int monthIndex)
    {
        var j = monthIndex - 1;
        if (j >= 0 && w[j] is "de" or "of")
        {
            j--;
        }

        if (j >= 0 && w[j] is "th" or "st" or "nd" or "rd")
        {
            j--;
        }

        if (j >= 0 && DayNumber(w[j]) is { } day && !(j > 0 && w[j - 1] is "las" or "saa" or "at"))
        {
            if (j > 0 && w[j - 1] == "tarehe")
            {
                j--;
            }

            return (j, day);
        }

        return null;
    }

    private static (int Length, int Day)? DayAfter(string[] w, int monthIndex)
    {
        var j = monthIndex + 1;
        if (j < w.Length && w[j] == "the")
        {
            j++;
        }

        if (j < w.Length && DayNumber(w[j]) is { } day && !IsClockFollower(w, j + 1))
        {
            var length = j - monthIndex;
            if (j + 1 < w.Length && w[j + 1] is "th" or "st" or "nd" or "rd")
            {
                length++;
            }

            return (length, day);
        }

        return null;
    }

    private static bool YearAt(string[] w, int i, out int year, out int length)
    {
        var j = i;
        if (j < w.Length && w[j] is "de" or "del")
        {
            j++;
        }

        if (j < w.Length && w[j].Length == 4 && int.TryParse(w[j], NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 2000 and <= 2100)
        {
            length = j - i + 1;
            return true;
        }

        year = 0;
        length = 0;
        return false;
    }

    private static bool IsClockFollower(string[] w, int i) =>
        i < w.Length && (w[i] is "am" or "pm" or "hrs" or "h" or "y" or "menos" or "oclock" || w[i].Contains(':', StringComparison.Ordinal));

    private static int? DayNumber(string token) =>
        token.Length <= 2 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 31 ? d : null;

    private static LocalDate? NextMonthDay(LocalDate today, int month, int day)
    {
        for (var year = today.Year; year <= today.Year + 4; year++)
        {
            if (Make(year, month, day) is { } candidate && candidate >= today)
            {
                return candidate;
            }
        }

        return null;
    }

    private static LocalDate? NextDayNumber(LocalDate today, int day, IsoDayOfWeek? weekday)
    {
        var candidates = new List<LocalDate>();
        var first = new LocalDate(today.Year, today.Month, 1);
        for (var m = 0; m < 3; m++)
        {
            var month = first.PlusMonths(m);
            if (Make(month.Year, month.Month, day) is { } candidate && candidate >= today)
            {
                candidates.Add(candidate);
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        if (weekday is { } dow && candidates.FirstOrDefault(c => c.DayOfWeek == dow) is { } matching && matching != default)
        {
            return matching;
        }

        return candidates[0];
    }

    private static LocalDate? Make(int year, int month, int day)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return null;
        }

        return new LocalDate(year, month, day);
    }

    // ---------- parts of the day ----------

    private static PartOfDay? ReadPartOfDay(string[] w, out bool impliesToday)
    {
        impliesToday = false;
        for (var i = 0; i < w.Length; i++)
        {
            var prev = i > 0 ? w[i - 1] : string.Empty;
            var prev2 = i > 1 ? w[i - 2] : string.Empty;
            var greeting = prev is "buenas" or "buenos" or "good" or "buen" || (prev == "ya" && prev2 == "habari") || (i + 1 < w.Length && w[i + 1] == "mwema");
            if (greeting)
            {
                continue;
            }

            var datey = prev is "la" or "las" or "esta" or "hoy" or "manana" or "en" or "por" or "this" or "tomorrow" or "today" or "the"
                || Lexicon.Weekdays.ContainsKey(prev) || w.Length == 1;
            PartOfDay? found = w[i] switch
            {
                "manana" when prev is "la" or "las" || (prev == "esta" && i > 0) => PartOfDay.Morning,
                "mananas" => PartOfDay.Morning,
                "morning" or "asubuhi" => PartOfDay.Morning,
                "tarde" or "tardes" when datey => PartOfDay.Afternoon,
                "afternoon" or "mchana" or "alasiri" => PartOfDay.Afternoon,
                "noche" or "noches" when datey => PartOfDay.Evening,
                "evening" or "night" or "tonight" or "jioni" or "usiku" => PartOfDay.Evening,
                _ => null,
            };
            if (found is not null)
            {
                impliesToday = prev is "esta" or "this" || w[i] == "tonight";
                return found;
            }
        }

        return null;
    }

    // ---------- clock times ----------

    private static LocalTime? ReadTime(string[] w, bool[] used, PartOfDay? part)
    {
        for (var i = 0; i < w.Length; i++)
        {
            if (used[i])
            {
                continue;
            }

            if (w[i] is "mediodia" or "noon" or "midday" or "adhuhuri" || (w[i] == "medio" && i + 1 < w.Length && w[i + 1] == "dia"))
            {
                used[i] = true;
                return new LocalTime(12, 0);
            }

            if (w[i] is "medianoche" or "midnight")
            {
                used[i] = true;
                return new LocalTime(0, 0);
            }

            if (TryClock(w, used, i, allowBare: false) is { } clock)
            {
                Mark(used, clock.Start, clock.End - clock.Start);
                return Resolve(clock, part, null);
            }
        }

        return null;
    }

    private static TimeRange? ReadRange(string[] w, bool[] used, PartOfDay? part)
    {
        for (var i = 0; i < w.Length; i++)
        {
            if (used[i])
            {
                continue;
            }

            var prefix = w[i] is "de" or "desde" or "from" or "between" or "entre" or "kutoka" or "btw";
            var startAt = prefix ? i + 1 : i;
            if (startAt >= w.Length || TryClock(w, used, startAt, allowBare: true) is not { } start)
            {
                continue;
            }

            var c = start.End;
            if (c >= w.Length)
            {
                continue;
            }

            var between = w[i] is "entre" or "between";
            var connector = w[c] is "-" or "to" or "till" or "until" or "hasta" or "hadi" or "mpaka" || (prefix && w[c] == "a") || (between && w[c] is "y" or "and");
            if (!connector || TryClock(w, used, c + 1, allowBare: true) is not { } end)
            {
                continue;
            }

            if (!prefix && !start.Swahili && start.Meridiem == Meridiem.None && end.Meridiem == Meridiem.None && w[c] != "-" && !w[start.Start].Contains(':', StringComparison.Ordinal) && w[start.Start] is not ("las" or "a" or "at"))
            {
                // "quiero 2 to 3" is too weak without "de/from" — still accept digits with a connector word.
                if (!int.TryParse(w[start.Start], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }
            }

            var endTime = Resolve(end, part, null);
            var startTime = Resolve(start, part, end.Meridiem is Meridiem.Am or Meridiem.Pm && start.Meridiem == Meridiem.None ? end : null);
            if (endTime <= startTime && startTime.Hour >= 12 && start.Meridiem == Meridiem.None && !start.Swahili && startTime.PlusHours(-12) < endTime)
            {
                startTime = startTime.PlusHours(-12);
            }

            if (endTime <= startTime && end.Meridiem == Meridiem.None && !end.Swahili && endTime.Hour < 12 && endTime.PlusHours(12) > startTime)
            {
                endTime = endTime.PlusHours(12);
            }

            if (endTime <= startTime)
            {
                continue;
            }

            Mark(used, i, end.End - i);
            return new TimeRange(startTime, endTime);
        }

        return null;
    }

    private static Clock? TryClock(string[] w, bool[] used, int i, bool allowBare)
    {
        if (i >= w.Length || used[i])
        {
            return null;
        }

        var j = i;
        var marker = false;
        var swahili = false;
        var english = false;
        if (w[j] == "saa")
        {
            swahili = true;
            marker = true;
            j++;
        }
        else if (w[j] == "a" && j + 1 < w.Length && w[j + 1] is "las" or "la")
        {
            marker = true;
            j += 2;
        }
        else if (w[j] == "las" || (w[j] == "la" && j + 1 < w.Length && w[j + 1] is "una" or "1"))
        {
            marker = true;
            j++;
        }
        else if (w[j] is "at" or "@")
        {
            marker = true;
            english = true;
            j++;
            if (j < w.Length && w[j] is "around" or "about")
            {
                j++;
            }
        }

        if (j >= w.Length || used[j])
        {
            return null;
        }

        int hour;
        var minute = 0;
        var colon = false;
        var hm = HourMinute().Match(w[j]);
        if (hm.Success)
        {
            hour = Int(hm.Groups[1].Value);
            minute = Int(hm.Groups[2].Value);
            colon = true;
            j++;
        }
        else if (w[j].Length <= 2 && int.TryParse(w[j], NumberStyles.None, CultureInfo.InvariantCulture, out hour))
        {
            j++;
        }
        else if (swahili && Lexicon.SwahiliNumber(w, j, out hour, out var numberLength))
        {
            j += numberLength;
        }
        else if (marker && !swahili && (english ? Lexicon.EnglishNumbers : Lexicon.SpanishNumbers).TryGetValue(w[j], out hour))
        {
            j++;
        }
        else
        {
            return null;
        }

        if (hour > 24 || minute > 59 || (swahili && !colon && hour == 0))
        {
            return null;
        }

        // Minutes said in words.
        var offset = 0;
        if (j + 1 < w.Length && w[j] == "y" && w[j + 1] == "media")
        {
            offset = 30;
            j += 2;
        }
        else if (j + 1 < w.Length && w[j] == "y" && w[j + 1] == "cuarto")
        {
            offset = 15;
            j += 2;
        }
        else if (j + 1 < w.Length && w[j] == "menos" && w[j + 1] == "cuarto")
        {
            offset = -15;
            j += 2;
        }
        else if (j + 1 < w.Length && w[j] == "na" && w[j + 1] == "nusu")
        {
            offset = 30;
            j += 2;
        }
        else if (j + 1 < w.Length && w[j] == "na" && w[j + 1] == "robo")
        {
            offset = 15;
            j += 2;
        }
        else if (j < w.Length && w[j] == "kasorobo")
        {
            offset = -15;
            j++;
        }
        else if (j + 1 < w.Length && w[j] == "kasoro" && w[j + 1] == "robo")
        {
            offset = -15;
            j += 2;
        }

        var meridiem = Meridiem.None;
        PartOfDay? qualifier = null;
        if (j < w.Length)
        {
            switch (w[j])
            {
                case "am":
                    meridiem = Meridiem.Am;
                    j++;
                    break;
                case "pm":
                    meridiem = Meridiem.Pm;
                    j++;
                    break;
                case "hrs" or "h" or "oclock":
                    meridiem = w[j] == "oclock" ? Meridiem.None : Meridiem.H24;
                    j++;
                    break;
                default:
                    break;
            }
        }

        if (meridiem is Meridiem.None or Meridiem.H24)
        {
            qualifier = QualifierAt(w, j, out var qualifierLength);
            j += qualifierLength;
        }

        if (!marker && !colon && meridiem == Meridiem.None && qualifier is null && !allowBare)
        {
            return null;
        }

        if (meridiem is Meridiem.Am or Meridiem.Pm && hour > 12)
        {
            meridiem = Meridiem.H24;
        }

        return new Clock(i, j, hour, minute, offset, meridiem, qualifier, swahili && meridiem is Meridiem.None && hour <= 12);
    }

    private static PartOfDay? QualifierAt(string[] w, int j, out int length)
    {
        length = 0;
        if (j >= w.Length)
        {
            return null;
        }

        PartOfDay? Word(string s) => s switch
        {
            "manana" or "morning" or "asubuhi" => PartOfDay.Morning,
            "tarde" or "afternoon" or "mchana" or "alasiri" => PartOfDay.Afternoon,
            "noche" or "evening" or "night" or "jioni" or "usiku" => PartOfDay.Evening,
            _ => null,
        };

        if (Word(w[j]) is { } single && w[j] is "asubuhi" or "mchana" or "alasiri" or "jioni" or "usiku")
        {
            length = 1;
            return single;
        }

        // "de la tarde", "en la noche", "por la mañana", "in the morning", "at night", "this evening"
        if (j + 2 < w.Length && w[j] is "de" or "en" or "por" or "in" && w[j + 1] is "la" or "the" && Word(w[j + 2]) is { } three)
        {
            length = 3;
            return three;
        }

        if (j + 1 < w.Length && w[j] is "at" or "this" or "tonight" && Word(w[j + 1]) is { } two)
        {
            length = 2;
            return two;
        }

        return null;
    }

    private static LocalTime Resolve(Clock c, PartOfDay? messagePart, Clock? borrowMeridiemFrom)
    {
        int hour;
        if (c.Swahili)
        {
            var western = c.Hour + 6; // saa 1 → 7 … saa 12 → 18
            hour = (c.Part ?? messagePart) switch
            {
                PartOfDay.Morning => western > 12 ? western - 12 : western,
                PartOfDay.Evening => western <= 12 ? western + 12 : western,
                _ => western,
            };
        }
        else
        {
            var meridiem = c.Meridiem;
            if (meridiem == Meridiem.None && borrowMeridiemFrom is { } other)
            {
                var sameHalf = c.Hour % 12 <= other.Hour % 12;
                meridiem = sameHalf ? other.Meridiem : (other.Meridiem == Meridiem.Pm ? Meridiem.Am : Meridiem.Pm);
            }

            hour = c.Hour;
            var part = c.Part ?? messagePart;
            switch (meridiem)
            {
                case Meridiem.Am:
                    hour = c.Hour == 12 ? 0 : c.Hour;
                    break;
                case Meridiem.Pm:
                    hour = c.Hour < 12 ? c.Hour + 12 : c.Hour;
                    break;
                case Meridiem.H24:
                    break;
                default:
                    if (c.Hour is >= 1 and <= 11)
                    {
                        hour = part switch
                        {
                            PartOfDay.Morning => c.Hour,
                            PartOfDay.Afternoon or PartOfDay.Evening => c.Hour + 12,
                            _ => c.Hour <= 7 ? c.Hour + 12 : c.Hour,
                        };
                    }

                    break;
            }
        }

        var minutes = ((((hour % 24) * 60) + c.Minute + c.Offset) % 1440 + 1440) % 1440;
        return new LocalTime(minutes / 60, minutes % 60);
    }

    // ---------- helpers ----------

    internal static bool HasPhrase(string[] w, string phrase)
    {
        var p = phrase.Split(' ');
        for (var i = 0; i + p.Length <= w.Length; i++)
        {
            var all = true;
            for (var k = 0; k < p.Length && all; k++)
            {
                all = w[i + k] == p[k];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static void Mark(bool[] used, int start, int length)
    {
        for (var k = Math.Max(0, start); k < Math.Min(used.Length, start + length); k++)
        {
            used[k] = true;
        }
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"^(\d{1,2}):(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex HourMinute();
}
