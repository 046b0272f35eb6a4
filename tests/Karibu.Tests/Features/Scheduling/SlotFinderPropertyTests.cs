using FsCheck;
using FsCheck.Fluent;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using NodaTime;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// Random schedules, checked against a naive minute-by-minute reading of the same rules: whatever
/// the slot finder offers must be inside business hours and the staff member's availability, after
/// the minimum notice, and clear of every appointment and buffer.
/// </summary>
public sealed class SlotFinderPropertyTests
{
    private static readonly DateTimeZone[] Zones =
        new[] { "America/Mexico_City", "Africa/Nairobi", "America/Tijuana", "America/Cancun" }.Select(z => DateTimeZoneProviders.Tzdb[z]).ToArray();

    // Ordinary days and both of Tijuana's 2026 DST transition days.
    private static readonly LocalDate[] Dates =
        [new(2026, 3, 7), new(2026, 3, 8), new(2026, 3, 9), new(2026, 11, 1), new(2026, 11, 2), new(2026, 11, 24), new(2026, 12, 31)];

    internal sealed record Case(SlotQuery Query)
    {
        public override string ToString() =>
            $"{Query.Zone.Id} {Query.From} now={Query.Now} dur={Query.ServiceDuration.TotalMinutes} buf={Query.BufferAfter.TotalMinutes} step={Query.StepMinutes} notice={Query.MinNoticeMinutes}\n" +
            $"hours={string.Join(",", Query.BusinessHours.For(Query.From.DayOfWeek).Select(i => $"{i.Open}-{i.Close}"))}\n" +
            string.Join("\n", Query.Staff.Select(s =>
                $"staff {s.StaffId}: rules=[{string.Join("; ", s.Rules.Select(r => $"{r.Type} d{r.DayOfWeek} {r.ExceptionDate} {r.StartTime}-{r.EndTime} {(r.IsAvailable ? "+" : "-")}"))}] busy=[{string.Join("; ", s.Busy.Select(b => $"{b.Start}-{b.End}"))}]"));
    }

    private static Gen<(int Start, int End)> Interval(int min, int max) =>
        from a in Gen.Choose(min / 15, max / 15)
        from b in Gen.Choose(min / 15, max / 15)
        where a != b
        select (Math.Min(a, b) * 15, Math.Max(a, b) * 15);

    private static LocalTime Minutes(int m) => m >= 24 * 60 ? new LocalTime(23, 59) : LocalTime.FromMinutesSinceMidnight(m);

    private static Gen<AvailabilityRule> Rule(LocalDate date) =>
        Gen.OneOf(
            from i in Interval(0, 24 * 60 - 15)
            from sameDay in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from available in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            select new AvailabilityRule
            {
                Type = AvailabilityRuleType.Recurring,
                DayOfWeek = sameDay ? (int)date.DayOfWeek - 1 : ((int)date.DayOfWeek) % 7,
                StartTime = Minutes(i.Start), EndTime = Minutes(i.End), IsAvailable = available,
            },
            from i in Interval(0, 24 * 60 - 15)
            from kind in Gen.Choose(0, 2)
            select new AvailabilityRule
            {
                Type = AvailabilityRuleType.Exception,
                ExceptionDate = date,
                StartTime = kind == 0 ? null : Minutes(i.Start),
                EndTime = kind == 0 ? null : Minutes(i.End),
                IsAvailable = kind == 2,
            });

    private static Gen<Case> Cases =>
        from zone in Gen.Elements(Zones)
        from date in Gen.Elements(Dates)
        from cuts in Gen.ListOf(Gen.Choose(0, 95), 4)
        from twoIntervals in Gen.Elements(true, false)
        from staffCount in Gen.Choose(1, 3)
        from staff in Gen.ListOf(
            from rules in Gen.ListOf(Rule(date), 3).Select(r => r.Take(0).Concat(r).ToList())
            from ruleCount in Gen.Choose(0, 3)
            from busy in Gen.ListOf(from s in Gen.Choose(0, 95) from len in Gen.Choose(1, 8) select (s * 15, len * 15), 4)
            from busyCount in Gen.Choose(0, 4)
            select (Rules: rules.Take(ruleCount).ToList(), Busy: busy.Take(busyCount).ToList()), staffCount)
        from duration in Gen.Elements(15, 20, 30, 45, 60, 90)
        from buffer in Gen.Elements(0, 0, 5, 10, 15, 30)
        from step in Gen.Elements(5, 10, 15, 20, 30, 60)
        from notice in Gen.Elements(0, 30, 60, 180)
        from nowOffset in Gen.Choose(-36, 24)
        select new Case(new SlotQuery(
            zone, date, date,
            date.AtStartOfDayInZone(zone).ToInstant() + Duration.FromHours(nowOffset),
            Duration.FromMinutes(duration), Duration.FromMinutes(buffer), step, notice, 60,
            Hours(date, OpenIntervals(cuts, twoIntervals)),
            staff.Select((s, i) => new StaffSchedule(
                Guid.Parse($"00000000-0000-7000-8000-{i + 1:D12}"),
                s.Rules,
                s.Busy.Select(b => new Busy(
                    date.AtStartOfDayInZone(zone).ToInstant() + Duration.FromMinutes(b.Item1),
                    date.AtStartOfDayInZone(zone).ToInstant() + Duration.FromMinutes(b.Item1 + b.Item2))).ToList())).ToList()));

