using System.Text.RegularExpressions;

namespace Karibu.Features.Assistant.Understanding;

/// <summary>
/// Names: after "me llamo", "mi nombre es", "soy", "my name is", "I'm", "this is", "jina langu ni", "naitwa";
/// after staff commands ("walk-in Juan…", "agrega a Pedro…", "terminé con Juan", "historial de Ana"); or a whole
/// message of 1–3 capitalized words that are not vocabulary ("Juan Pérez"). "soy"/"I'm"/"this is" need a
/// capitalized name (so "soy nuevo" is not a name). Up to three words, as typed.
/// </summary>
internal static partial class NameReader
{
    private static readonly string[][] Markers =
    [
        ["me", "llamo"], ["mi", "nombre", "es"], ["nombre"], ["my", "name", "is"], ["name"], ["jina", "langu", "ni"], ["naitwa"],
    ];

    private static readonly string[][] CapitalMarkers =
    [
        ["soy"], ["im"], ["i", "am"], ["this", "is"], ["walk", "in"], ["walkin"], ["agrega", "a"], ["agregar", "a"], ["add"],
        ["ongeza"], ["con"], ["with"], ["historial", "de"], ["history", "of"], ["registra", "a"],
    ];

    private static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "como", "para", "por", "y", "and", "as", "a", "el", "la", "de", "en", "que", "es", "the", "to", "for", "at",
        "kama", "na", "ni", "wa", "ya", "con", "with", "mi", "my", "un", "una",
    };

    public static string? Read(string raw)
    {
        var words = Words(raw);
        var normalized = words.Select(word => Understand.Normalize(word).Replace(" ", string.Empty, StringComparison.Ordinal)).ToArray();

        foreach (var (markers, capitals) in new[] { (Markers, false), (CapitalMarkers, true) })
        {
            foreach (var marker in markers)
            {
                for (var i = 0; i + marker.Length <= normalized.Length; i++)
                {
                    if (!marker.Select((m, k) => normalized[i + k] == m).All(x => x))
                    {
                        continue;
                    }

                    var name = Take(words, normalized, i + marker.Length, capitals);
                    if (name is not null)
                    {
                        return name;
                    }
                }
            }
        }

        return Bare(raw, requireCapitals: true);
    }

    private static string? Take(string[] words, string[] normalized, int start, bool capitals)
    {
        var taken = new List<string>(3);
        for (var j = start; j < words.Length && taken.Count < 3; j++)
        {
            var word = words[j];
            var n = normalized[j];
            if (Stop.Contains(n) || IsVocabulary(n) || (capitals && !char.IsUpper(word[0])) || n.Length < 2)
            {
                break;
            }

            taken.Add(word);
        }

        return taken.Count == 0 ? null : string.Join(' ', taken);
    }

    /// <summary>A bare 1–3 word name (letters only, none of them vocabulary).</summary>
    public static string? Bare(string text, bool requireCapitals)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 60 || text.Any(char.IsDigit))
        {
            return null;
        }

        var trimmed = text.Trim().TrimEnd('.', '!');
        if (trimmed.Any(c => !char.IsLetter(c) && c is not (' ' or '\'' or '’' or '-') && !char.IsWhiteSpace(c) && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark))
        {
            return null;
        }

        var words = Words(trimmed);
        if (words.Length is 0 or > 3)
        {
            return null;
        }

        foreach (var word in words)
        {
            var n = Understand.Normalize(word).Replace(" ", string.Empty, StringComparison.Ordinal);
            if (n.Length < 2 || IsVocabulary(n) || Stop.Contains(n) || (requireCapitals && !char.IsUpper(word[0])))
            {
                return null;
            }
        }

        return string.Join(' ', words);
    }

    private static bool IsVocabulary(string n) =>
        Lexicon.IsKnownWord(n) || ServiceMatcher.IsConceptWord(n) || IntentReader.IsIntentWord(n) || ReplyReader.IsReplyWord(n);

    private static string[] Words(string raw) => [.. WordPattern().Matches(raw).Select(m => m.Value)];

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}'’]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
