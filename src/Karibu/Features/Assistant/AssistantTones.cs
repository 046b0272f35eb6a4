using System.Globalization;
using System.Text;

namespace Karibu.Features.Assistant;

/// <summary>How the assistant sounds (<c>settings.assistant_tone</c>), and what a formal tone changes in its replies.</summary>
internal static class AssistantTones
{
    public const string Friendly = "friendly";
    public const string Formal = "formal";
    public const int MaxInstructions = 1000;

    /// <summary>
    /// The text without emoji (pictographs, their skin tones, joiners and variation selectors), with the spaces they
    /// leave behind tidied. An emoji that stood between two sentences ("le ayudo 😊 Aceptamos") becomes a full stop.
    /// Letters, accents, punctuation, bullets and arrows stay.
    /// </summary>
    public static string WithoutEmoji(string text)
    {
        var kept = new StringBuilder(text.Length);
        var dropped = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsEmoji(rune))
            {
                dropped = true;
                continue;
            }

            if (dropped && Rune.IsUpper(rune) && kept.ToString().TrimEnd(' ') is { Length: > 0 } before && char.IsLetterOrDigit(before[^1]))
            {
                kept.Length = before.Length;
                kept.Append(". ");
            }

            dropped &= rune.Value == ' ';
            kept.Append(rune.ToString());
        }

        var lines = kept.ToString().Split('\n').Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines).Trim();
    }

    private static bool IsEmoji(Rune rune) =>
        rune.Value is 0x200D or 0xFE0F or 0x20E3 or (>= 0x1F3FB and <= 0x1F3FF)
        || (rune.Value >= 0x2300 && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol);
}
