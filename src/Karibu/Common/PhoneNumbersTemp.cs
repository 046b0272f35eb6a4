using System.Diagnostics.CodeAnalysis;

namespace Karibu.Common;

// TEMPORARY until the real normalizer lands.
internal static class PhoneNumbers
{
    public static bool TryNormalize(string? input, string? countryCode, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        var digits = new string((input ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 8)
        {
            e164 = null;
            error = "too short";
            return false;
        }

        e164 = countryCode == "KE" && digits.StartsWith('0') ? "+254" + digits[1..] : countryCode == "MX" && digits.Length == 10 ? "+52" + digits : "+" + digits;
        error = null;
        return true;
    }
}
