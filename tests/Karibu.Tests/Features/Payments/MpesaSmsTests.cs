using System.Globalization;
using System.Text;
using System.Text.Json;
using Karibu.Common;
using Karibu.Features.Payments;
using Karibu.Tests.Infrastructure;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Tests.Features.Payments;

/// <summary>M-Pesa confirmation texts against fixtures/mpesa/sms-examples.txt (line N ↔ line N of the .jsonl).</summary>
public sealed class MpesaSmsTests
{
    private static readonly string[] Texts = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.txt"));
    private static readonly string[] Expected = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.expected.jsonl"));

    public static TheoryData<int> FixtureLines()
    {
        var data = new TheoryData<int>();
        for (var line = 1; line <= Texts.Length; line++)
        {
            data.Add(line);
        }

        return data;
    }

    [Fact]
    public void TheFixture_HasOneExpectationPerMessage()
    {
        Assert.Equal(14, Texts.Length);
        Assert.Equal(Texts.Length, Expected.Length);
    }

    [Theory]
    [MemberData(nameof(FixtureLines))]
    public void Parse_MatchesTheFixture_FieldByField(int line)
    {
        using var doc = JsonDocument.Parse(Expected[line - 1]);
        var expected = doc.RootElement;
        Assert.Equal(line, expected.GetProperty("line").GetInt32());

        var receipt = MpesaSms.Parse(Texts[line - 1]);

        Assert.NotNull(receipt);
        AssertMatches(expected, receipt);
    }

    [Theory]
    [MemberData(nameof(FixtureLines))]
    public void Parse_SurvivesLineBreaksExtraSpacesAndInvisibleMarks(int line)
    {
        using var doc = JsonDocument.Parse(Expected[line - 1]);
        var text = Texts[line - 1];

        // Older paybill texts came with line breaks; pasted texts carry CRLF, doubled spaces, NBSP and zero-width marks.
        var mangled = "\u200B " + text.Replace(" received", "\r\n received", StringComparison.Ordinal)
            .Replace(" on ", "  \u00A0on\n", StringComparison.Ordinal)
            .Replace("balance is", "balance\tis", StringComparison.Ordinal) + " \r\n";

        var receipt = MpesaSms.Parse(mangled);

        Assert.NotNull(receipt);
        AssertMatches(doc.RootElement, receipt);
    }

    [Fact]
    public void Parse_OnlyReceivedKinds_AreIncoming()
    {
        var kinds = Texts.Select(MpesaSms.Parse).Select(r => (r!.Kind, r.IsIncoming)).ToList();

        Assert.All(kinds.Where(k => k.Kind is MpesaSmsKind.Sent or MpesaSmsKind.Paid), k => Assert.False(k.IsIncoming));
        Assert.Equal(13, kinds.Count(k => k.IsIncoming));
    }

    [Fact]
    public void OccurredAt_IsTheInstant_InEastAfricaTime()
    {
        var receipt = MpesaSms.Parse(Texts[0])!;

        Assert.Equal(Instant.FromUtc(2025, 10, 30, 11, 34), receipt.OccurredAt);
    }

    [Theory]
    [InlineData("UD3X00000A Confirmed.on 3/4/26 at 12:05 AMKsh1,050.00 received from 2547******635 GRACE MUTHONI. New Account balance is Ksh2,000.00.", 0, 5)]
    [InlineData("UD3X00000A Confirmed.on 3/4/26 at 12:05 PMKsh1,050.00 received from 2547******635 GRACE MUTHONI. New Account balance is Ksh2,000.00.", 12, 5)]
    [InlineData("UD3X00000A Confirmed.on 3/4/26 at 11:59 pmKsh1,050.00 received from 2547******635 GRACE MUTHONI. New Account balance is Ksh2,000.00.", 23, 59)]
    public void Parse_ReadsTwelveHourTimes(string text, int hour, int minute)
    {
        var receipt = MpesaSms.Parse(text);

        Assert.NotNull(receipt);
        Assert.Equal(new LocalDateTime(2026, 4, 3, hour, minute), receipt.OccurredAtLocal);
    }

    [Fact]
    public void Parse_AmountsWithoutCommasOrDecimals_AreRead()
    {
        // Older paybill texts: "Ksh950"; some texts drop the thousands comma: "Ksh1300.22".
        var receipt = MpesaSms.Parse(
            "BM47XK512 Confirmed.on 6/7/11 at 10:49 PM Ksh950 received from DAVID ODHIAMBO 254722000067.Account Number Jeanah ventures New Utility balance is Ksh1300.22");

        Assert.NotNull(receipt);
        Assert.Equal(95_000, receipt.AmountCents);
        Assert.Equal(130_022, receipt.BalanceAfterCents);
        Assert.Equal("Jeanah ventures", receipt.AccountNumber);
        Assert.Equal(MpesaSmsKind.PaybillReceived, receipt.Kind);
    }

