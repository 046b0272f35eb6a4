using Karibu.Common;
using NodaTime;

namespace Karibu.Tests.Common;

public sealed class LocalInstantsTests
{
    private static readonly DateTimeZone MexicoCity = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
    private static readonly DateTimeZone Tijuana = DateTimeZoneProviders.Tzdb["America/Tijuana"];

    [Theory]
    [InlineData("2026-11-22T16:00:00-06:00")]
    [InlineData("2026-11-22T22:00:00Z")]
    [InlineData("2026-11-22T16:00")]
    [InlineData("2026-11-22T16:00:00")]
    [InlineData("2026-11-22 16:00")]
    [InlineData("2026-11-22T17:00-05:00")]
    public void Parse_AcceptsOffsetsAndLocalTimes(string text)
    {
        var v = new Validation();
        Assert.Equal(Instant.FromUtc(2026, 11, 22, 22, 0), LocalInstants.Parse(text, "start", MexicoCity, v));
        Assert.True(v.IsValid);
    }

    [Theory]
    [InlineData("tomorrow at 3")]
    [InlineData("2026-02-30T10:00")]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T25:00")]
    [InlineData("")]
    [InlineData("9999-12-31T23:00:00-06:00")]
    [InlineData("9999-12-31T23:00")]
    public void Parse_RefusesWhatIsNotATime_NamingTheField(string text)
    {
        var v = new Validation();
        Assert.Null(LocalInstants.Parse(text, "start", MexicoCity, v));
        Assert.True(v.Has("start"));
    }

    [Fact]
    public void Parse_RefusesALocalTimeSkippedByDaylightSaving()
    {
        var v = new Validation();
        Assert.Null(LocalInstants.Parse("2026-03-08T02:30", "start", Tijuana, v));
        Assert.Contains("does not exist", v.Errors["start"][0], StringComparison.Ordinal);
    }
}
