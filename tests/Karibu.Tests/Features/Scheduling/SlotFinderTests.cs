using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using NodaTime;

namespace Karibu.Tests.Features.Scheduling;

public sealed class SlotFinderTests
{
    private static readonly DateTimeZone MexicoCity = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
    private static readonly Guid Ana = Guid.Parse("00000000-0000-7000-8000-000000000001");
    private static readonly Guid Beto = Guid.Parse("00000000-0000-7000-8000-000000000002");

    // Tuesday 24 November 2026.
    private static readonly LocalDate Tuesday = new(2026, 11, 24);

    internal static SlotQuery Query(
        DateTimeZone zone, LocalDate date, BusinessHours hours, IReadOnlyList<StaffSchedule> staff,
        int duration = 30, int buffer = 0, int step = 15, int notice = 60, Instant? now = null, int horizon = 60) =>
        new(zone, date, date, now ?? date.PlusDays(-1).AtMidnight().InZoneLeniently(zone).ToInstant(),
            Duration.FromMinutes(duration), Duration.FromMinutes(buffer), step, notice, horizon, hours, staff);

    private static BusinessHours Daily(string open, string close)
    {
        var hours = new BusinessHours();
        foreach (IsoDayOfWeek day in Enumerable.Range(1, 7))
        {
            hours.For(day).Add(new OpenInterval(open, close));
        }

        return hours;
    }

    private static StaffSchedule Staff(Guid id, params AvailabilityRule[] rules) => new(id, rules, []);

    private static StaffSchedule Staff(Guid id, IReadOnlyList<Busy> busy, params AvailabilityRule[] rules) => new(id, rules, busy);

    private static Instant At(LocalDate date, int hour, int minute = 0, DateTimeZone? zone = null) =>
        date.At(new LocalTime(hour, minute)).InZoneStrictly(zone ?? MexicoCity).ToInstant();

    private static List<string> Times(IEnumerable<Slot> slots, DateTimeZone? zone = null) =>
        slots.Select(s => s.Start.InZone(zone ?? MexicoCity).ToString("HH:mm", null)).ToList();

