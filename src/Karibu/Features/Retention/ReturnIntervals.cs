using NodaTime;

namespace Karibu.Features.Retention;

/// <summary>Which rule gave a customer's expected return interval.</summary>
internal enum IntervalReason { Cadence, Learned, Service, Default }

internal readonly record struct ExpectedInterval(int Days, IntervalReason Reason);

/// <summary>How many days the business can expect between a customer's visits. Pure.</summary>
internal static class ReturnIntervals
{
    /// <summary>Visits needed before their own rhythm is trusted (two gaps).</summary>
    public const int VisitsToLearn = 3;

    /// <summary>Only the most recent visits are learned from, so a changed habit shows within months.</summary>
    public const int LearnFromLastVisits = 12;

    /// <summary>
    /// The customer's explicit cadence; else, after <see cref="VisitsToLearn"/> visits, the median gap in
    /// days between consecutive visits (the last <see cref="LearnFromLastVisits"/>); else the rebook
    /// interval of the service of their last visit; else the business default.
    /// </summary>
    public static ExpectedInterval For(int? cadenceDays, IEnumerable<LocalDate> visitDays, int? lastServiceRebookDays, int defaultDays)
    {
        if (cadenceDays is > 0)
        {
            return new(cadenceDays.Value, IntervalReason.Cadence);
        }

        var days = visitDays.Distinct().Order().TakeLast(LearnFromLastVisits).ToList();
        if (days.Count >= VisitsToLearn)
        {
            var gaps = days.Zip(days.Skip(1), (a, b) => Period.Between(a, b, PeriodUnits.Days).Days).ToList();
            return new(Median(gaps), IntervalReason.Learned);
        }

        if (lastServiceRebookDays is > 0)
        {
            return new(lastServiceRebookDays.Value, IntervalReason.Service);
        }

        return new(Math.Max(1, defaultDays), IntervalReason.Default);
    }

    /// <summary>The middle value; for an even count the mean of the two middle ones, halves rounded up.</summary>
    public static int Median(IReadOnlyCollection<int> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid] + 1) / 2;
    }
}