    [Theory]
    // A misplaced thousands comma is not guessed at.
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh14,20.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.")]
    // No such date or time.
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 31/2/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.")]
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 30/10/25 at 13:34 PM New M-PESA balance is Ksh3,250.00.")]
    // Lower-case code: not an M-Pesa code.
    [InlineData("tju4abc1de Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.")]
    // Cut off before the balance.
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM")]
    // Not confirmations this parser reads.
    [InlineData("Hi, I have sent the money for my appointment tomorrow")]
    [InlineData("TJU4ABC1DE confirmed. You bought Ksh100.00 of airtime on 30/10/25 at 2:34 PM. New M-PESA balance is Ksh3,150.00.")]
    [InlineData("")]
    [InlineData("   \r\n ")]
    [InlineData(null)]
    public void Parse_GivesNull_ForTextItDoesNotUnderstand(string? text) => Assert.Null(MpesaSms.Parse(text));

    [Theory]
    // Not M-Pesa at all: ignored.
    [InlineData("hola", "not_mpesa", null)]
    [InlineData("Hi, I have sent the money for my appointment tomorrow", "not_mpesa", null)]
    [InlineData("Your booking is confirmed for Tuesday", "not_mpesa", null)]
    [InlineData("", "not_mpesa", null)]
    // M-Pesa, but not money from a customer: ignored.
    [InlineData("TJU4ABC1DE confirmed. You bought Ksh100.00 of airtime on 30/10/25 at 2:34 PM. New M-PESA balance is Ksh3,150.00.", "other_transaction", null)]
    [InlineData("TJU4ABC1DE Confirmed. Fuliza M-Pesa amount is Ksh 120.00. Interest charged Ksh1.20. Total Fuliza M-Pesa outstanding amount is Ksh121.20 due on 29/11/25.", "other_transaction", null)]
    [InlineData("TJU4ABC1DE Confirmed.on 30/10/25 at 2:34 PMWithdraw Ksh1,000.00 from 123456 - ACME AGENT New M-PESA balance is Ksh500.00.", "other_transaction", null)]
    [InlineData("TJ6QW8NDLA Confirmed. Ksh30,0.00 sent to SIMON KIPROTICH on 6/10/25 at 7:43 AM. New M-PESA balance is Ksh21.73.", "other_transaction", null)]
    // Looks like money received but does not read cleanly: review, never guess.
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh14,20.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.", "needs_review", "TJU4ABC1DE Confirmed")]
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 31/2/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.", "needs_review", "date or time")]
    [InlineData("tju4abc1de Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM New M-PESA balance is Ksh3,250.00.", "needs_review", "transaction code")]
    [InlineData("TJU4ABC1DE Confirmed.You have received Ksh1,500.00 from JANE WANJIKU 0712345678 on 30/10/25 at 2:34 PM", "needs_review", "TJU4ABC1DE")]
    [InlineData("TJU4ABC1DF Confirmed. Transaction TJU4ABC1DE has been reversed. Your account balance is now Ksh1,750.00.", "needs_review", "reversal")]
    public void Read_TellsNotMpesa_OtherTransactions_AndTextsThatNeedReview_Apart(string text, string verdict, string? problem)
    {
        var reading = MpesaSms.Read(text);

        Assert.Equal(EnumNames.Parse<MpesaSmsVerdict>(verdict), reading.Verdict);
        Assert.Null(reading.Receipt);
        if (problem is null)
        {
            Assert.Null(reading.Problem);
        }
        else
        {
            Assert.Contains(problem, reading.Problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(FixtureLines))]
    public void Read_GivesEveryFixtureLineItsReceipt(int line)
    {
        var reading = MpesaSms.Read(Texts[line - 1]);

        Assert.Equal(MpesaSmsVerdict.Read, reading.Verdict);
        Assert.Equal(MpesaSms.Parse(Texts[line - 1]), reading.Receipt);
    }

    [Fact]
    public void Parse_PaidToAMerchant_IsRecognisedAndNotIncoming()
    {
        var receipt = MpesaSms.Parse("TJ6QW8NDLB Confirmed. Ksh250.00 paid to F.M STORES. on 6/10/25 at 7:43 AM.New M-PESA balance is Ksh21.73. Transaction cost, Ksh0.00.");

        Assert.NotNull(receipt);
        Assert.Equal(MpesaSmsKind.Paid, receipt.Kind);
        Assert.Equal("F.M STORES", receipt.CounterpartyName);
        Assert.Equal(25_000, receipt.AmountCents);
        Assert.False(receipt.IsIncoming);
    }

    [Fact]
    public void Parse_SentForAccount_KeepsTheAccount()
    {
        var receipt = MpesaSms.Parse("TJ6QW8NDLC Confirmed. Ksh1,000.00 sent to KPLC PREPAID for account 37190000000 on 6/10/25 at 7:43 AM New M-PESA balance is Ksh21.73.");

        Assert.NotNull(receipt);
        Assert.Equal(MpesaSmsKind.Sent, receipt.Kind);
        Assert.Equal("KPLC PREPAID", receipt.CounterpartyName);
        Assert.Equal("37190000000", receipt.AccountNumber);
    }

    [Fact]
    public void Parse_MaskedWithLetters_KeepsTheRawPhoneWithoutLastDigits()
    {
        var receipt = MpesaSms.Parse("UD3X00000B Confirmed.on 3/4/26 at 12:05 AMKsh1,050.00 received from 0722XXXXXX GRACE MUTHONI. New Account balance is Ksh2,000.00.");

        Assert.NotNull(receipt);
        Assert.Equal("0722XXXXXX", receipt.SenderPhoneRaw);
        Assert.True(receipt.SenderPhoneMasked);
        Assert.Null(receipt.SenderPhoneE164);
        Assert.Null(receipt.SenderPhoneLast3);
        Assert.Equal("GRACE MUTHONI", receipt.CounterpartyName);
    }

    [Fact]
    public void Parse_NeverThrows_OnRandomAndMutatedText()
    {
        var random = new Random(20251030);
        const string alphabet = "0123456789 .,:*-/KshKSHreceivedfromonatAMPMConfirmedNewbalanceAccountNumberUtility\r\n\u00A0\u200Bá’😀";
        var parsed = 0;
        for (var i = 0; i < 3000; i++)
        {
            string text;
            if (i % 3 == 0)
            {
                text = RandomString(random, alphabet, random.Next(0, 400));
            }
            else
            {
                text = Mutate(random, Texts[random.Next(Texts.Length)]);
            }

            var receipt = MpesaSms.Parse(text);
            if (receipt is not null)
            {
                parsed++;
                Assert.InRange(receipt.TransactionCode.Length, 9, 10);
                Assert.True(receipt.AmountCents >= 0);
                Assert.Equal("KES", receipt.Currency);
            }
        }

        // Light mutations (a changed promo word, an extra space) still parse; the loop is not only rejecting.
        Assert.True(parsed > 100, $"only {parsed} parsed");

        Assert.Null(MpesaSms.Parse(new string('9', 100_000)));
        Assert.Null(MpesaSms.Parse(string.Concat(Enumerable.Repeat("Ksh1,", 399))));
    }

    private static string RandomString(Random random, string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        var edits = random.Next(0, 4);
        for (var i = 0; i < edits && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(4))
            {
                case 0:
                    builder.Remove(at, 1);
                    break;
                case 1:
                    builder.Insert(at, (char)random.Next(0, 0xFFFF));
                    break;
                case 2:
                    builder.Insert(at, ' ');
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }

    private static void AssertMatches(JsonElement expected, MpesaSmsReceipt receipt)
    {
        Assert.Equal(expected.GetProperty("kind").GetString(), EnumNames.ToName(receipt.Kind));
        Assert.Equal(expected.GetProperty("transactionCode").GetString(), receipt.TransactionCode);
        Assert.Equal(Cents(expected, "amount"), receipt.AmountCents);
        Assert.Equal(expected.GetProperty("currency").GetString(), receipt.Currency);
        Assert.Equal(expected.GetProperty("counterpartyName").GetString(), receipt.CounterpartyName);
        Assert.Equal(expected.GetProperty("senderPhoneRaw").GetString(), receipt.SenderPhoneRaw);
        Assert.Equal(expected.GetProperty("senderPhoneMasked").GetBoolean(), receipt.SenderPhoneMasked);
        Assert.Equal(expected.GetProperty("senderPhoneE164").GetString(), receipt.SenderPhoneE164);
        Assert.Equal(expected.GetProperty("senderPhoneLast3").GetString(), receipt.SenderPhoneLast3);
        Assert.Equal(expected.GetProperty("accountNumber").GetString(), receipt.AccountNumber);
        var occurred = OffsetDateTimePattern.ExtendedIso.Parse(expected.GetProperty("occurredAtLocal").GetString()!).GetValueOrThrow();
        Assert.Equal(occurred, receipt.OccurredAtLocal.WithOffset(Offset.FromHours(3)));
        Assert.Equal(occurred.ToInstant(), receipt.OccurredAt);
        Assert.Equal(Cents(expected, "balanceAfter"), receipt.BalanceAfterCents);
        Assert.Equal(Cents(expected, "transactionCost"), receipt.TransactionCostCents);
    }

    private static long? Cents(JsonElement expected, string field) =>
        expected.GetProperty(field).GetString() is { } text
            ? (long)(decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100)
            : null;
}
