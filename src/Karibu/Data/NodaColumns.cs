using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Karibu.Data;

/// <summary>
/// NodaTime local dates and times stored through the BCL's DateOnly/TimeOnly, which both providers map
/// natively (date/time on PostgreSQL, ISO text on SQLite) without Npgsql.NodaTime.
/// </summary>
internal static class NodaColumns
{
    public static readonly ValueConverter<LocalTime, TimeOnly> LocalTimeConverter =
        new(t => t.ToTimeOnly(), t => LocalTime.FromTimeOnly(t));

    public static readonly ValueConverter<LocalDate, DateOnly> LocalDateConverter =
        new(d => d.ToDateOnly(), d => LocalDate.FromDateOnly(d));

}

/// <summary>Every instant is stored in UTC; SQLite forgets the kind, so it is restored on read.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
