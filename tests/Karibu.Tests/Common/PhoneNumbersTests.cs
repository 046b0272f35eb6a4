using System.Reflection;
using System.Text.RegularExpressions;
using Karibu.Common;

namespace Karibu.Tests.Common;

public sealed partial class PhoneNumbersTests
{
    [Theory]
    // Mexico, national forms as businesses type them.
    [InlineData("55 1234 5678", "MX", "+525512345678")]
    [InlineData("(55) 1234-5678", "MX", "+525512345678")]
    [InlineData("55.1234.5678", "MX", "+525512345678")]
    [InlineData("55/1234/5678", "MX", "+525512345678")]
    [InlineData("5512345678", "MX", "+525512345678")]
    [InlineData("33 1234 5678", "MX", "+523312345678")]
    [InlineData("81-1234-5678", "MX", "+528112345678")]
    [InlineData("222 123 4567", "MX", "+522221234567")]
    [InlineData("(999) 123-4567", "MX", "+529991234567")]
    [InlineData("  55 1234 5678  ", "mx", "+525512345678")]
    [InlineData("55\u00A01234\u00A05678", "MX", "+525512345678")]
    [InlineData("55\u202F1234\u20075678", "MX", "+525512345678")]
    [InlineData("55\u20131234\u20135678", "MX", "+525512345678")]
    [InlineData("55\u20141234\u20145678", "MX", "+525512345678")]
    // Mexico, legacy domestic prefixes dropped in 2019 but still in address books.
    [InlineData("044 55 1234 5678", "MX", "+525512345678")]
    [InlineData("045 33 1234 5678", "MX", "+523312345678")]
    [InlineData("01 55 1234 5678", "MX", "+525512345678")]
    [InlineData("01 800 123 4567", "MX", "+528001234567")]
    // Mexico, international forms including the legacy mobile 1.
    [InlineData("+52 55 1234 5678", "MX", "+525512345678")]
    [InlineData("+525512345678", null, "+525512345678")]
    [InlineData("+52 1 55 1234 5678", "MX", "+525512345678")]
    [InlineData("+52 1 (55) 1234-5678", null, "+525512345678")]
    [InlineData("(+52) 222 123 4567", "MX", "+522221234567")]
    [InlineData("00 52 1 55 1234 5678", "MX", "+525512345678")]
    [InlineData("0052 55 1234 5678", null, "+525512345678")]
    [InlineData("tel:+52-55-1234-5678", "MX", "+525512345678")]
    [InlineData("\u202A+52 1 55 1234 5678\u202C", "MX", "+525512345678")]
    [InlineData("+52 55 1234 5678", "KE", "+525512345678")]
    // Mexico without '+': WhatsApp wa_id and copied international numbers.
    [InlineData("5215512345678", null, "+525512345678")]
    [InlineData("5215512345678", "MX", "+525512345678")]
    [InlineData("525512345678", "MX", "+525512345678")]
    [InlineData("525512345678", null, "+525512345678")]
    [InlineData("52 33 1234 5678", "KE", "+523312345678")]
    [InlineData("5215512345678", "DE", "+525512345678")]
    // Kenya, national forms.
    [InlineData("0712 345 678", "KE", "+254712345678")]
    [InlineData("0712-345-678", "KE", "+254712345678")]
    [InlineData("0712345678", "KE", "+254712345678")]
    [InlineData("0733.123.456", "KE", "+254733123456")]
    [InlineData("0799 888 777", "KE", "+254799888777")]
    [InlineData("0110 123 456", "KE", "+254110123456")]
    [InlineData("712345678", "KE", "+254712345678")]
    [InlineData("110 123 456", "KE", "+254110123456")]
    [InlineData("020 1234567", "KE", "+254201234567")]
    [InlineData("(041) 234 5678", "KE", "+254412345678")]
    [InlineData("0712\u00A0345\u00A0678", "ke", "+254712345678")]
    // Kenya, international forms, including the stray trunk 0 and Kenya's own 000 prefix.
    [InlineData("+254 712 345 678", "KE", "+254712345678")]
    [InlineData("+254712345678", null, "+254712345678")]
    [InlineData("+254 0712 345 678", "KE", "+254712345678")]
    [InlineData("+254 (0) 712 345 678", null, "+254712345678")]
    [InlineData("+254 20 1234567", null, "+254201234567")]
    [InlineData("00254 712 345 678", "KE", "+254712345678")]
    [InlineData("000 254 712 345 678", "KE", "+254712345678")]
    [InlineData("+254 712 345 678", "MX", "+254712345678")]
    // Kenya without '+'.
    [InlineData("254712345678", "KE", "+254712345678")]
    [InlineData("254 712 345 678", null, "+254712345678")]
    [InlineData("2540712345678", "KE", "+254712345678")]
    [InlineData("254110123456", "MX", "+254110123456")]
    // United States and Canada.
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("415.555.2671", "us", "+14155552671")]
    [InlineData("1 415 555 2671", "US", "+14155552671")]
    [InlineData("416-555-0123", "CA", "+14165550123")]
    [InlineData("+1 (415) 555-2671", null, "+14155552671")]
    [InlineData("011 52 55 1234 5678", "US", "+525512345678")]
    [InlineData("5215512345678", "US", "+525512345678")]
    // Any other country, generic E.164.
    [InlineData("+44 20 7946 0958", "MX", "+442079460958")]
    [InlineData("0044 20 7946 0958", "KE", "+442079460958")]
    [InlineData("+49 30 12345678", null, "+493012345678")]
    [InlineData("+255 754 123 456", "KE", "+255754123456")]
    [InlineData("+256 772 123456", "KE", "+256772123456")]
    [InlineData("+57 601 234 5678", "CO", "+576012345678")]
    [InlineData("+34 612 34 56 78", "ES", "+34612345678")]
    [InlineData("+86 138 0013 8000", null, "+8613800138000")]
    [InlineData("tel:+14155552671", null, "+14155552671")]
    [InlineData("TEL: +44 20 7946 0958", "GB", "+442079460958")]
    [InlineData("+500 12345", null, "+50012345")]
    [InlineData("+882 1234 5678 9012", null, "+882123456789012")]
    public void TryNormalize_AcceptsRealWorldForms(string input, string? country, string expected)
    {
        var ok = PhoneNumbers.TryNormalize(input, country, out var e164, out var error);

        Assert.True(ok, $"'{input}' ({country ?? "no country"}) was rejected: {error}");
        Assert.Equal(expected, e164);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "MX")]
    [InlineData("   ", "MX")]
    [InlineData("\u00A0\t", "KE")]
    [InlineData("tel:", "MX")]
    [InlineData("12345", "MX")]
    [InlineData("+52 55", null)]
    [InlineData("+", "MX")]
    [InlineData("( )", "MX")]
    [InlineData("+0 55 1234 5678", null)]
    [InlineData("0000 0000", "MX")]
    [InlineData("++52 55 1234 5678", "MX")]
    [InlineData("52+5512345678", "MX")]
    [InlineData("55 1234 567", "MX")]
    [InlineData("55 1234 56789", "MX")]
    [InlineData("1 55 1234 5678", "MX")]
    [InlineData("055 1234 5678", "MX")]
    [InlineData("15 1234 5678", "MX")]
    [InlineData("+52 55 1234 567", null)]
    [InlineData("+52 55 1234 56789", null)]
    [InlineData("+52 1 55 1234 567", "MX")]
    [InlineData("+52 1 1 5512 3456", "MX")]
    [InlineData("+52 01 55 1234 5678", "MX")]
    [InlineData("55 1234 5678 ext 12", "MX")]
    [InlineData("55#1234#5678", "MX")]
    [InlineData("71234567", "KE")]
    [InlineData("0712 345 67", "KE")]
    [InlineData("0712 345 6789", "KE")]
    [InlineData("+254 7123 4567", "KE")]
    [InlineData("+254 7123 456 789", null)]
    [InlineData("0812345678", "KE")]
    [InlineData("0912 345 678", "KE")]
    [InlineData("+254 812 345 678", null)]
    [InlineData("0712 ABC 678", "KE")]
    [InlineData("\U0001F4DE 0712 345 678", "KE")]
    [InlineData("0712 345 678 \U0001F600", "KE")]
    [InlineData("5512345678", null)]
    [InlineData("0712345678", null)]
    [InlineData("5512345678", "DE")]
    [InlineData("(415) 555-267", "US")]
    [InlineData("(015) 555-2671", "US")]
    [InlineData("+1 234 567 890 123 456", null)]
    [InlineData("1234567890123456", "MX")]
    [InlineData("\uFF15\uFF15 1234 5678", "MX")]
    [InlineData("\u0665\u0665\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "MX")]
    [InlineData("55\u00001234 5678", "MX")]
    [InlineData("\uD83D 55 1234 5678", "MX")]
    [InlineData("+52 55 1234 5678 0000000000000000000000", "MX")]
    public void TryNormalize_RejectsInvalidForms(string input, string? country)
    {
        var ok = PhoneNumbers.TryNormalize(input, country, out var e164, out var error);

        Assert.False(ok, $"'{input}' ({country ?? "no country"}) was accepted as {e164}");
        Assert.Null(e164);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData(null, "MX", "Phone number is required.")]
    [InlineData("  ", "KE", "Phone number is required.")]
    [InlineData("12345", "MX", "'12345' is too short to be a phone number.")]
    [InlineData("+254 7123 4567", "KE", "Kenyan numbers have 9 digits after 254 (got 8).")]
    [InlineData("+52 55 1234 567", "MX", "Mexican numbers have 10 digits after 52 (got 9).")]
    [InlineData("+52 1 55 1234 567", "MX", "Mexican numbers have 10 digits after 52 and the old mobile 1 (got 9).")]
    [InlineData("55 1234 567", "MX", "Mexican numbers have 10 digits (got 9). For other countries, start with + and the country code.")]
    [InlineData("0712 345 67", "KE", "Kenyan numbers have 10 digits starting with 0, like 0712 345 678 (got 9). For other countries, start with + and the country code.")]
    [InlineData("0812345678", "KE", "Kenyan numbers start with 07 or 01 (mobile) or 02 to 06 (landline), not 08.")]
    [InlineData("0712 ABC 678", "KE", "Phone numbers can't contain letters (found 'A').")]
    [InlineData("0712 345 678 \U0001F600", "KE", "Phone numbers can only contain digits, spaces, dashes, dots, parentheses, slashes and a leading + (found '\U0001F600').")]
    [InlineData("55\u00001234 5678", "MX", "Phone numbers can only contain digits, spaces, dashes, dots, parentheses, slashes and a leading + (found U+0000).")]
    [InlineData("+", "MX", "'+' must be followed by the country code and number.")]
    [InlineData("+0 55 1234 5678", null, "Country codes don't start with 0 (after '+').")]
    [InlineData("5512345678", null, "Start with + and the country code, like +52 55 1234 5678 or +254 712 345 678.")]
    [InlineData("5512345678", "DE", "Use the international format: + and the country code, then the number.")]
    public void TryNormalize_ExplainsWhatIsWrong(string? input, string? country, string expected)
    {
        Assert.False(PhoneNumbers.TryNormalize(input, country, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryNormalize_RejectsInputLongerThan40Characters()
    {
        var fortyOne = "+52 55 1234 5678" + new string(' ', 25);
        Assert.Equal(41, fortyOne.Length);

        Assert.False(PhoneNumbers.TryNormalize(fortyOne, "MX", out _, out var error));
        Assert.Equal("Phone number is too long (at most 40 characters).", error);
        Assert.True(PhoneNumbers.TryNormalize(fortyOne[..40], "MX", out var e164, out _));
        Assert.Equal("+525512345678", e164);
    }

    public static TheoryData<string, string?, string> ValidForms()
    {
        var method = typeof(PhoneNumbersTests).GetMethod(nameof(TryNormalize_AcceptsRealWorldForms))!;
        var data = new TheoryData<string, string?, string>();
        foreach (var row in method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)))
        {
            data.Add((string)row[0], (string?)row[1], (string)row[2]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidForms))]
    public void TryNormalize_IsIdempotent_AndOnlyProducesE164(string input, string? country, string expected)
    {
        Assert.True(PhoneNumbers.TryNormalize(input, country, out var first, out _));
        Assert.Matches(E164(), first);
        Assert.Equal(expected, first);

        // A stored number is read back under whatever country the business has by then, or none.
        foreach (var again in new[] { country, null, "MX", "KE", "US", "DE" })
        {
            Assert.True(PhoneNumbers.TryNormalize(first, again, out var second, out var error), error);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void TryNormalize_NeverThrows_OnOddInput()
    {
        string?[] inputs =
        [
            null, "", " ", "\0", "\t\r\n", "+", "++", "+-", "00", "000", "011", "0", "1", "tel:", "TEL:+", "tel:tel:+52",
            "\uD800", "\uDC00", "\uDBFF\uDFFF", "\U0001F4DE", "\u200B", "\uFEFF", "\u202E5512345678", "()()", "//..--",
            "+52", "+521", "+254", "+2540", "52", "521", "254", "2540", "044", "045", "01", "0000000000000000",
            "9999999999999999", "+999999999999999", "+9999999999999999", "5210000000000", "2540000000000",
            "+52 1 1", "+254 0 0", "-1", "1e10", "0x1F", "NaN", "null", "٣", "五五", "\u0301",
            new string('9', 40), new string('9', 41), new string(' ', 40) + "1", new string('+', 40),
            new string('\u00A0', 10000), new string('5', 1_000_000),
        ];
        string?[] countries = [null, "", " ", "MX", "KE", "US", "CA", "mx", "ke", "DE", "X", "MEX", "\0", "\uD800"];

        foreach (var input in inputs)
        {
            foreach (var country in countries)
            {
                var ok = PhoneNumbers.TryNormalize(input, country, out var e164, out var error);
                if (ok)
                {
                    Assert.Matches(E164(), e164);
                    Assert.Null(error);
                }
                else
                {
                    Assert.Null(e164);
                    Assert.False(string.IsNullOrWhiteSpace(error));
                }
            }
        }
    }

    [Fact]
    public void TryNormalize_RandomMixesOfAcceptedCharacters_EitherYieldIdempotentE164OrAnError()
    {
        // A fixed seed keeps any failure reproducible; the alphabet is weighted towards the characters the parser branches on.
        const string alphabet = "0123456789012345678901254520+ -.()/\u00A0\u2013";
        string?[] countries = [null, "MX", "KE", "US", "DE"];
        var random = new Random(20250101);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 45)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var input = new string(chars);
            var country = countries[random.Next(countries.Length)];
            if (PhoneNumbers.TryNormalize(input, country, out var e164, out var error))
            {
                Assert.Matches(E164(), e164);
                Assert.True(PhoneNumbers.TryNormalize(e164, country, out var again, out _), $"'{input}' → {e164} not accepted again");
                Assert.Equal(e164, again);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();
}
