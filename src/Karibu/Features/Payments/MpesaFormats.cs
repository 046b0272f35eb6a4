using System.Globalization;
using NodaTime;

namespace Karibu.Features.Payments;

/// <summary>Small readers shared by the M-Pesa SMS and Daraja callback parsers. None of them throws.</summary>
internal static class MpesaFormats
{
    /// <summary>
    /// M-Pesa and Daraja times are Kenyan local time (EAT, UTC+03:00, no daylight saving) and carry no offset.
    /// </summary>
    public static readonly Offset Eat = Offset.FromHours(3);

    // Twelve integer digits is far beyond any M-Pesa balance and keeps the cents well inside a long.
    private const int MaxIntegerDigits = 12;

    /// <summary>
    /// Reads a shilling amount written with a '.' decimal separator and up to two decimals ("1500", "1.00",
    /// "1500.5"), optionally with thousands commas in the only place they can go ("1,500.00"). Anything else
    /// (a misplaced comma, a sign, three decimals, letters) fails: amounts are never guessed.
    /// </summary>
    public static bool TryParseCents(ReadOnlySpan<char> text, bool allowThousands, out long cents)
    {
        cents = 0;
        text = text.Trim();
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.IsEmpty || (point >= 0 && fraction.Length is 0 or > 2))
        {
            return false;
        }

        long shillings = 0;
        var digits = 0;
        var sinceComma = -1;
        for (var i = 0; i < whole.Length; i++)
        {
            var c = whole[i];
            if (c == ',')
            {
                // A comma needs 1-3 digits before the first one and exactly 3 between and after the others.
                if (!allowThousands || (sinceComma < 0 ? digits is 0 or > 3 : sinceComma != 3))
                {
                    return false;
                }

                sinceComma = 0;
                continue;
            }

            if (!char.IsAsciiDigit(c) || ++digits > MaxIntegerDigits)
            {
                return false;
            }

            shillings = (shillings * 10) + (c - '0');
            if (sinceComma >= 0)
            {
                sinceComma++;
            }
        }

        if (sinceComma is >= 0 and not 3)
        {
            return false;
        }

        long hundredths = 0;
        for (var i = 0; i < 2; i++)
        {
            var c = i < fraction.Length ? fraction[i] : '0';
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            hundredths = (hundredths * 10) + (c - '0');
        }

        cents = (shillings * 100) + hundredths;
        return true;
    }

    /// <summary>Formats cents as shillings with two decimals ("1500.00"), for logs and messages.</summary>
    public static string FormatCents(long cents) =>
        (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds a local date and time from already-matched digits, checking the calendar (31/2 fails) instead of
    /// letting NodaTime throw.
    /// </summary>
    public static bool TryLocalDateTime(int year, int month, int day, int hour, int minute, int second, out LocalDateTime value)
    {
        value = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || hour is < 0 or > 23 || minute is < 0 or > 59
            || second is < 0 or > 59 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }

        value = new LocalDateTime(year, month, day, hour, minute, second);
        return true;
    }
}
