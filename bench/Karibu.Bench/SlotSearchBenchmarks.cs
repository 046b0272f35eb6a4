using BenchmarkDotNet.Attributes;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using NodaTime;

namespace Karibu.Bench;

/// <summary>
/// Slot search for a 10-person business over 60 days holding 2,000 appointments (the target:
/// median under 2 ms per query). A query is one search as a door makes it: a day, a week, or the
/// whole 60-day horizon; with one staff member or "any staff".
/// </summary>
[MemoryDiagnoser]
public class SlotSearchBenchmarks
{
    private SlotQuery _day = null!;
    private SlotQuery _week = null!;
    private SlotQuery _horizon = null!;
    private SlotQuery _oneStaffWeek = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
        var today = new LocalDate(2026, 11, 23);
        var now = today.At(new LocalTime(8, 0)).InZoneStrictly(zone).ToInstant();
        var hours = new BusinessHours
        {
            Mon = [new("09:00", "19:00")], Tue = [new("09:00", "19:00")], Wed = [new("09:00", "19:00")],
            Thu = [new("09:00", "19:00")], Fri = [new("09:00", "20:00")], Sat = [new("09:00", "15:00")],
        };

        var random = new Random(42);
        var staff = new List<StaffSchedule>();
        for (var s = 0; s < 10; s++)
        {
            var busy = new SortedDictionary<Instant, Busy>();
            while (busy.Count < 200)
            {
                var date = today.PlusDays(random.Next(0, 60));
                var start = date.At(new LocalTime(9, 0)).PlusMinutes(15 * random.Next(0, 36)).InZoneStrictly(zone).ToInstant();
                var candidate = new Busy(start, start + Duration.FromMinutes(15 * random.Next(2, 5)));
                if (!busy.Values.Any(b => b.Start < candidate.End && candidate.Start < b.End))
                {
                    busy[start] = candidate;
                }
            }

            var lunch = new AvailabilityRule { Type = AvailabilityRuleType.Recurring, DayOfWeek = s % 6, StartTime = new LocalTime(14, 0), EndTime = new LocalTime(15, 0), IsAvailable = false };
            var dayOff = new AvailabilityRule { Type = AvailabilityRuleType.Exception, ExceptionDate = today.PlusDays(7 + s), IsAvailable = false };
            staff.Add(new StaffSchedule(Guid.CreateVersion7(), [lunch, dayOff], busy.Values.ToList()));
        }

        _horizon = new SlotQuery(zone, today, today.PlusDays(59), now, Duration.FromMinutes(30), Duration.FromMinutes(10), 15, 60, 60, hours, staff);
        _day = _horizon with { From = today.PlusDays(1), To = today.PlusDays(1) };
        _week = _horizon with { From = today.PlusDays(1), To = today.PlusDays(7) };
        _oneStaffWeek = _week with { Staff = [staff[3]] };
    }

    [Benchmark(Baseline = true)]
    public int AnyStaffOneDay() => SlotFinder.AnyStaff(SlotFinder.Find(_day), _day).Count;

    [Benchmark]
    public int AnyStaffOneWeek() => SlotFinder.AnyStaff(SlotFinder.Find(_week), _week).Count;

    [Benchmark]
    public int OneStaffOneWeek() => SlotFinder.Find(_oneStaffWeek).Count;

    [Benchmark]
    public int AllStaffSixtyDays() => SlotFinder.Find(_horizon).Count;
}
