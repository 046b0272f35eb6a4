using Karibu.Features.Retention;
using NodaTime;

namespace Karibu.Tests.Features.Retention;

public sealed class ReturnIntervalsTests
{
    private static LocalDate D(int month, int day) => new(2026, month, day);

    public static TheoryData<int?, LocalDate[], int?, int, int, string> Cases => new()
    {
        // cadence, visit days, last service's rebook interval, business default → days, reason
        { 10, [D(1, 1), D(2, 1), D(3, 1), D(4, 1)], 21, 30, 10, "Cadence" },
        { null, [D(1, 1), D(1, 15), D(1, 29)], 21, 30, 14, "Learned" },
        { null, [D(1, 29), D(1, 1), D(1, 15)], null, 30, 14, "Learned" }, // order does not matter
        { null, [D(1, 1), D(1, 11), D(1, 31), D(2, 3)], null, 30, 10, "Learned" }, // gaps 10, 20, 3 → 10
        { null, [D(1, 1), D(1, 11), D(1, 31), D(2, 4), D(2, 12)], null, 30, 9, "Learned" }, // gaps 10, 20, 4, 8 → (8 + 10) / 2
        { null, [D(1, 1), D(1, 11), D(1, 30), D(2, 3), D(2, 12)], null, 30, 10, "Learned" }, // gaps 10, 19, 4, 9 → 9.5, half up
        { null, [D(1, 1), D(1, 15)], 21, 30, 21, "Service" }, // two visits are not enough to learn from
        { null, [D(1, 1), D(1, 1), D(1, 15)], 21, 30, 21, "Service" }, // the same day twice is one visit
        { null, [D(1, 1)], null, 45, 45, "Default" },
        { null, [], null, 30, 30, "Default" },
        { 0, [], 0, 30, 30, "Default" }, // zero is not an interval
        { -5, [D(1, 1)], -1, 30, 30, "Default" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void For_PicksCadenceThenLearnedThenServiceThenDefault(int? cadence, LocalDate[] visits, int? rebook, int defaultDays, int days, string reason)
    {
        var interval = ReturnIntervals.For(cadence, visits, rebook, defaultDays);

        Assert.Equal(days, interval.Days);
        Assert.Equal(reason, interval.Reason.ToString());
    }

    [Fact]
    public void For_LearnsOnlyFromTheMostRecentVisits()
    {
        // Fourteen monthly visits long ago, then twelve weekly ones: the weekly habit is what counts now.
        var visits = Enumerable.Range(0, 14).Select(i => new LocalDate(2024, 1, 1).PlusMonths(i))
            .Concat(Enumerable.Range(0, 12).Select(i => new LocalDate(2026, 1, 5).PlusWeeks(i)));

        Assert.Equal(new ExpectedInterval(7, IntervalReason.Learned), ReturnIntervals.For(null, visits, null, 30));
    }

    [Theory]
    [InlineData(new[] { 5 }, 5)]
    [InlineData(new[] { 9, 1, 5 }, 5)]
    [InlineData(new[] { 1, 2 }, 2)]
    [InlineData(new[] { 4, 1, 3, 2 }, 3)]
    [InlineData(new[] { 10, 10, 11, 30 }, 11)]
    public void Median_OfGaps(int[] values, int median) => Assert.Equal(median, ReturnIntervals.Median(values));
}
