using Karibu.Features.Assistant.Understanding;
using Karibu.Features.BookingPage;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Scheduling;

/// <summary>The Today screens' shared words: statuses, time ranges, dates in links.</summary>
internal static class AgendaTexts
{
    /// <summary>Day in links: <c>?day=2026-11-23</c>.</summary>
    public static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>A day from a link; null for nonsense, including years far outside any diary (their arithmetic would overflow).</summary>
    public static LocalDate? ParseDay(string? text) =>
        text is { Length: 10 } && LocalDatePattern.Iso.Parse(text) is { Success: true } parsed && parsed.Value.Year is >= 1900 and <= 9000 ? parsed.Value : null;

    private static string T(Language l, string es, string en, string sw) => l.Pick(es, en, sw);

    public static string Time(Language l, LocalTime t) => PageTexts.Time(l, t);

    /// <summary>"1:00–2:30 p.m.", "11:30 a.m.–1:00 p.m.", "13:00–14:30".</summary>
    public static string Range(Language l, LocalTime start, LocalTime? end)
    {
        if (end is not { } e || e == LocalTime.MaxValue)
        {
            return T(l, $"desde {Time(l, start)}", $"from {Time(l, start)}", $"kuanzia {Time(l, start)}");
        }

        var from = Time(l, start);
        var to = Time(l, e);
        var suffix = from.Split(' ') is [_, var s1] && to.Split(' ') is [_, var s2] && s1 == s2 ? s1 : null;
        return suffix is null ? $"{from}–{to}" : $"{from.Split(' ')[0]}–{to}";
    }

    public static string Status(Language l, Appointment a) => a.Status switch
    {
        AppointmentStatus.Pending => T(l, "Por confirmar", "To confirm", "Inasubiri"),
        AppointmentStatus.Confirmed => T(l, "Confirmada", "Confirmed", "Imethibitishwa"),
        AppointmentStatus.Completed => T(l, "Terminada", "Done", "Imekamilika"),
        AppointmentStatus.Cancelled => T(l, "Cancelada", "Cancelled", "Imeghairiwa"),
        AppointmentStatus.NoShow => T(l, "No vino", "No-show", "Hakuja"),
        _ => a.Status.ToString(),
    };

    /// <summary>"Llegó 10:02 a.m.".</summary>
    public static string Arrived(Language l, LocalTime at) => T(l, $"Llegó {Time(l, at)}", $"Arrived {Time(l, at)}", $"Amefika {Time(l, at)}");

    public static string Free(Language l, string range) => T(l, $"Libre {range}", $"Free {range}", $"Wazi {range}");

    public static string Blocked(Language l) => T(l, "Bloqueado", "Blocked", "Imezuiwa");

    public static string WholeDay(Language l) => T(l, "todo el día", "all day", "siku nzima");

    public static string Count(Language l, int n) => n switch
    {
        0 => T(l, "Sin citas", "No appointments", "Hakuna miadi"),
        1 => T(l, "1 cita", "1 appointment", "Miadi 1"),
        _ => T(l, $"{n} citas", $"{n} appointments", $"Miadi {n}"),
    };
}
