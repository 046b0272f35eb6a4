using System.Text.Json;
using Karibu.Features.Channels.Sms;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Sms;

/// <summary>GSM-7 / UCS-2 part counting against every case in fixtures/sms/segmentation-cases.jsonl.</summary>
public sealed class SmsSegmentsTests
{
    public static TheoryData<int, string> FixtureLines()
    {
        var data = new TheoryData<int, string>();
        var lines = File.ReadAllLines(Fixtures.Path("sms", "segmentation-cases.jsonl"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                data.Add(i + 1, lines[i]);
            }
        }

        return data;
    }

    [Fact]
    public void TheFixtureHasCases() => Assert.True(FixtureLines().Count >= 20);

    [Theory]
    [MemberData(nameof(FixtureLines))]
    public void Count_MatchesTheFixture(int line, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var expected = doc.RootElement;
        var text = expected.GetProperty("text").GetString()!;

        var count = SmsSegments.Count(text);

        var encoding = expected.GetProperty("encoding").GetString() switch
        {
            "GSM-7" => SmsEncoding.Gsm7,
            "UCS-2" => SmsEncoding.Ucs2,
            var other => throw new InvalidOperationException($"line {line}: unknown encoding {other}"),
        };
        Assert.Equal(encoding, count.Encoding);
        Assert.Equal(expected.GetProperty("units").GetInt32(), count.Units);
        Assert.Equal(expected.GetProperty("segments").GetInt32(), count.Segments);
        Assert.Equal(expected.GetProperty("nonGsmChars").EnumerateArray().Select(e => e.GetString()!), count.NonGsmChars);
    }

    [Fact]
    public void EmptyText_IsZeroUnits_InZeroParts()
    {
        var count = SmsSegments.Count("");

        Assert.Equal(new SmsSegmentCount(SmsEncoding.Gsm7, 0, 0, []), count with { NonGsmChars = [] });
        Assert.Empty(count.NonGsmChars);
    }

    [Theory]
    // 152 + "€" + 152 = 306 septets, which would fit 2 × 153, but the escape pair cannot straddle the first
    // boundary: part 1 holds 152, part 2 starts with the pair, and the last septet spills into part 3.
    [InlineData(152, 152, 306, 3)]
    [InlineData(151, 152, 305, 2)]
    [InlineData(153, 151, 306, 2)]
    // 158 + "€" = 160 septets fits in one part; no split rule applies.
    [InlineData(158, 0, 160, 1)]
    [InlineData(159, 0, 161, 2)]
    public void Gsm7_AnEscapePair_IsNeverSplitAcrossParts(int before, int after, int units, int segments)
    {
        var count = SmsSegments.Count(new string('a', before) + "€" + new string('a', after));

        Assert.Equal(SmsEncoding.Gsm7, count.Encoding);
        Assert.Equal(units, count.Units);
        Assert.Equal(segments, count.Segments);
    }

    [Theory]
    // 66 + emoji + 66 = 134 units, which would fit 2 × 67, but the pair cannot be cut: 3 parts.
    [InlineData(66, 66, 134, 3)]
    [InlineData(65, 66, 133, 2)]
    [InlineData(67, 65, 134, 2)]
    // 68 + emoji = 70 units is still one part.
    [InlineData(68, 0, 70, 1)]
    [InlineData(69, 0, 71, 2)]
    public void Ucs2_ASurrogatePair_IsNeverSplitAcrossParts(int before, int after, int units, int segments)
    {
        var count = SmsSegments.Count(new string('á', before) + "🙏" + new string('á', after));

        Assert.Equal(SmsEncoding.Ucs2, count.Encoding);
        Assert.Equal(units, count.Units);
        Assert.Equal(segments, count.Segments);
        Assert.Equal(["á", "🙏"], count.NonGsmChars);
    }

    [Fact]
    public void EveryExtensionCharacter_CostsTwoSeptets()
    {
        var count = SmsSegments.Count("\f^{}\\[~]|€");

        Assert.Equal(SmsEncoding.Gsm7, count.Encoding);
        Assert.Equal(20, count.Units);
    }

    [Fact]
    public void TheWholeBasicTable_IsOneSeptetEach()
    {
        const string basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

        var count = SmsSegments.Count(basic);

        Assert.Equal(127, basic.Length);
        Assert.Equal(new SmsSegmentCount(SmsEncoding.Gsm7, 127, 1, []), count with { NonGsmChars = [] });
        Assert.Empty(count.NonGsmChars);
    }

    [Theory]
    [InlineData("Karibu – asante", "–")]
    [InlineData("Subiri…", "…")]
    [InlineData("“Asante”", "“,”")]
    [InlineData("a\u00A0b", "\u00A0")]
    [InlineData("`code`", "`")]
    [InlineData("Á À È Ì Ò Ù º ª", "Á,À,È,Ì,Ò,Ù,º,ª")]
    public void TypographicCharacters_ForceUcs2_AndAreNamed(string text, string offending)
    {
        var count = SmsSegments.Count(text);

        Assert.Equal(SmsEncoding.Ucs2, count.Encoding);
        Assert.Equal(text.Length, count.Units);
        Assert.Equal(offending.Split(','), count.NonGsmChars);
    }

    [Fact]
    public void ALoneSurrogate_IsReportedAsItself_AndCountsOneUnit()
    {
        var count = SmsSegments.Count("ab\uD83D");

        Assert.Equal(SmsEncoding.Ucs2, count.Encoding);
        Assert.Equal(3, count.Units);
        Assert.Equal(["\uD83D"], count.NonGsmChars);
    }
}
