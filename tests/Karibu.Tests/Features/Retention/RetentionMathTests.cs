using Karibu.Features.Retention;
using NodaTime;

namespace Karibu.Tests.Features.Retention;

public sealed class RetentionMathTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid();

    private static VisitDay V(Guid customer, int year, int month, int day) =>
        new(customer, new LocalDate(year, month, day), Instant.FromUtc(year, month, day, 16, 0));

    [Fact]
    public void ActiveAndLapsed_UseTheNinetyDaysEndingOnTheDayAsked()
    {
        VisitDay[] visits =
        [
            V(A, 2026, 8, 3), // day 90 counting back from 2026-10-31: active
            V(B, 2026, 8, 2), // day 91: lapsed
            V(C, 2026, 5, 1), V(C, 2026, 10, 31), // came back: active, not lapsed
            V(Guid.NewGuid(), 2026, 11, 1), // after the day asked: neither
        ];

        Assert.Equal((2, 1), RetentionMath.ActiveAndLapsed(visits, new LocalDate(2026, 10, 31)));
    }

    [Fact]
    public void ReturnRate_FollowsEachCustomerFromTheirFirstVisitInThePeriod()
    {
        var today = new LocalDate(2026, 11, 20);
        VisitDay[] visits =
        [
            V(A, 2026, 9, 20), V(A, 2026, 10, 1), V(A, 2026, 10, 31), // from 10-01: back after 30 days exactly
            V(B, 2026, 10, 5), V(B, 2026, 10, 5), // the same day is not a return
            V(C, 2026, 10, 25), V(C, 2026, 10, 26), // 10-25 + 30 > today: not counted yet
        ];
        var from = new LocalDate(2026, 10, 1);
        var to = new LocalDate(2026, 10, 31);

        Assert.Equal(new ReturnRate(30, 2, 1, 0.5), RetentionMath.ReturnRate(visits, from, to, today, 30));
        Assert.Equal(new ReturnRate(60, 0, 0, null), RetentionMath.ReturnRate(visits, from, to, today, 60));
    }

    [Fact]
    public void Score_WeighsValueAndLateness()
    {
        // Same lateness: the customer worth more ranks higher.
        Assert.True(RetentionMath.Score(5, 500_000, 10, 30) > RetentionMath.Score(5, 50_000, 10, 30));
        // Same value: later (relative to their own rhythm) ranks higher.
        Assert.True(RetentionMath.Score(3, 60_000, 14, 14) > RetentionMath.Score(3, 60_000, 14, 28));
        // Beyond three intervals late, lateness stops counting.
        Assert.Equal(RetentionMath.Score(2, 10_000, 90, 30), RetentionMath.Score(2, 10_000, 300, 30));
        // By hand: (1 + ln 2 + ln 1001) × 10/30.
        Assert.Equal(Math.Round((1 + Math.Log(2) + Math.Log(1001)) / 3, 4), RetentionMath.Score(1, 100_000, 10, 30));
        Assert.Equal(0, RetentionMath.Score(1, 0, 0, 30));
    }
}
