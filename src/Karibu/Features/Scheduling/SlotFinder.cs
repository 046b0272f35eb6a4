using Karibu.Features.Organizations;
using NodaTime;
using NodaTime.TimeZones;

namespace Karibu.Features.Scheduling;

/// <summary>A bookable time: the service fits between start and end, with the staff member who would take it.</summary>
internal readonly record struct Slot(Instant Start, Instant End, Guid StaffId);

/// <summary>A time a staff member cannot be booked: an active appointment, including its buffer.</summary>
internal readonly record struct Busy(Instant Start, Instant End);

/// <summary>One staff member's rules, as the slot finder needs them.</summary>
internal sealed record StaffSchedule(Guid StaffId, IReadOnlyList<AvailabilityRule> Rules, IReadOnlyList<Busy> Busy);

/// <summary>What a slot search is for. Dates are the business's local dates, inclusive.</summary>
internal sealed record SlotQuery(
    DateTimeZone Zone,
    LocalDate From,
    LocalDate To,
    Instant Now,
    Duration ServiceDuration,
    Duration BufferAfter,
    int StepMinutes,
    int MinNoticeMinutes,
    int HorizonDays,
    BusinessHours BusinessHours,
    IReadOnlyList<StaffSchedule> Staff);

/// <summary>
/// Finds free times. Pure: everything it knows comes in the query, so it is tested without a
/// database and the same answer is given to every door (API, assistant, booking page).
/// </summary>
/// <remarks>
/// A staff member works their recurring rules for the weekday (or the business hours when they have
/// no recurring rule at all), within the business hours, minus recurring unavailable rules; a dated
/// exception then adds extra time (is_available) or blocks time (whole day when it has no times).
/// Candidate starts step through local clock times from the business's opening time, so slots
/// read 10:00, 10:15, ... on every day, including DST transition days, where a local time that does not
/// exist is skipped and a repeated one is offered once (its first occurrence).
/// </remarks>
internal static class SlotFinder
{
    public static List<Slot> Find(SlotQuery q)
    {
        var earliest = q.Now + Duration.FromMinutes(q.MinNoticeMinutes);
        var lastDate = q.Now.InZone(q.Zone).Date.PlusDays(q.HorizonDays);
        var to = q.To < lastDate ? q.To : lastDate;
        var busy = q.Staff.Select(s => new BusyIndex(s.Busy)).ToArray();
        var plans = q.Staff.Select(s => new StaffPlan(s.Rules, q.BusinessHours)).ToArray();
        var slots = new List<Slot>();
        for (var date = q.From; date <= to; date = date.PlusDays(1))
        {
            var clock = new DayClock(q.Zone, date);
            for (var i = 0; i < q.Staff.Count; i++)
            {
                foreach (var interval in plans[i].On(date))
                {
                    AddSlots(q, q.Staff[i].StaffId, busy[i], clock, interval, GridAnchor(q.BusinessHours, date, interval.Start), earliest, slots);
                }
            }
        }

        return slots;
    }

    /// <summary>
    /// "Any staff": each start time once, taken by the staff member with the fewest bookings that day,
    /// then by the order staff were given (a stable order).
    /// </summary>
    public static List<Slot> AnyStaff(IReadOnlyList<Slot> slots, SlotQuery q)
    {
        var order = q.Staff.Select((s, i) => (s.StaffId, i)).ToDictionary(x => x.StaffId, x => x.i);
        var load = q.Staff.ToDictionary(
            s => s.StaffId,
            s => s.Busy.GroupBy(b => b.Start.InZone(q.Zone).Date).ToDictionary(g => g.Key, g => g.Count()));
        return slots
            .GroupBy(s => s.Start)
            .OrderBy(g => g.Key)
            .Select(g => g
                .OrderBy(s => load[s.StaffId].GetValueOrDefault(s.Start.InZone(q.Zone).Date))
                .ThenBy(s => order[s.StaffId])
                .First())
            .ToList();
    }

    /// <summary>Staff members in the order "any staff" should try them for one start time.</summary>
    public static IEnumerable<Guid> PreferenceOrder(IReadOnlyList<Slot> candidates, SlotQuery q)
    {
        var order = q.Staff.Select((s, i) => (s.StaffId, i)).ToDictionary(x => x.StaffId, x => x.i);
        return candidates
            .OrderBy(s => q.Staff[order[s.StaffId]].Busy.Count(b => b.Start.InZone(q.Zone).Date == s.Start.InZone(q.Zone).Date))
            .ThenBy(s => order[s.StaffId])
            .Select(s => s.StaffId);
    }

