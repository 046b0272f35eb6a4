using System.Globalization;
using Karibu.Common;
using NodaTime;

namespace Karibu.Features.Organizations;

/// <summary>Open intervals per weekday in the business's local time; an empty day is closed.</summary>
internal sealed class BusinessHours
{
    public static readonly string[] DayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public List<OpenInterval> Mon { get; set; } = [];
    public List<OpenInterval> Tue { get; set; } = [];
    public List<OpenInterval> Wed { get; set; } = [];
    public List<OpenInterval> Thu { get; set; } = [];
    public List<OpenInterval> Fri { get; set; } = [];
    public List<OpenInterval> Sat { get; set; } = [];
    public List<OpenInterval> Sun { get; set; } = [];

    public List<OpenInterval> For(IsoDayOfWeek day) => day switch
    {
        IsoDayOfWeek.Monday => Mon,
        IsoDayOfWeek.Tuesday => Tue,
        IsoDayOfWeek.Wednesday => Wed,
        IsoDayOfWeek.Thursday => Thu,
        IsoDayOfWeek.Friday => Fri,
        IsoDayOfWeek.Saturday => Sat,
        IsoDayOfWeek.Sunday => Sun,
        _ => throw new ArgumentOutOfRangeException(nameof(day)),
    };

    public Dictionary<string, List<OpenInterval>> ToDictionary() => new()
    {
        ["mon"] = Mon, ["tue"] = Tue, ["wed"] = Wed, ["thu"] = Thu, ["fri"] = Fri, ["sat"] = Sat, ["sun"] = Sun,
    };

    /// <summary>
    /// Reads the API shape (<c>{"mon": [{"open": "09:00", "close": "19:00"}], ...}</c>); a missing day is closed.
    /// </summary>
    public static BusinessHours? Parse(Dictionary<string, List<OpenIntervalInput>?> input, string field, Validation v)
    {
        var hours = new BusinessHours();
        var seen = new HashSet<int>();
        foreach (var (key, intervals) in input)
        {
            var day = Array.IndexOf(DayKeys, key.ToLowerInvariant());
            if (day < 0)
            {
                v.Add($"{field}.{key}", $"Unknown day '{key}'. Use mon, tue, wed, thu, fri, sat or sun.");
                continue;
            }

            // Keys differing only in case ("mon", "Mon") name the same day; their intervals would skip the overlap check.
            if (!seen.Add(day))
            {
                v.Add($"{field}.{key}", $"'{DayKeys[day]}' is given more than once.");
                continue;
            }

            var list = hours.For((IsoDayOfWeek)(day + 1));
            var parsed = new List<(LocalTime Open, LocalTime Close)>();
            for (var i = 0; i < (intervals?.Count ?? 0); i++)
            {
                var item = intervals![i];
                var path = $"{field}.{DayKeys[day]}[{i}]";
                var open = TimeOfDay.Parse(item?.Open, $"{path}.open", v);
                var close = TimeOfDay.Parse(item?.Close, $"{path}.close", v);
                if (open is null || close is null)
                {
                    continue;
                }

                if (close <= open)
                {
                    v.Add(path, $"Closing time {TimeOfDay.Format(close.Value)} must be after opening time {TimeOfDay.Format(open.Value)}.");
                    continue;
                }

                if (parsed.Any(p => open < p.Close && p.Open < close))
                {
                    v.Add(path, "Open intervals of one day must not overlap.");
                    continue;
                }

                parsed.Add((open.Value, close.Value));
            }

            list.AddRange(parsed.OrderBy(p => p.Open).Select(p => new OpenInterval(TimeOfDay.Format(p.Open), TimeOfDay.Format(p.Close))));
        }

        return v.IsValid ? hours : null;
    }

    public static BusinessHours Default() => new()
    {
        Mon = [new("09:00", "19:00")],
        Tue = [new("09:00", "19:00")],
        Wed = [new("09:00", "19:00")],
        Thu = [new("09:00", "19:00")],
        Fri = [new("09:00", "19:00")],
        Sat = [new("09:00", "15:00")],
        Sun = [],
    };
}

internal sealed record OpenInterval(string Open, string Close);

internal sealed record OpenIntervalInput(string? Open, string? Close);

/// <summary>Times of day on the wire are <c>HH:mm</c> in the business's time zone.</summary>
internal static class TimeOfDay
{
    public static LocalTime? Parse(string? text, string field, Validation v)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add(field, "A time of day (HH:mm) is required.");
            return null;
        }

        if (text.Length == 5 && text[2] == ':'
            && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && h is >= 0 and <= 23 && m is >= 0 and <= 59)
        {
            return new LocalTime(h, m);
        }

        v.Add(field, $"'{text}' is not a time of day; use HH:mm between 00:00 and 23:59.");
        return null;
    }

    public static string Format(LocalTime time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
