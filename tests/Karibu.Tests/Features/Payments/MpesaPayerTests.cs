using Karibu.Common;
using Karibu.Features.Payments;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Payments;

/// <summary>Finding the paying customer from the C2B fixtures' plain, masked and hashed MSISDNs, among decoys.</summary>
public sealed class MpesaPayerTests
{
    private static readonly PayerCandidate JaneWanjiku = Candidate("+254712345678", "Jane Wanjiku");
    private static readonly PayerCandidate MaryAchieng = Candidate("+254799000678", "Mary Achieng"); // fits the mask, not the name
    private static readonly PayerCandidate JaneOtherPhone = Candidate("+254712345679", "Jane Wanjiku"); // the name, not the mask
    private static readonly PayerCandidate WanjikuOn011 = Candidate("+254110000678", "Wanjiku Kamau"); // 2541…, not 2547…
    private static readonly PayerCandidate JohnDoe = Candidate("+254708374149", "John Doe");

    [Fact]
    public void MaskedPaybillFixture_FindsJane_AmongDecoys_AsASuggestion()
    {
        var c = Confirmation("c2b-confirmation-paybill-masked.json");

        var match = MpesaPayer.Match(c, [MaryAchieng, JaneOtherPhone, WanjikuOn011, JohnDoe, JaneWanjiku]);

        Assert.Equal(PayerMatchMethod.Masked, match.Method);
        Assert.Same(JaneWanjiku, match.Customer);
        Assert.Equal(PayerMatchFailure.None, match.Failure);
        Assert.True(match.NeedsConfirmation);
    }

    [Fact]
    public void MaskedPaybillFixture_TwoCustomersFit_IsAmbiguous()
    {
        var c = Confirmation("c2b-confirmation-paybill-masked.json");
        var janeMwangi = Candidate("+254733000678", "jane mwangi");

        var match = MpesaPayer.Match(c, [JaneWanjiku, MaryAchieng, janeMwangi, JaneOtherPhone]);

        Assert.False(match.IsMatch);
        Assert.Null(match.Customer);
        Assert.Equal(PayerMatchMethod.Masked, match.Method);
        Assert.Equal(PayerMatchFailure.Ambiguous, match.Failure);
        Assert.Equal(2, match.Fits.Count);
        Assert.Contains(JaneWanjiku, match.Fits);
        Assert.Contains(janeMwangi, match.Fits);
    }

    [Fact]
    public void MaskedPaybillFixture_OnlyDecoys_IsNoCandidate()
    {
        var match = MpesaPayer.Match(Confirmation("c2b-confirmation-paybill-masked.json"), [MaryAchieng, JaneOtherPhone, WanjikuOn011]);

        Assert.Equal(PayerMatchFailure.NoCandidate, match.Failure);
        Assert.Equal(PayerMatchMethod.Masked, match.Method);
        Assert.Empty(match.Fits);
    }

    [Fact]
    public void MaskedBuyGoodsFixture_MatchesOnTheFirstNameAlone()
    {
        // Only FirstName ("GRACE") is sent; a customer with the right digits and only the surname is not her.
        var grace = Candidate("+254722111635", "Grace Muthoni");
        var otherGrace = Candidate("+254722111636", "Grace Achieng");
        var peterMuthoni = Candidate("+254700000635", "Peter Muthoni");

        var match = MpesaPayer.Match(Confirmation("c2b-confirmation-buygoods-masked.json"), [otherGrace, peterMuthoni, grace]);

        Assert.Equal(PayerMatchMethod.Masked, match.Method);
        Assert.Same(grace, match.Customer);
    }

    [Fact]
    public void HashedFixture_FindsTheCustomerWhosePhoneHashesTheSame()
    {
        var kevin = Candidate("+254712345678", "Kevin Kilonzo");
        var neighbour = Candidate("+254712345679", "Kevin Mutua");

        var match = MpesaPayer.Match(Confirmation("c2b-confirmation-paybill-hashed.json"), [neighbour, JohnDoe, kevin]);

        Assert.Equal(PayerMatchMethod.Hashed, match.Method);
        Assert.Same(kevin, match.Customer);
        Assert.False(match.NeedsConfirmation);
    }