    [Fact]
    public void Find_StepsThroughBusinessHours_UntilTheServiceNoLongerFits()
    {
        var slots = SlotFinder.Find(Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana)]));
        Assert.Equal(["10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30"], Times(slots));
        Assert.All(slots, s => Assert.Equal(Duration.FromMinutes(30), s.End - s.Start));
    }

    [Fact]
    public void Find_HonoursSeveralIntervalsPerDay()
    {
        var hours = new BusinessHours { Tue = [new("09:00", "10:00"), new("16:00", "17:00")] };
        var slots = SlotFinder.Find(Query(MexicoCity, Tuesday, hours, [Staff(Ana)], duration: 30, step: 30));
        Assert.Equal(["09:00", "09:30", "16:00", "16:30"], Times(slots));
    }

    [Fact]
    public void Find_SkipsTimesThatOverlapAnAppointmentOrItsBuffer()
    {
        // Booked 10:30–11:00 with a 15-minute buffer: busy until 11:15.
        var busy = new[] { new Busy(At(Tuesday, 10, 30), At(Tuesday, 11, 15)) };
        var slots = SlotFinder.Find(Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana, busy)], buffer: 15));
        // 10:00 would run to 10:30 and its own buffer to 10:45, into the booking.
        Assert.Equal(["11:15", "11:30"], Times(slots));
    }

    [Fact]
    public void Find_RespectsMinimumNotice_AndTheHorizon()
    {
        var now = At(Tuesday, 9, 50);
        var slots = SlotFinder.Find(Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana)], notice: 60, now: now));
        Assert.Equal("11:00", Times(slots)[0]);

        var query = Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana)], now: now, horizon: 2) with { To = Tuesday.PlusDays(10) };
        var days = SlotFinder.Find(query).Select(s => s.Start.InZone(MexicoCity).Date).Distinct().ToList();
        Assert.Equal([Tuesday, Tuesday.PlusDays(1), Tuesday.PlusDays(2)], days);
    }

    [Fact]
    public void Find_UsesStaffRecurringRules_WithinBusinessHours_AndTheirBreaks()
    {
        var rules = new[]
        {
            Recurring(1, "08:00", "13:00"), // Tuesday, starting before the shop opens.
            Recurring(1, "11:00", "11:30", available: false), // Lunch.
        };
        var slots = SlotFinder.Find(Query(MexicoCity, Tuesday, Daily("10:00", "19:00"), [Staff(Ana, rules)], step: 30));
        Assert.Equal(["10:00", "10:30", "11:30", "12:00", "12:30"], Times(slots));

        // A staff member whose rules do not cover Tuesday does not work Tuesday.
        var monday = new[] { Recurring(0, "10:00", "19:00") };
        Assert.Empty(SlotFinder.Find(Query(MexicoCity, Tuesday, Daily("10:00", "19:00"), [Staff(Ana, monday)])));
    }

    [Fact]
    public void Find_AppliesDatedExceptions_DayOff_BlockedTime_AndExtraTime()
    {
        var hours = Daily("10:00", "12:00");
        Assert.Empty(SlotFinder.Find(Query(MexicoCity, Tuesday, hours, [Staff(Ana, Exception(Tuesday, null, null, available: false))])));

        var blocked = SlotFinder.Find(Query(MexicoCity, Tuesday, hours, [Staff(Ana, Exception(Tuesday, "10:30", "11:30", available: false))], step: 30));
        Assert.Equal(["10:00", "11:30"], Times(blocked));

        var extra = SlotFinder.Find(Query(MexicoCity, Tuesday, hours, [Staff(Ana, Exception(Tuesday, "18:00", "19:00", available: true))], step: 30));
        Assert.Equal(["10:00", "10:30", "11:00", "11:30", "18:00", "18:30"], Times(extra));

        // Another date's exception changes nothing.
        var otherDay = SlotFinder.Find(Query(MexicoCity, Tuesday, hours, [Staff(Ana, Exception(Tuesday.PlusDays(1), null, null, available: false))], step: 30));
        Assert.Equal(4, otherDay.Count);
    }

    [Fact]
    public void AnyStaff_OffersEachTimeOnce_WithTheLeastBookedStaffMemberThatDay()
    {
        var busyAna = new[] { new Busy(At(Tuesday, 11, 0), At(Tuesday, 11, 30)) };
        var query = Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana, busyAna), Staff(Beto)], step: 30);
        var slots = SlotFinder.AnyStaff(SlotFinder.Find(query), query);

        Assert.Equal(["10:00", "10:30", "11:00", "11:30"], Times(slots));
        Assert.All(slots, s => Assert.Equal(Beto, s.StaffId)); // Ana already has a booking that day.

        var even = Query(MexicoCity, Tuesday, Daily("10:00", "12:00"), [Staff(Ana), Staff(Beto)], step: 30);
        Assert.All(SlotFinder.AnyStaff(SlotFinder.Find(even), even), s => Assert.Equal(Ana, s.StaffId)); // Then the stable order.
    }

    [Fact]
    public void Find_InMexicoCity_HasNoDaylightSavingShift_SinceMexicoDroppedIt()
    {
        // The first Sunday of April used to move Mexico City's clocks; since 2022 it does not.
        var sunday = new LocalDate(2026, 4, 5);
        var slots = SlotFinder.Find(Query(MexicoCity, sunday, Daily("09:00", "10:00"), [Staff(Ana)], step: 30));
        Assert.All(slots, s => Assert.Equal(Offset.FromHours(-6), MexicoCity.GetUtcOffset(s.Start)));
        Assert.Equal(["09:00", "09:30"], Times(slots));
        Assert.Equal(Instant.FromUtc(2026, 4, 5, 15, 0), slots[0].Start);
    }

    [Fact]
    public void Find_InNairobi_IsPlainUtcPlusThree()
    {
        var nairobi = DateTimeZoneProviders.Tzdb["Africa/Nairobi"];
        var slots = SlotFinder.Find(Query(nairobi, Tuesday, Daily("08:00", "09:00"), [Staff(Ana)], step: 30));
        Assert.Equal([Instant.FromUtc(2026, 11, 24, 5, 0), Instant.FromUtc(2026, 11, 24, 5, 30)], slots.Select(s => s.Start));
    }

    [Fact]
    public void Find_OnTheSpringForwardDay_KeepsLocalTimes_AndSkipsTheMissingHour()
    {
        // Tijuana follows US daylight saving time: on 8 March 2026 02:00 becomes 03:00.
        var tijuana = DateTimeZoneProviders.Tzdb["America/Tijuana"];
        var day = new LocalDate(2026, 3, 8);
        var hours = Daily("09:00", "10:00");
        var before = SlotFinder.Find(Query(tijuana, day.PlusDays(-1), hours, [Staff(Ana)], step: 30));
        var after = SlotFinder.Find(Query(tijuana, day, hours, [Staff(Ana)], step: 30));
        Assert.Equal(["09:00", "09:30"], Times(before, tijuana));
        Assert.Equal(["09:00", "09:30"], Times(after, tijuana));
        Assert.Equal(Instant.FromUtc(2026, 3, 7, 17, 0), before[0].Start); // UTC-8
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 16, 0), after[0].Start); // UTC-7

        // A late-night business open across the jump offers no time that does not exist.
        var night = SlotFinder.Find(Query(tijuana, day, Daily("01:00", "04:00"), [Staff(Ana)], duration: 30, step: 30));
        Assert.Equal(["01:00", "01:30", "03:00", "03:30"], Times(night, tijuana));
        Assert.All(night, s => Assert.Equal(Duration.FromMinutes(30), s.End - s.Start));
    }

    [Fact]
    public void Find_OnTheFallBackDay_OffersTheRepeatedHourOnce()
    {
        // 1 November 2026: 02:00 goes back to 01:00 in Tijuana.
        var tijuana = DateTimeZoneProviders.Tzdb["America/Tijuana"];
        var day = new LocalDate(2026, 11, 1);
        var slots = SlotFinder.Find(Query(tijuana, day, Daily("00:30", "02:00"), [Staff(Ana)], duration: 30, step: 30));
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        Assert.Equal(["00:30", "01:00", "01:30"], Times(slots, tijuana).Distinct().ToList());
        Assert.Equal(9, SlotFinder.Find(Query(tijuana, day, Daily("09:00", "13:30"), [Staff(Ana)], step: 30)).Count);
    }

    internal static AvailabilityRule Recurring(int day, string start, string end, bool available = true) => new()
    {
        Type = AvailabilityRuleType.Recurring,
        DayOfWeek = day,
        StartTime = LocalTimePattern(start),
        EndTime = LocalTimePattern(end),
        IsAvailable = available,
    };

    internal static AvailabilityRule Exception(LocalDate date, string? start, string? end, bool available) => new()
    {
        Type = AvailabilityRuleType.Exception,
        ExceptionDate = date,
        StartTime = start is null ? null : LocalTimePattern(start),
        EndTime = end is null ? null : LocalTimePattern(end),
        IsAvailable = available,
    };

    private static LocalTime LocalTimePattern(string hhmm) => NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(hhmm).Value;
}
