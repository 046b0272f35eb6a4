using NodaTime;

namespace Karibu.Features.Retention;

/// <summary>A visit reduced to what the metrics need.</summary>
internal readonly record struct VisitDay(Guid CustomerId, LocalDate Date, Instant At);

/// <summary>Of the customers who visited in the period, how many came back within <c>Days</c>.</summary>
/// <remarks><c>Customers</c> counts only those whose follow-up window has fully passed.</remarks>
internal sealed record ReturnRate(int Days, int Customers, int Returned, double? Rate);

/// <summary>The arithmetic of the metrics and the "who to contact" ranking, without a database. Pure.</summary>
internal static class RetentionMath
{
    /// <summary>A customer with a visit in the <see cref="ActiveDays"/> days ending on the day asked about is active.</summary>
    public const int ActiveDays = 90;

    /// <summary>Lateness beyond this many intervals no longer raises the rank: long-gone customers rarely return.</summary>
    public const double MaxLateness = 3;

    /// <summary>
    /// Active: a visit on one of the <see cref="ActiveDays"/> days ending <paramref name="asOf"/>.
    /// Lapsed: visited before those days, and not during them.
    /// </summary>
    public static (int Active, int Lapsed) ActiveAndLapsed(IEnumerable<VisitDay> visits, LocalDate asOf)
    {
        var since = asOf.PlusDays(-(ActiveDays - 1));
        var active = new HashSet<Guid>();
        var before = new HashSet<Guid>();
        foreach (var v in visits.Where(v => v.Date <= asOf))
        {
            (v.Date >= since ? active : before).Add(v.CustomerId);
        }

        before.ExceptWith(active);
        return (active.Count, before.Count);
    }

    /// <summary>
    /// Cohort: customers with a visit from <paramref name="from"/> to <paramref name="to"/>; each is
    /// followed from their first visit in the period (day d). Returned: another visit on days d+1 … d+days.
    /// Only customers with d + days on or before <paramref name="today"/> count (the others may still
    /// come back); the rate is null when none do.
    /// </summary>
    public static ReturnRate ReturnRate(IEnumerable<VisitDay> visits, LocalDate from, LocalDate to, LocalDate today, int days)
    {
        var byCustomer = visits.GroupBy(v => v.CustomerId);
        int customers = 0, returned = 0;
        foreach (var group in byCustomer)
        {
            var dates = group.Select(v => v.Date).Distinct().Order().ToList();
            var first = dates.FirstOrDefault(d => d >= from && d <= to);
            if (first == default || first.PlusDays(days) > today)
            {
                continue;
            }

            customers++;
            if (dates.Any(d => d > first && d <= first.PlusDays(days)))
            {
                returned++;
            }
        }

        return new ReturnRate(days, customers, returned, Ratio(returned, customers));
    }

    public static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>
    /// The "who to contact" rank: value × lateness. Value = 1 + ln(1 + visits) + ln(1 + total spent in
    /// major units), so loyal and big-spending customers come first without one whale burying everyone.
    /// Lateness = days overdue / expected interval, capped at <see cref="MaxLateness"/>.
    /// </summary>
    public static double Score(int visitCount, long totalSpentCents, int daysOverdue, int expectedDays)
    {
        var value = 1 + Math.Log(1 + Math.Max(0, visitCount)) + Math.Log(1 + (Math.Max(0, totalSpentCents) / 100.0));
        var lateness = Math.Min(MaxLateness, (double)Math.Max(0, daysOverdue) / Math.Max(1, expectedDays));
        return Math.Round(value * lateness, 4);
    }
}