    /// <summary>One or two open intervals that do not overlap, as the API only accepts those.</summary>
    private static List<(int Start, int End)> OpenIntervals(IList<int> cuts, bool two)
    {
        var q = cuts.Select(c => c * 15).Distinct().Order().ToList();
        if (q.Count < 2)
        {
            return [(9 * 60, 17 * 60)];
        }

        return two && q.Count == 4 ? [(q[0], q[1]), (q[2], q[3])] : [(q[0], q[^1])];
    }

    private static BusinessHours Hours(LocalDate date, List<(int Start, int End)> intervals)
    {
        var hours = new BusinessHours();
        hours.For(date.DayOfWeek).AddRange(intervals.Select(i => new OpenInterval(
            Minutes(i.Start).ToString("HH:mm", null), Minutes(i.End).ToString("HH:mm", null))));
        return hours;
    }

    [Fact]
    public void EveryOfferedSlot_IsInsideAvailability_AfterNotice_AndClearOfAppointments()
    {
        Prop.ForAll(Cases.ToArbitrary(), (Case c) =>
        {
            var q = c.Query;
            var slots = SlotFinder.Find(q);
            foreach (var slot in slots)
            {
                var staff = q.Staff.Single(s => s.StaffId == slot.StaffId);
                Assert.Equal(q.ServiceDuration, slot.End - slot.Start);
                Assert.True(slot.Start >= q.Now + Duration.FromMinutes(q.MinNoticeMinutes), $"{slot.Start} is inside the notice period\n{c}");
                Assert.Equal(q.From, slot.Start.InZone(q.Zone).Date);
                for (var t = slot.Start; t < slot.End; t += Duration.FromMinutes(1))
                {
                    Assert.True(Working(q, staff, t), $"{t.InZone(q.Zone)} is outside availability for slot {slot.Start.InZone(q.Zone)}\n{c}");
                }

                var blockedUntil = slot.End + q.BufferAfter;
                Assert.False(staff.Busy.Any(b => b.Start < blockedUntil && slot.Start < b.End), $"slot {slot.Start.InZone(q.Zone)} overlaps an appointment\n{c}");
            }

            Assert.Equal(slots.Count, slots.Select(s => (s.Start, s.StaffId)).Distinct().Count());

            var any = SlotFinder.AnyStaff(slots, q);
            Assert.Equal(slots.Select(s => s.Start).Distinct().Order(), any.Select(s => s.Start));
            Assert.All(any, s => Assert.Contains(s, slots));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    [Fact]
    public void OnTheNightClocksGoBack_AWorkingSpell_CoversTheRepeatedHour()
    {
        // Found by the property above: Tijuana goes from 02:00 PDT back to 01:00 PST on 1 November 2026. A
        // staff member working 01:30–02:15 (wall clock) works from 01:30 PDT until the clock shows 02:15 PST,
        // so a 90-minute slot from 01:35 PDT (ending 02:05 PST, buffer to 02:15) fits, through the second 01:15.
        var zone = DateTimeZoneProviders.Tzdb["America/Tijuana"];
        var date = new LocalDate(2026, 11, 1);
        var staff = new StaffSchedule(Guid.Parse("00000000-0000-7000-8000-000000000001"),
            [new AvailabilityRule { Type = AvailabilityRuleType.Recurring, DayOfWeek = 6, StartTime = new LocalTime(1, 30), EndTime = new LocalTime(5, 30) }],
            []);
        var q = new SlotQuery(zone, date, date, Instant.FromUtc(2026, 11, 1, 4, 0), Duration.FromMinutes(90), Duration.FromMinutes(10), 20, 60, 60,
            Hours(date, [(15, 135), (510, 975)]), [staff]);

        var slots = SlotFinder.Find(q);
        var first = Assert.Single(slots, s => s.Start == Instant.FromUtc(2026, 11, 1, 8, 35));
        for (var t = first.Start; t < first.End; t += Duration.FromMinutes(1))
        {
            Assert.True(Working(q, staff, t), $"{t.InZone(zone)}");
        }

        Assert.False(Working(q, staff, Instant.FromUtc(2026, 11, 1, 10, 15))); // 02:15 PST: the spell is over.
    }

    [Fact]
    public void WhatIsFree_IsOffered_WhenItStartsOnTheGrid()
    {
        // The other direction on plain days: a start on the step grid from the opening time, with every
        // minute free and available, is never missing from the answer.
        Prop.ForAll(Cases.ToArbitrary(), (Case c) =>
        {
            var q = c.Query with { Zone = Zones[1] };
            var slots = SlotFinder.Find(q).Select(s => (s.Start, s.StaffId)).ToHashSet();
            foreach (var open in q.BusinessHours.For(q.From.DayOfWeek))
            {
                for (var local = q.From.At(Parse(open.Open)); local.Date == q.From && local.TimeOfDay < Parse(open.Close); local = local.PlusMinutes(q.StepMinutes))
                {
                    var start = local.InZoneStrictly(q.Zone).ToInstant();
                    foreach (var staff in q.Staff.Where(s => !s.Rules.Any(r => r.IsAvailable)))
                    {
                        var free = start >= q.Now + Duration.FromMinutes(q.MinNoticeMinutes)
                            && Enumerable.Range(0, (int)q.ServiceDuration.TotalMinutes).All(m => NaiveWorking(q, staff, (start + Duration.FromMinutes(m)).InZone(q.Zone).LocalDateTime))
                            && (start + q.ServiceDuration).InZone(q.Zone).Date == q.From
                            && !staff.Busy.Any(b => b.Start < start + q.ServiceDuration + q.BufferAfter && start < b.End);
                        if (free && InOneOpenInterval(q, start))
                        {
                            Assert.True(slots.Contains((start, staff.StaffId)), $"{local} is free for {staff.StaffId} but not offered\n{c}");
                        }
                    }
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static bool InOneOpenInterval(SlotQuery q, Instant start)
    {
        var s = start.InZone(q.Zone).TimeOfDay;
        var e = (start + q.ServiceDuration).InZone(q.Zone).TimeOfDay;
        return q.BusinessHours.For(q.From.DayOfWeek).Any(i => Parse(i.Open) <= s && e <= Parse(i.Close) && e > s);
    }

    private static LocalTime Parse(string hhmm) => new(int.Parse(hhmm[..2], null), int.Parse(hhmm[3..], null));

    /// <summary>
    /// During the hour a fall-back transition repeats, the wall clock is read both ways: the business is
    /// open if either reading (the repeated time, or the time the clock would have shown without
    /// going back) says so.
    /// </summary>
    private static bool Working(SlotQuery q, StaffSchedule staff, Instant t)
    {
        var local = t.InZone(q.Zone);
        if (NaiveWorking(q, staff, local.LocalDateTime))
        {
            return true;
        }

        var before = q.Zone.GetUtcOffset(t - Duration.FromHours(3));
        if (before <= local.Offset || q.Zone.MapLocal(local.LocalDateTime).Count != 2)
        {
            return false;
        }

        if (NaiveWorking(q, staff, local.LocalDateTime.PlusTicks((before - local.Offset).Ticks)))
        {
            return true;
        }

        // The second pass through a repeated hour (clocks going back): a working interval [s, e) runs from
        // s's first reading to e's last, so it covers this instant when the staff member works at some wall
        // time from here up to the moment the clocks went back (e.g. 01:30–02:15 covers the second 01:15).
        var repeatEnds = q.Zone.GetZoneInterval(t).Start.WithOffset(before).LocalDateTime;
        for (var x = local.LocalDateTime; x < repeatEnds; x = x.PlusMinutes(1))
        {
            if (NaiveWorking(q, staff, x))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rules read the simplest way, one local minute at a time.</summary>
    private static bool NaiveWorking(SlotQuery q, StaffSchedule staff, LocalDateTime t)
    {
        if (t.Date != q.From)
        {
            return false;
        }

        var time = t.TimeOfDay;
        bool Contains(AvailabilityRule r) => r.StartTime <= time && time < r.EndTime;
        var day = (int)t.DayOfWeek - 1;
        var exceptions = staff.Rules.Where(r => r.Type == AvailabilityRuleType.Exception && r.ExceptionDate == t.Date).ToList();
        if (exceptions.Any(r => !r.IsAvailable && r.StartTime is null))
        {
            return false;
        }

        var recurring = staff.Rules.Where(r => r.Type == AvailabilityRuleType.Recurring).ToList();
        var inBusiness = q.BusinessHours.For(t.DayOfWeek).Any(i => Parse(i.Open) <= time && time < Parse(i.Close));
        var inStaffHours = !recurring.Any(r => r.IsAvailable) || recurring.Any(r => r.IsAvailable && r.DayOfWeek == day && Contains(r));
        var onBreak = recurring.Any(r => !r.IsAvailable && r.DayOfWeek == day && Contains(r));
        var extra = exceptions.Any(r => r.IsAvailable && r.StartTime is not null && Contains(r));
        var blocked = exceptions.Any(r => !r.IsAvailable && r.StartTime is not null && Contains(r));
        return ((inBusiness && inStaffHours && !onBreak) || extra) && !blocked;
    }
}