    [Fact]
    public void HashedFixture_UnknownPhone_IsNoCandidate()
    {
        var match = MpesaPayer.Match(Confirmation("c2b-confirmation-paybill-hashed.json"), [JohnDoe, JaneOtherPhone]);

        Assert.Equal(PayerMatchMethod.Hashed, match.Method);
        Assert.Equal(PayerMatchFailure.NoCandidate, match.Failure);
    }

    [Theory]
    [InlineData("+254712345678")]
    [InlineData("254712345678")]
    [InlineData("0712 345 678")]
    public void HashMsisdn_IsSha256OfThe254FormInLowerCaseHex(string phone) =>
        // The spec's value for 254712345678, carried by c2b-confirmation-paybill-hashed.json.
        Assert.Equal("7132104d6aae9c3fac82095a42c2817952bca48e09d98d5bf4ac08218982fb90", MpesaPayer.HashMsisdn(phone));

    [Theory]
    [InlineData("+525512345678")]
    [InlineData("not a phone")]
    [InlineData(null)]
    public void HashMsisdn_OnlyHashesKenyanNumbers(string? phone) => Assert.Null(MpesaPayer.HashMsisdn(phone));

    [Fact]
    public void PlainLegacyFixture_MatchesTheExactPhone_AndIgnoresANonPhoneBillRef()
    {
        var c = Confirmation("c2b-confirmation-legacy-plain-msisdn.json");
        var johnElsewhere = Candidate("+254708374148", "John Doe");

        var match = MpesaPayer.Match(c, [johnElsewhere, JaneWanjiku, JohnDoe]);

        Assert.Equal("acb", c.BillRefNumber);
        Assert.Equal(PayerMatchMethod.Plain, match.Method);
        Assert.Same(JohnDoe, match.Customer);
    }

    [Fact]
    public void PlainMsisdn_SamePhoneOnTwoCustomers_IsAmbiguous()
    {
        var twin = Candidate("0708 374 149", "J. Doe");

        var match = MpesaPayer.Match("254708374149", null, null, null, null, [JohnDoe, twin]);

        Assert.Equal(PayerMatchFailure.Ambiguous, match.Failure);
        Assert.Equal(2, match.Fits.Count);
    }

    [Theory]
    [InlineData("0712 345 678")]
    [InlineData("254712345678")]
    [InlineData("+254712345678")]
    [InlineData("0712-345-678")]
    public void BillRefThatIsAPhone_NamesTheCustomer_BeforeTheMsisdn(string billRef)
    {
        // John paid (plain MSISDN) into Jane's account: the account the payer typed wins.
        var match = MpesaPayer.Match("254708374149", "JOHN", "", "DOE", billRef, [JohnDoe, JaneWanjiku]);

        Assert.Equal(PayerMatchMethod.BillRef, match.Method);
        Assert.Same(JaneWanjiku, match.Customer);
    }

    [Fact]
    public void BillRefPhoneOfNoCustomer_FallsBackToTheMsisdn()
    {
        var match = MpesaPayer.Match("2547 ***** 678", "JANE", "", "WANJIKU", "0722000000", [JaneWanjiku, MaryAchieng]);

        Assert.Equal(PayerMatchMethod.Masked, match.Method);
        Assert.Same(JaneWanjiku, match.Customer);
    }

    [Fact]
    public void BillRefPhoneOfNoCustomer_WithoutMsisdn_IsNoCandidateByBillRef()
    {
        var match = MpesaPayer.Match("", "JANE", "", "", "0722000000", [JaneWanjiku]);

        Assert.Equal(PayerMatchMethod.BillRef, match.Method);
        Assert.Equal(PayerMatchFailure.NoCandidate, match.Failure);
    }

    [Theory]
    [InlineData(null, "INV-2041")]
    [InlineData("", "")]
    [InlineData("unknown", "712345678")]
    public void NothingToMatchOn_IsNoPayerDetails(string? msisdn, string billRef)
    {
        var match = MpesaPayer.Match(msisdn, "JANE", null, "WANJIKU", billRef, [JaneWanjiku]);

        Assert.Equal(PayerMatchMethod.None, match.Method);
        Assert.Equal(PayerMatchFailure.NoPayerDetails, match.Failure);
        Assert.Null(match.Customer);
    }