    /// <summary>
    /// Start times step from the opening time of the business interval the working time lies in, so a
    /// staff member back from a 13:45 block is offered 14:00, 15:00 (not 13:45, 14:45) when the shop
    /// opens at 09:00 with hourly steps. Extra time outside business hours steps from its own start.
    /// </summary>
    private static LocalTime GridAnchor(BusinessHours hours, LocalDate date, LocalTime start)
    {
        foreach (var open in hours.For(date.DayOfWeek))
        {
            var (from, to) = (Parse(open.Open), Parse(open.Close));
            if (from <= start && start < to)
            {
                return from;
            }
        }

        return start;
    }

    private static void AddSlots(
        SlotQuery q, Guid staffId, BusyIndex busy, DayClock clock, (LocalTime Start, LocalTime End) interval, LocalTime anchor, Instant earliest, List<Slot> slots)
    {
        var windowStart = clock.Resolve(interval.Start);
        var windowEnd = clock.Resolve(interval.End);
        var step = Period.FromMinutes(q.StepMinutes);
        var offset = Period.Between(anchor, interval.Start, PeriodUnits.Minutes).Minutes;
        var first = anchor.PlusMinutes((offset + q.StepMinutes - 1) / q.StepMinutes * q.StepMinutes);
        var last = Instant.MinValue;
        for (var local = clock.Date.At(first); local.Date == clock.Date && local.TimeOfDay < interval.End && first >= interval.Start; local = local.Plus(step))
        {
            if (clock.ToInstant(local) is not { } start || start <= last)
            {
                continue; // Skipped by a DST gap: the clock never shows this time.
            }

            last = start;
            var end = start + q.ServiceDuration;
            if (start < windowStart || start < earliest)
            {
                continue;
            }

            if (end > windowEnd)
            {
                break;
            }

            if (!busy.Overlaps(start, end + q.BufferAfter))
            {
                slots.Add(new Slot(start, end, staffId));
            }
        }
    }

    /// <summary>Local time to instant for one day, without a time-zone lookup per candidate on days with no transition.</summary>
    private readonly struct DayClock
    {
        private readonly DateTimeZone _zone;
        private readonly Offset? _fixedOffset;

        public DayClock(DateTimeZone zone, LocalDate date)
        {
            _zone = zone;
            Date = date;
            var start = zone.AtStartOfDay(date).ToInstant();
            var interval = zone.GetZoneInterval(start);
            var nextDay = zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
            _fixedOffset = !interval.HasEnd || interval.End >= nextDay ? interval.WallOffset : null;
        }

        public LocalDate Date { get; }

        /// <summary>The instant a clock shows this local time (its first occurrence), or null in a DST gap.</summary>
        public Instant? ToInstant(LocalDateTime local)
        {
            if (_fixedOffset is { } fixedOffset)
            {
                return local.WithOffset(fixedOffset).ToInstant();
            }

            var mapping = _zone.MapLocal(local);
            return mapping.Count == 0 ? null : mapping.First().ToInstant();
        }

        public Instant Resolve(LocalTime time) =>
            _fixedOffset is { } fixedOffset ? Date.At(time).WithOffset(fixedOffset).ToInstant() : SlotFinder.Resolve(_zone, Date.At(time));
    }

    /// <summary>
    /// A staff member's busy times sorted by start, with the latest end seen so far, so "does
    /// [start, end) touch any of them" is one binary search even if they overlap.
    /// </summary>
    private sealed class BusyIndex
    {
        private readonly Instant[] _starts;
        private readonly Instant[] _maxEnds;

        public BusyIndex(IReadOnlyList<Busy> busy)
        {
            var sorted = busy.OrderBy(b => b.Start).ToArray();
            _starts = sorted.Select(b => b.Start).ToArray();
            _maxEnds = new Instant[sorted.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                _maxEnds[i] = i == 0 || sorted[i].End > _maxEnds[i - 1] ? sorted[i].End : _maxEnds[i - 1];
            }
        }

        public bool Overlaps(Instant start, Instant end)
        {
            // Busy times starting before `end`; the interval is touched if any of them ends after `start`.
            var count = Array.BinarySearch(_starts, end);
            count = count >= 0 ? FirstIndexOf(end, count) : ~count;
            return count > 0 && _maxEnds[count - 1] > start;
        }

        private int FirstIndexOf(Instant value, int found)
        {
            while (found > 0 && _starts[found - 1] == value)
            {
                found--;
            }

            return found;
        }
    }

