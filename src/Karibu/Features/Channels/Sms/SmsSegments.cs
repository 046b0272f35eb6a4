using System.Collections.Frozen;

namespace Karibu.Features.Channels.Sms;

internal enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>
/// How a text travels as SMS: its encoding, its length in that encoding's units (GSM-7 septets or UTF-16
/// code units), how many parts it is billed as, and the characters that forced UCS-2 (distinct, in order of
/// first appearance; a surrogate pair is one entry). Empty text is 0 units in 0 parts: there is nothing to send.
/// </summary>
internal sealed record SmsSegmentCount(SmsEncoding Encoding, int Units, int Segments, IReadOnlyList<string> NonGsmChars);

/// <summary>
/// Counts SMS parts the way gateways bill them (3GPP TS 23.038): 160 GSM-7 septets or 70 UCS-2 units fit
/// in one part; longer texts are cut into parts of 153 septets or 67 units, and a cut never separates an
/// escape pair (extension characters such as <c>€</c>, 2 septets) or a surrogate pair (emoji, 2 units).
/// </summary>
internal static class SmsSegments
{
    public const int Gsm7SingleLimit = 160;
    public const int Gsm7PartLimit = 153;
    public const int Ucs2SingleLimit = 70;
    public const int Ucs2PartLimit = 67;

    // The GSM 03.38 default alphabet; the escape code (0x1B) is not a character and is left out.
    private const string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Reached through the escape code, so each costs 2 septets.
    private const string ExtensionTable = "\f^{}\\[~]|€";

    private static readonly FrozenSet<char> Basic = BasicTable.ToFrozenSet();
    private static readonly FrozenSet<char> Extension = ExtensionTable.ToFrozenSet();

    public static SmsSegmentCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var nonGsm = NonGsmCharacters(text);
        return nonGsm.Count == 0
            ? Split(SmsEncoding.Gsm7, Gsm7Costs(text), Gsm7SingleLimit, Gsm7PartLimit, nonGsm)
            : Split(SmsEncoding.Ucs2, Ucs2Costs(text), Ucs2SingleLimit, Ucs2PartLimit, nonGsm);
    }

    private static List<string> NonGsmCharacters(string text)
    {
        var found = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (Basic.Contains(c) || Extension.Contains(c))
            {
                continue;
            }

            var character = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? text.Substring(i++, 2)
                : c.ToString();
            if (!found.Contains(character))
            {
                found.Add(character);
            }
        }

        return found;
    }

    // The cost of each indivisible piece, in the order the text is sent.
    private static IEnumerable<int> Gsm7Costs(string text) => text.Select(c => Extension.Contains(c) ? 2 : 1);

    private static IEnumerable<int> Ucs2Costs(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                yield return 2;
            }
            else
            {
                yield return 1;
            }
        }
    }

    private static SmsSegmentCount Split(SmsEncoding encoding, IEnumerable<int> costs, int singleLimit, int partLimit, List<string> nonGsm)
    {
        var units = 0;
        var parts = 0;
        var inPart = partLimit; // forces a new part on the first piece
        foreach (var cost in costs)
        {
            units += cost;
            if (inPart + cost > partLimit)
            {
                parts++;
                inPart = 0;
            }

            inPart += cost;
        }

        var segments = units == 0 ? 0 : units <= singleLimit ? 1 : parts;
        return new SmsSegmentCount(encoding, units, segments, nonGsm);
    }
}