    [Theory]
    [InlineData("José Wanjikú", "JOSE", "")]
    [InlineData("Samuel Ndung’u", "", "NDUNG'U")]
    [InlineData("mama  FAITH 💇", "FAITH", "AKINYI")]
    public void MaskedMatch_IgnoresCaseAccentsAndApostrophes(string displayName, string first, string last)
    {
        var customer = Candidate("+254712000678", displayName);

        var match = MpesaPayer.Match("2547 ***** 678", first, null, last, null, [customer, MaryAchieng]);

        Assert.Same(customer, match.Customer);
    }

    [Fact]
    public void MaskedMatch_WithoutAnyPayerName_FindsNoOne()
    {
        var match = MpesaPayer.Match("2547 ***** 678", "", "", "", null, [JaneWanjiku]);

        Assert.Equal(PayerMatchFailure.NoCandidate, match.Failure);
    }

    [Theory]
    [InlineData("254708374149", "plain", "254708374149", null, null)]
    [InlineData("0708374149", "plain", "254708374149", null, null)]
    [InlineData("2547 ***** 126", "masked", "2547", "126", null)]
    [InlineData("2547 * 126", "masked", "2547", "126", null)]
    [InlineData("0712***678", "masked", "254712", "678", null)]
    [InlineData("2547******635", "masked", "2547", "635", null)]
    [InlineData("+2547XXXXX654", "masked", "2547", "654", null)]
    [InlineData("0722XXXX89", "masked", "254722", "89", null)]
    [InlineData("94C392C311D522DA950619227B3361752A42042DB7E1E699B26E628305C68A88", "hashed", null, null,
        "94c392c311d522da950619227b3361752a42042db7e1e699b26e628305c68a88")]
    [InlineData("   ", "none", null, null, null)]
    [InlineData(null, "none", null, null, null)]
    [InlineData("0722XXXXXX", "unrecognized", null, null, null)]
    [InlineData("hello", "unrecognized", null, null, null)]
    [InlineData("94c392c3", "unrecognized", null, null, null)]
    public void Classify_ReadsEveryShapeInTheSpec(string? msisdn, string kindName, string? plainOrPrefix, string? suffix, string? hash)
    {
        var kind = EnumNames.Parse<MsisdnKind>(kindName);

        var info = MpesaPayer.Classify(msisdn);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(kind == MsisdnKind.Plain ? plainOrPrefix : null, info.Msisdn);
        Assert.Equal(kind == MsisdnKind.Masked ? plainOrPrefix : null, info.VisiblePrefix);
        Assert.Equal(suffix, info.VisibleSuffix);
        Assert.Equal(hash, info.Hash);
    }

    [Theory]
    [InlineData("0712345678", "+254712345678")]
    [InlineData("0112 345 678", "+254112345678")]
    [InlineData(" +254712345678 ", "+254712345678")]
    [InlineData("712345678", null)]
    [InlineData("INV-2041", null)]
    [InlineData("0212345678", null)]
    [InlineData("", null)]
    public void BillRefPhone_OnlyReadsKenyanMobileNumbers(string billRef, string? e164) =>
        Assert.Equal(e164, MpesaPayer.BillRefPhone(billRef));

    [Fact]
    public void EnumNames_AreTheSnakeCaseWordsTheLeadStores()
    {
        Assert.Equal("bill_ref", EnumNames.ToName(PayerMatchMethod.BillRef));
        Assert.Equal("no_candidate", EnumNames.ToName(PayerMatchFailure.NoCandidate));
    }

    private static PayerCandidate Candidate(string phone, string name) => new(Guid.CreateVersion7(), phone, name);

    private static C2bConfirmation Confirmation(string file)
    {
        var v = new Validation();
        var confirmation = MpesaC2b.Parse(Fixtures.Read("mpesa", file), v);
        Assert.True(v.IsValid);
        return confirmation!;
    }
}