    /// <summary>The local intervals a staff member works on one date (sorted, not overlapping).</summary>
    public static List<(LocalTime Start, LocalTime End)> WorkingIntervals(IReadOnlyList<AvailabilityRule> rules, BusinessHours hours, LocalDate date) =>
        new StaffPlan(rules, hours).On(date);

    /// <summary>
    /// One staff member's week worked out once (recurring rules within business hours, minus breaks),
    /// so a 60-day search only redoes the arithmetic on dates that have an exception.
    /// </summary>
    private sealed class StaffPlan
    {
        private readonly List<(LocalTime Start, LocalTime End)>[] _week = new List<(LocalTime, LocalTime)>[7];
        private readonly ILookup<LocalDate, AvailabilityRule> _exceptions;

        public StaffPlan(IReadOnlyList<AvailabilityRule> rules, BusinessHours hours)
        {
            var recurring = rules.Where(r => r.Type == AvailabilityRuleType.Recurring).ToList();
            var ownHours = recurring.Any(r => r.IsAvailable);
            for (var day = 0; day < 7; day++)
            {
                var open = hours.For((IsoDayOfWeek)(day + 1)).Select(i => (Parse(i.Open), Parse(i.Close))).ToList();
                var working = ownHours
                    ? Intersect(Normalize(recurring.Where(r => r.IsAvailable && r.DayOfWeek == day).Select(Times)), open)
                    : Normalize(open);
                _week[day] = Subtract(working, recurring.Where(r => !r.IsAvailable && r.DayOfWeek == day).Select(Times));
            }

            _exceptions = rules.Where(r => r.Type == AvailabilityRuleType.Exception && r.ExceptionDate is not null).ToLookup(r => r.ExceptionDate!.Value);
        }

        public List<(LocalTime Start, LocalTime End)> On(LocalDate date)
        {
            var working = _week[(int)date.DayOfWeek - 1];
            if (!_exceptions.Contains(date))
            {
                return working;
            }

            var exceptions = _exceptions[date].ToList();
            if (exceptions.Any(r => !r.IsAvailable && r.StartTime is null))
            {
                return []; // A day off.
            }

            working = Normalize(working.Concat(exceptions.Where(r => r.IsAvailable && r.StartTime is not null).Select(Times)));
            return Subtract(working, exceptions.Where(r => !r.IsAvailable).Select(Times));
        }
    }

    private static (LocalTime, LocalTime) Times(AvailabilityRule r) => (r.StartTime ?? LocalTime.Midnight, r.EndTime ?? LocalTime.Midnight);

    private static LocalTime Parse(string hhmm) =>
        new(int.Parse(hhmm.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture), int.Parse(hhmm.AsSpan(3, 2), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Where a local opening or closing time falls: in a spring-forward gap, the moment the clocks
    /// jump (the first instant that exists after it); in a repeated fall-back hour, its first occurrence.
    /// </summary>
    private static readonly ZoneLocalMappingResolver WindowResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private static Instant Resolve(DateTimeZone zone, LocalDateTime local) => zone.ResolveLocal(local, WindowResolver).ToInstant();

    private static List<(LocalTime Start, LocalTime End)> Normalize(IEnumerable<(LocalTime Start, LocalTime End)> intervals)
    {
        var result = new List<(LocalTime Start, LocalTime End)>();
        foreach (var (start, end) in intervals.Where(i => i.Start < i.End).OrderBy(i => i.Start))
        {
            if (result.Count > 0 && start <= result[^1].End)
            {
                result[^1] = (result[^1].Start, end > result[^1].End ? end : result[^1].End);
            }
            else
            {
                result.Add((start, end));
            }
        }

        return result;
    }

    private static List<(LocalTime Start, LocalTime End)> Intersect(List<(LocalTime Start, LocalTime End)> a, List<(LocalTime Start, LocalTime End)> b) =>
        Normalize(a.SelectMany(x => b
            .Where(y => x.Start < y.End && y.Start < x.End)
            .Select(y => (x.Start > y.Start ? x.Start : y.Start, x.End < y.End ? x.End : y.End))));

    private static List<(LocalTime Start, LocalTime End)> Subtract(List<(LocalTime Start, LocalTime End)> from, IEnumerable<(LocalTime Start, LocalTime End)> remove)
    {
        var result = from;
        foreach (var (rs, re) in remove)
        {
            result = Normalize(result.SelectMany(i =>
                re <= i.Start || rs >= i.End
                    ? [i]
                    : new[] { (i.Start, rs), (re, i.End) }.Where(p => p.Item1 < p.Item2)));
        }

        return result;
    }
}
