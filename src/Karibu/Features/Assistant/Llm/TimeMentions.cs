using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// Finds the clock times a reply names ("16:00", "4:30 p.m.", "4 pm", "10h30"), so a reply naming a
/// time no tool returned can be stopped before the customer reads it.
/// </summary>
internal static partial class TimeMentions
{
    [GeneratedRegex(@"(?<![\d:])(?<h>[01]?\d|2[0-3])(?:[:h](?<m>[0-5]\d))(?!\d)\s*(?<ampm>[ap]\.?\s?m\b\.?)?|(?<![\d:])(?<h>1[0-2]|0?[1-9])\s*(?<ampm>[ap]\.?\s?m\b\.?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    /// <summary>Each time the text names, with every reading it allows (a bare "4:00" may be 04:00 or 16:00).</summary>
    public static List<LocalTime[]> Find(string text)
    {
        var found = new List<LocalTime[]>();
        foreach (Match match in Clock().Matches(text))
        {
            var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            var ampm = match.Groups["ampm"].Success ? char.ToLowerInvariant(match.Groups["ampm"].Value[0]) : (char?)null;
            found.Add(ampm switch
            {
                'a' when hour <= 12 => [new LocalTime(hour % 12, minute)],
                'p' when hour <= 12 => [new LocalTime(hour % 12 + 12, minute)],
                _ when hour is >= 1 and <= 12 => [new LocalTime(hour, minute), new LocalTime(hour % 12 + 12, minute)],
                _ => [new LocalTime(hour, minute)],
            });
        }

        return found;
    }

    /// <summary>The first time named that is none of <paramref name="known"/>; null when every time is one of them.</summary>
    public static LocalTime? FirstUnknown(string text, IReadOnlySet<LocalTime> known) =>
        Find(text).FirstOrDefault(readings => !readings.Any(known.Contains)) is { } unknown ? unknown[0] : null;
}
