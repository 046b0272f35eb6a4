using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Karibu.Common;

/// <summary>
/// Turns a phone number as people type it (national Mexican or Kenyan formats, WhatsApp ids, or any
/// international form) into E.164, the one form stored and compared everywhere.
/// </summary>
internal static class PhoneNumbers
{
    // Generous enough for "tel:+52 (55) 1234-5678" with padding, small enough to keep every buffer on the stack.
    private const int MaxInputLength = 40;

    // E.164 allows at most 15 digits; 8 is the shortest that can still be a dialable subscriber number here.
    private const int MinDigits = 8;
    private const int MaxDigits = 15;

    private enum Region
    {
        Unknown,
        Other,
        Mexico,
        Kenya,
        NorthAmerica,
    }

    /// <summary>
    /// Normalizes <paramref name="input"/> to E.164 (for example <c>+525512345678</c>), reading national
    /// formats by <paramref name="countryCode"/>, the ISO 3166-1 alpha-2 country of the business.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> with <paramref name="e164"/> set; otherwise <see langword="false"/> with a short
    /// English <paramref name="error"/> that can be shown to API clients. Never throws.
    /// </returns>
    public static bool TryNormalize(string? input, string? countryCode,
        [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        var failure = Normalize(input, countryCode, out var result);
        if (failure is null && result is not null)
        {
            e164 = result;
            error = null;
            return true;
        }

        e164 = null;
        error = failure ?? "Phone number is not valid.";
        return false;
    }

    private static string? Normalize(string? input, string? countryCode, out string? e164)
    {
        e164 = null;
        if (input is null)
        {
            return "Phone number is required.";
        }

        // Checked before any scanning so an oversized payload costs nothing.
        if (input.Length > MaxInputLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Phone number is too long (at most {MaxInputLength} characters).");
        }

        var text = input.AsSpan().Trim();
        if (text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..].TrimStart();
        }

        if (text.IsEmpty)
        {
            return "Phone number is required.";
        }

        Span<char> buffer = stackalloc char[MaxInputLength];
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                buffer[count++] = c;
            }
            else if (c == '+')
            {
                // "(+52) 55…" is common, so separators may come first; digits may not.
                if (plus || count > 0)
                {
                    return "A '+' is only allowed once, at the start of the number.";
                }

                plus = true;
            }
            else if (!IsSeparator(c))
            {
                return InvalidCharacter(text, i);
            }
        }

        if (count == 0)
        {
            return plus ? "'+' must be followed by the country code and number." : "Phone number has no digits.";
        }

        var region = ParseRegion(countryCode);
        ReadOnlySpan<char> digits = buffer[..count];
        if (plus)
        {
            return International(digits, "+", text, out e164);
        }

        // Kenya dials abroad with 000 and North America with 011; 00 is the prefix almost everywhere else
        // and no national number here starts with it, so it is safe to accept regardless of the country.
        if (region == Region.Kenya && digits.StartsWith("000"))
        {
            return International(digits[3..], "000", text, out e164);
        }

        if (region == Region.NorthAmerica && digits.StartsWith("011"))
        {
            return International(digits[3..], "011", text, out e164);
        }

        if (digits.StartsWith("00"))
        {
            return International(digits[2..], "00", text, out e164);
        }

        return National(digits, region, text, out e164);
    }

    private static string? International(ReadOnlySpan<char> digits, string prefix, ReadOnlySpan<char> text, out string? e164)
    {
        e164 = null;
        if (digits.IsEmpty)
        {
            return $"'{prefix}' must be followed by the country code and number.";
        }

        if (digits[0] == '0')
        {
            return $"Country codes don't start with 0 (after '{prefix}').";
        }

        if (digits.Length < MinDigits)
        {
            return TooShort(text);
        }

        if (digits.Length > MaxDigits)
        {
            return TooLong(text);
        }

        if (digits.StartsWith("52"))
        {
            return Mexico(digits[2..], out e164);
        }

        if (digits.StartsWith("254"))
        {
            return Kenya(digits[3..], out e164);
        }

        e164 = string.Concat("+", digits);
        return null;
    }

    private static string? National(ReadOnlySpan<char> digits, Region region, ReadOnlySpan<char> text, out string? e164)
    {
        e164 = null;
        if (digits.Length < MinDigits)
        {
            return TooShort(text);
        }

        if (digits.Length > MaxDigits)
        {
            return TooLong(text);
        }

        // WhatsApp ids and copied international numbers arrive without the '+'. At these lengths they cannot
        // be a national number of any country handled below, so they are read the same for every business.
        var withoutPlus = digits.Length is 12 or 13;
        switch (region)
        {
            case Region.Mexico:
                if (digits.Length == 10)
                {
                    return MexicoSubscriber(digits, out e164);
                }

                // 044/045 (mobile) and 01 (long distance) were dropped in 2019 but are still in address books.
                if (digits.Length == 13 && (digits.StartsWith("044") || digits.StartsWith("045")))
                {
                    return MexicoSubscriber(digits[3..], out e164);
                }

                if (digits.Length == 12 && digits.StartsWith("01"))
                {
                    return MexicoSubscriber(digits[2..], out e164);
                }

                return withoutPlus && TryCountryCodeWithoutPlus(digits, out var mx, out e164)
                    ? mx
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Mexican numbers have 10 digits (got {digits.Length}). For other countries, start with + and the country code.");

            case Region.Kenya:
                if (digits.Length == 10 && digits[0] == '0')
                {
                    return KenyaSubscriber(digits[1..], international: false, out e164);
                }

                if (digits.Length == 9 && digits[0] != '0')
                {
                    return KenyaSubscriber(digits, international: false, out e164);
                }

                return withoutPlus && TryCountryCodeWithoutPlus(digits, out var ke, out e164)
                    ? ke
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Kenyan numbers have 10 digits starting with 0, like 0712 345 678 (got {digits.Length}). For other countries, start with + and the country code.");

            case Region.NorthAmerica:
                if (digits.Length == 10)
                {
                    return NorthAmerica(digits, out e164);
                }

                if (digits.Length == 11 && digits[0] == '1')
                {
                    return NorthAmerica(digits[1..], out e164);
                }

                return TryCountryCodeWithoutPlus(digits, out var na, out e164)
                    ? na
                    : string.Create(CultureInfo.InvariantCulture,
                        $"US and Canadian numbers have 10 digits (got {digits.Length}). For other countries, start with + and the country code.");

            case Region.Unknown:
                return TryCountryCodeWithoutPlus(digits, out var unknown, out e164)
                    ? unknown
                    : "Start with + and the country code, like +52 55 1234 5678 or +254 712 345 678.";

            default:
                return TryCountryCodeWithoutPlus(digits, out var other, out e164)
                    ? other
                    : "Use the international format: + and the country code, then the number.";
        }
    }

    // Only for digits that carry no other reading: the Mexican and Kenyan rules then explain what is wrong
    // ("10 digits after 52") instead of a generic request for a '+'.
    private static bool TryCountryCodeWithoutPlus(ReadOnlySpan<char> digits, out string? error, out string? e164)
    {
        if (digits.StartsWith("52"))
        {
            error = Mexico(digits[2..], out e164);
            return true;
        }

        if (digits.StartsWith("254"))
        {
            error = Kenya(digits[3..], out e164);
            return true;
        }

        error = null;
        e164 = null;
        return false;
    }

    private static string? Mexico(ReadOnlySpan<char> afterCountryCode, out string? e164)
    {
        e164 = null;

        // Mobiles used to be dialed from abroad as +52 1 …; WhatsApp still reports them that way, but the 1
        // is no longer part of the number and keeping it would give one person two identities.
        var legacyMobile = !afterCountryCode.IsEmpty && afterCountryCode[0] == '1';
        var subscriber = legacyMobile ? afterCountryCode[1..] : afterCountryCode;
        if (subscriber.Length != 10)
        {
            return legacyMobile
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Mexican numbers have 10 digits after 52 and the old mobile 1 (got {subscriber.Length}).")
                : string.Create(CultureInfo.InvariantCulture,
                    $"Mexican numbers have 10 digits after 52 (got {subscriber.Length}).");
        }

        return MexicoSubscriber(subscriber, out e164);
    }

    private static string? MexicoSubscriber(ReadOnlySpan<char> tenDigits, out string? e164)
    {
        // Area codes start at 2; a leading 0 or 1 is a dialing prefix typed in the wrong place, and letting
        // it through would break idempotence (a stored +521… would lose its 1 the next time it is read).
        if (tenDigits[0] is '0' or '1')
        {
            e164 = null;
            return "Mexican 10-digit numbers don't start with 0 or 1, like 55 1234 5678.";
        }

        e164 = string.Concat("+52", tenDigits);
        return null;
    }

    private static string? Kenya(ReadOnlySpan<char> afterCountryCode, out string? e164)
    {
        e164 = null;

        // "+254 0712 345 678" mixes the international and national forms; the trunk 0 is never dialed after 254.
        var subscriber = afterCountryCode.Length == 10 && afterCountryCode[0] == '0' ? afterCountryCode[1..] : afterCountryCode;
        if (subscriber.Length != 9)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Kenyan numbers have 9 digits after 254 (got {subscriber.Length}).");
        }

        return KenyaSubscriber(subscriber, international: true, out e164);
    }

    private static string? KenyaSubscriber(ReadOnlySpan<char> nineDigits, bool international, out string? e164)
    {
        // 7 and 1 are the mobile ranges, 2 to 6 the geographic landlines. 8 and 9 are toll-free and premium
        // services that can't receive booking messages, and 0 would be a second trunk prefix.
        if (nineDigits[0] is < '1' or > '7')
        {
            e164 = null;
            return international
                ? $"Kenyan numbers after 254 start with 7 or 1 (mobile) or 2 to 6 (landline), not {nineDigits[0]}."
                : $"Kenyan numbers start with 07 or 01 (mobile) or 02 to 06 (landline), not 0{nineDigits[0]}.";
        }

        e164 = string.Concat("+254", nineDigits);
        return null;
    }

    private static string? NorthAmerica(ReadOnlySpan<char> tenDigits, out string? e164)
    {
        if (tenDigits[0] is '0' or '1')
        {
            e164 = null;
            return "US and Canadian area codes don't start with 0 or 1.";
        }

        e164 = string.Concat("+1", tenDigits);
        return null;
    }

    private static Region ParseRegion(string? countryCode)
    {
        var code = countryCode.AsSpan().Trim();
        if (code.IsEmpty)
        {
            return Region.Unknown;
        }

        if (code.Equals("MX", StringComparison.OrdinalIgnoreCase))
        {
            return Region.Mexico;
        }

        if (code.Equals("KE", StringComparison.OrdinalIgnoreCase))
        {
            return Region.Kenya;
        }

        return code.Equals("US", StringComparison.OrdinalIgnoreCase) || code.Equals("CA", StringComparison.OrdinalIgnoreCase)
            ? Region.NorthAmerica
            : Region.Other;
    }

    private static bool IsSeparator(char c) => c switch
    {
        '-' or '.' or '(' or ')' or '/' => true,

        // Hyphens and dashes that word processors and phone apps substitute for '-'.
        >= '\u2010' and <= '\u2015' or '\u2212' or '\uFE63' or '\uFF0D' => true,

        // Invisible marks that contact apps (WhatsApp in particular) wrap around copied numbers.
        >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2060' and <= '\u2069' or '\uFEFF' => true,

        _ => char.IsWhiteSpace(c),
    };

    private static string InvalidCharacter(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        if (char.IsDigit(c))
        {
            return $"Use the digits 0-9 only (found '{c}').";
        }

        // Decoded as a whole code point so an emoji is echoed as itself rather than half a surrogate pair.
        if (Rune.DecodeFromUtf16(text[index..], out var rune, out _) != System.Buffers.OperationStatus.Done)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Phone number contains an invalid character (U+{(int)c:X4}).");
        }

        if (Rune.IsLetter(rune))
        {
            return $"Phone numbers can't contain letters (found '{rune}').";
        }

        // Control and other invisible characters would be unreadable inside quotes.
        var shown = Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            ? string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}")
            : $"'{rune}'";
        return $"Phone numbers can only contain digits, spaces, dashes, dots, parentheses, slashes and a leading + (found {shown}).";
    }

    private static string TooShort(ReadOnlySpan<char> text) => $"'{text}' is too short to be a phone number.";

    private static string TooLong(ReadOnlySpan<char> text) => $"'{text}' is too long to be a phone number (at most 15 digits).";
}
