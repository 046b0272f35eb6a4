using System.Globalization;

namespace Karibu.Features.Services;

/// <summary>A price as an owner types it ("150", "150.50", "$1,200", "KSh 800", "150,5") → cents; null when it is not a price.</summary>
internal static class PriceInput
{
    public static long? ParseCents(string? text)
    {
        var cleaned = new string((text ?? "").Where(c => char.IsAsciiDigit(c) || c is '.' or ',').ToArray());
        if (cleaned.Length == 0 || cleaned.Length > 16 || !(text ?? "").Trim().TrimStart('$').Trim().Any(char.IsAsciiDigit))
        {
            return null;
        }

        // A comma followed by one or two digits at the end is a decimal comma; any other comma groups thousands.
        var comma = cleaned.LastIndexOf(',');
        if (comma >= 0 && !cleaned.Contains('.', StringComparison.Ordinal) && cleaned.Length - comma - 1 is 1 or 2)
        {
            cleaned = cleaned[..comma].Replace(",", "", StringComparison.Ordinal) + "." + cleaned[(comma + 1)..];
        }

        cleaned = cleaned.Replace(",", "", StringComparison.Ordinal);
        if ((text ?? "").Contains('-', StringComparison.Ordinal)
            || !decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || decimal.Round(amount, 2) != amount)
        {
            return null;
        }

        return (long)(amount * 100);
    }
}
