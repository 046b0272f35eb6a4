using NodaTime;

namespace Karibu.Common;

/// <summary>Instants are stored in UTC and shown with the business's UTC offset (RFC 3339).</summary>
internal static class Instants
{
    public static DateTimeOffset InZone(this DateTime utc, DateTimeZone zone)
    {
        var instant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        return instant.InZone(zone).ToDateTimeOffset();
    }

    public static DateTimeOffset? InZone(this DateTime? utc, DateTimeZone zone) => utc?.InZone(zone);
}
