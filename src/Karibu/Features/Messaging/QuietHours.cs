using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace Karibu.Features.Messaging;

/// <summary>
/// The business's quiet hours (<c>settings.quiet_hours_start</c>/<c>_end</c>, local <c>HH:mm</c>, may wrap midnight):
/// no marketing message goes out in them. Win-backs are only queued outside them, and the dispatcher checks again
/// at send time, because a queued message can wait (a channel down, a rate limit) until they have begun.
/// </summary>
internal static class QuietHours
{
    // On the night clocks go back, the later of the two readings (quiet a little longer); in a gap, the first
    // moment after it.
    private static readonly ZoneLocalMappingResolver EndResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>Whether <paramref name="t"/> falls in [start, end); equal start and end mean no quiet hours.</summary>
    public static bool Contains(LocalTime t, LocalTime start, LocalTime end) =>
        start <= end ? t >= start && t < end : t >= start || t < end;

    /// <summary>
    /// When the quiet hours holding <paramref name="now"/> end; null when <paramref name="now"/> is outside them, or
    /// when the settings are not <c>HH:mm</c> (validated on save, so only a hand-edited row could be).
    /// </summary>
    public static Instant? EndOf(Instant now, DateTimeZone zone, string? start, string? end)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!TryParse(start, out var from) || !TryParse(end, out var to))
        {
            return null;
        }

        var local = now.InZone(zone).LocalDateTime;
        if (!Contains(local.TimeOfDay, from, to))
        {
            return null;
        }

        var date = local.TimeOfDay < to ? local.Date : local.Date.PlusDays(1);
        return zone.ResolveLocal(date.At(to), EndResolver).ToInstant();
    }

    public static bool TryParse(string? hhmm, out LocalTime time)
    {
        time = default;
        if (hhmm is not { Length: 5 } || hhmm[2] != ':'
            || !int.TryParse(hhmm.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(hhmm.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || h > 23 || m > 59)
        {
            return false;
        }

        time = new LocalTime(h, m);
        return true;
    }
}
