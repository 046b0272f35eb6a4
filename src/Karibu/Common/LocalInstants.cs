using NodaTime;
using NodaTime.Text;

namespace Karibu.Common;

/// <summary>
/// Reads the start times clients send: RFC 3339 with an offset (<c>2026-11-22T16:00:00-06:00</c>, or
/// <c>Z</c>), or without one (<c>2026-11-22T16:00</c>), which means the business's local time.
/// </summary>
internal static class LocalInstants
{
    private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm:ss;FFFFFFFFFo<G>");
    private static readonly OffsetDateTimePattern WithOffsetNoSeconds = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>");
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm:ss;FFFFFFFFF");
    private static readonly LocalDateTimePattern LocalNoSeconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public static Instant? Parse(string? text, string field, DateTimeZone zone, Validation v)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add(field, "Is required: a time like 2026-11-22T16:00 (business local time) or 2026-11-22T16:00:00-06:00.");
            return null;
        }

        try
        {
            return ParseCore(text, field, zone, v);
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            // At the very ends of the calendar (year 9999 with an offset) the instant cannot exist.
            v.Add(field, $"'{text}' is outside the range of times Karibu can book.");
            return null;
        }
    }

    private static Instant? ParseCore(string text, string field, DateTimeZone zone, Validation v)
    {
        var value = text.Trim().Replace(' ', 'T');
        foreach (var pattern in new[] { WithOffset, WithOffsetNoSeconds })
        {
            if (pattern.Parse(value) is { Success: true } offset)
            {
                return offset.Value.ToInstant();
            }
        }

        foreach (var pattern in new[] { Local, LocalNoSeconds })
        {
            if (pattern.Parse(value) is { Success: true } local)
            {
                var mapping = zone.MapLocal(local.Value);
                if (mapping.Count == 0)
                {
                    v.Add(field, $"{LocalNoSeconds.Format(local.Value)} does not exist in {zone.Id} (the clocks skip it for daylight saving time).");
                    return null;
                }

                return mapping.First().ToInstant();
            }
        }

        v.Add(field, $"'{text}' is not a valid time; use 2026-11-22T16:00 (business local time) or 2026-11-22T16:00:00-06:00.");
        return null;
    }
}
