using Karibu.Common;
using Karibu.Features.Payments;
using Karibu.Tests.Infrastructure;
using NodaTime;

namespace Karibu.Tests.Features.Payments;

/// <summary>Daraja C2B callback bodies: every c2b-confirmation-*.json fixture, and bodies that must be refused.</summary>
public sealed class MpesaC2bTests
{
    public static TheoryData<string> CallbackFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Fixtures.Path("mpesa"), "c2b-*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if ((name.StartsWith("c2b-confirmation-", StringComparison.Ordinal) && name != "c2b-confirmation-ack.json")
                || name.StartsWith("c2b-validation-request-", StringComparison.Ordinal))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Fact]
    public void TheFixtures_CoverPlainMaskedHashedAndValidation() => Assert.Equal(5, CallbackFixtures().Count);

    [Theory]
    [MemberData(nameof(CallbackFixtures))]
    public void Parse_ReadsEveryCallbackFixture(string file)
    {
        var v = new Validation();

        var confirmation = MpesaC2b.Parse(Fixtures.Read("mpesa", file), v);

        Assert.True(v.IsValid, string.Join("; ", v.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.NotNull(confirmation);
        Assert.Matches("^[A-Z0-9]{10}$", confirmation.TransId);
        Assert.True(confirmation.AmountCents > 0);
        Assert.NotEqual(MsisdnKind.Unrecognized, MpesaPayer.Classify(confirmation.Msisdn).Kind);
    }

    [Fact]
    public void Parse_MaskedPaybill_AllFields()
    {
        var v = new Validation();

        var c = MpesaC2b.Parse(Fixtures.Read("mpesa", "c2b-confirmation-paybill-masked.json"), v);

        Assert.NotNull(c);
        Assert.Equal(
            new C2bConfirmation("Pay Bill", "TJU4ABC1DE", new LocalDateTime(2025, 10, 30, 14, 34, 12), 150_000, "600984", "INV-2041",
                null, 2_573_000, null, "2547 ***** 678", "JANE", null, "WANJIKU"),
            c);
        Assert.Equal(Instant.FromUtc(2025, 10, 30, 11, 34, 12), c.TransTime);
        Assert.Equal("JANE WANJIKU", c.PayerName);
        Assert.Equal("INV-2041", c.NormalizedBillRef);
    }

    [Fact]
    public void Parse_HashedPaybill_KeepsTheHashAndAllNames()
    {
        var c = MpesaC2b.Parse(Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json"), new Validation());

        Assert.NotNull(c);
        Assert.Equal("TK60ABCD1Z", c.TransId);
        Assert.Equal(100, c.AmountCents);
        Assert.Equal(4_188_080, c.OrgAccountBalanceCents);
        Assert.Equal("7132104d6aae9c3fac82095a42c2817952bca48e09d98d5bf4ac08218982fb90", c.Msisdn);
        Assert.Equal("KEVIN MUTUA KILONZO", c.PayerName);
        Assert.Equal(new LocalDateTime(2025, 11, 6, 23, 2, 12), c.TransTimeLocal);
    }

    [Fact]
    public void Parse_BuyGoods_HasNoBillRef_AndValidation_HasNoBalance()
    {
        var buyGoods = MpesaC2b.Parse(Fixtures.Read("mpesa", "c2b-confirmation-buygoods-masked.json"), new Validation());
        var validation = MpesaC2b.Parse(Fixtures.Read("mpesa", "c2b-validation-request-masked.json"), new Validation());

        Assert.NotNull(buyGoods);
        Assert.Equal("Buy Goods", buyGoods.TransactionType);
        Assert.Null(buyGoods.BillRefNumber);
        Assert.Null(buyGoods.NormalizedBillRef);
        Assert.Equal(105_000, buyGoods.AmountCents);
        Assert.NotNull(validation);
        Assert.Null(validation.OrgAccountBalanceCents);
    }

    [Theory]
    [InlineData("\"1.00\"", 100)]
    [InlineData("\"150\"", 15_000)]
    [InlineData("\" 1500.5 \"", 150_050)]
    [InlineData("1.00", 100)]
    [InlineData("150", 15_000)]
    public void Parse_AcceptsAmountsAsStringsOrNumbers(string amountJson, long cents)
    {
        var v = new Validation();

        var c = MpesaC2b.Parse(Body(amount: amountJson), v);

        Assert.True(v.IsValid);
        Assert.Equal(cents, c?.AmountCents);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"1,500.00\"")]
    [InlineData("\"1.005\"")]
    [InlineData("\"-5.00\"")]
    [InlineData("\"1e3\"")]
    [InlineData("\"0.00\"")]
    [InlineData("\"\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("-5")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Parse_MalformedAmount_IsAValidationError(string amountJson)
    {
        var v = new Validation();

        var c = MpesaC2b.Parse(Body(amount: amountJson), v);

        Assert.Null(c);
        Assert.True(v.Has("TransAmount"));
        Assert.Single(v.Errors);
    }

    [Fact]
    public void Parse_MissingAmount_SaysItIsRequired()
    {
        var v = new Validation();

        var c = MpesaC2b.Parse("""{"TransID":"TJU4ABC1DE","TransTime":"20251030143412","BusinessShortCode":"600984"}""", v);

        Assert.Null(c);
        Assert.Equal("Is required.", Assert.Single(v.Errors["TransAmount"]));
    }

    [Theory]
    [InlineData("\"20251330143412\"")]
    [InlineData("\"2025-10-30 14:34\"")]
    [InlineData("\"202510301434\"")]
    public void Parse_MalformedTransTime_IsAValidationError(string timeJson)
    {
        var v = new Validation();

        Assert.Null(MpesaC2b.Parse(Body(time: timeJson), v));
        Assert.True(v.Has("TransTime"));
    }

    [Fact]
    public void Parse_TransTimeAsANumber_IsRead()
    {
        var c = MpesaC2b.Parse(Body(time: "20251030143412"), new Validation());

        Assert.Equal(new LocalDateTime(2025, 10, 30, 14, 34, 12), c?.TransTimeLocal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"TransID\"")]
    [InlineData("{\"TransID\":")]
    public void Parse_BodiesThatAreNotAnObject_AreRefused(string body)
    {
        var v = new Validation();

        Assert.Null(MpesaC2b.Parse(body, v));
        Assert.True(v.Has("body"));
    }

    [Fact]
    public void Parse_RawBytes_WithAByteOrderMark_AreRead()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Body())).ToArray();

        var c = MpesaC2b.Parse(bytes, new Validation());

        Assert.Equal("TJU4ABC1DE", c?.TransId);
    }

    [Fact]
    public void Parse_InvalidUtf8OrDeepNesting_IsABodyError_NotAnException()
    {
        byte[] invalidUtf8 = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 50)) + "1" + new string('}', 50);
        var v1 = new Validation();
        var v2 = new Validation();

        Assert.Null(MpesaC2b.Parse(invalidUtf8, v1));
        Assert.Null(MpesaC2b.Parse(deep, v2));
        Assert.True(v1.Has("body"));
        Assert.True(v2.Has("body"));
    }

    [Theory]
    [InlineData("FirstName")]
    [InlineData("Fir\\uD800stName")]
    public void Parse_AnEscapedLoneSurrogate_IsAnError_NotAnException(string name)
    {
        var v = new Validation();
        var body = Body().Replace("\"FirstName\":\"JANE\"", $"\"{name}\":\"JA\\uD800NE\"", StringComparison.Ordinal);

        Assert.Contains("uD800", body, StringComparison.Ordinal);
        Assert.Null(MpesaC2b.Parse(body, v));
        Assert.False(v.IsValid);
    }

    [Fact]
    public void Parse_FieldNames_AreMatchedIgnoringCase()
    {
        var c = MpesaC2b.Parse("""{"transid":"TJU4ABC1DE","transTime":"20251030143412","TRANSAMOUNT":"10","businessShortCode":600984,"msisdn":"254708374149"}""", new Validation());

        Assert.NotNull(c);
        Assert.Equal("600984", c.BusinessShortCode);
        Assert.Equal("254708374149", c.Msisdn);
    }

    [Theory]
    [InlineData(" inv 2041 ", "INV2041")]
    [InlineData("acb", "ACB")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void NormalizeBillRef_TrimsUppercasesAndDropsSpaces(string? raw, string? expected) =>
        Assert.Equal(expected, MpesaC2b.NormalizeBillRef(raw));

    private static string Body(string amount = "\"1500.00\"", string time = "\"20251030143412\"") =>
        $$"""{"TransactionType":"Pay Bill","TransID":"TJU4ABC1DE","TransTime":{{time}},"TransAmount":{{amount}},"BusinessShortCode":"600984","BillRefNumber":"INV-2041","MSISDN":"2547 ***** 678","FirstName":"JANE"}""";
}
