using Karibu.Common;
using Karibu.Features.Payments;
using Karibu.Features.Scheduling;
using NodaTime;

namespace Karibu.Tests.Features.Payments;

/// <summary>
/// Suggesting a customer from the amount and the time (M-Pesa spec §A.5 point 4), on the masked paybill fixture:
/// JANE WANJIKU, <c>2547 ***** 678</c>, KES 1,500.00 on 30 October 2025 at 14:34 in Nairobi.
/// </summary>
public sealed class PaymentSuggestionsTests
{
    private static readonly DateTimeZone Nairobi = DateTimeZoneProviders.Tzdb["Africa/Nairobi"];
    private static readonly Instant PaidAt = At(14, 34);

    private static readonly PayerCandidate JaneWanjiku = Candidate("+254712345678", "Jane Wanjiku");
    private static readonly PayerCandidate JaneMwangi = Candidate("+254733000678", "Jane Mwangi"); // also fits the mask and the name
    private static readonly PayerCandidate Unnamed678 = Candidate("+254799111678", null); // fits the mask, no name known
    private static readonly PayerCandidate MaryAchieng = Candidate("+254799000678", "Mary Achieng"); // fits the mask, not the name
    private static readonly PayerCandidate JaneOtherPhone = Candidate("+254712345679", "Jane Wanjiku"); // the name, not the mask
    private static readonly PayerCandidate[] Customers = [JaneWanjiku, JaneMwangi, Unnamed678, MaryAchieng, JaneOtherPhone];

    private static readonly PaymentEvidence Masked = new(150_000, "KES", PaidAt, "2547 ***** 678", "JANE WANJIKU");

    [Fact]
    public void TwoCustomersFitTheMask_TheOneWithAnAppointmentAtThatPrice_IsSuggested_OnBothKindsOfEvidence()
    {
        var match = Match(Masked);
        Assert.Equal(PayerMatchFailure.Ambiguous, match.Failure);

        var suggestion = PaymentSuggestions.Suggest(Masked, match, [Appointment(JaneMwangi, 14, 0, 60), Appointment(MaryAchieng, 13, 0, 60, price: 200_000)], Customers, Nairobi);

        Assert.NotNull(suggestion);
        Assert.Same(JaneMwangi, suggestion.Customer);
        Assert.Equal(SuggestionReason.MaskedPhoneNameAmountTime, suggestion.Reason);
    }

    [Fact]
    public void NoPhoneToGoOn_OneAppointmentAtThatPriceAndTime_IsSuggestedOnAmountAndTime()
    {
        var hashed = Masked with { PayerPhone = new string('a', 64) };
        var match = Match(hashed);
        Assert.False(match.IsMatch);

        var suggestion = PaymentSuggestions.Suggest(hashed, match, [Appointment(JaneOtherPhone, 13, 30, 60)], Customers, Nairobi);

        Assert.NotNull(suggestion);
        Assert.Same(JaneOtherPhone, suggestion.Customer);
        Assert.Equal(SuggestionReason.AmountAndTime, suggestion.Reason);
    }

    [Fact]
    public void AUniqueMaskedMatch_IsKept_AndNamesBothReasonsWhenTheAppointmentAgrees()
    {
        var alone = new[] { JaneWanjiku, MaryAchieng, JaneOtherPhone, Unnamed678 };
        var match = Match(Masked, alone);
        Assert.True(match.NeedsConfirmation);

        var agrees = PaymentSuggestions.Suggest(Masked, match, [Appointment(JaneWanjiku, 14, 0, 45)], alone, Nairobi);
        Assert.Equal((JaneWanjiku, SuggestionReason.MaskedPhoneNameAmountTime), (agrees!.Customer, agrees.Reason));

        var nothingBooked = PaymentSuggestions.Suggest(Masked, match, [], alone, Nairobi);
        Assert.Equal((JaneWanjiku, SuggestionReason.MaskedPhoneAndName), (nothingBooked!.Customer, nothingBooked.Reason));

        // The appointment points at a customer known only by a number that fits too: the name match still wins.
        var someoneElse = PaymentSuggestions.Suggest(Masked, match, [Appointment(Unnamed678, 14, 0, 45)], alone, Nairobi);
        Assert.Equal((JaneWanjiku, SuggestionReason.MaskedPhoneAndName), (someoneElse!.Customer, someoneElse.Reason));
    }

    [Fact]
    public void ACustomerKnownOnlyByAFittingNumber_IsConsistent_ButOneWhoseNumberOrNameContradicts_IsNot()
    {
        var match = Match(Masked);

        var unnamed = PaymentSuggestions.Suggest(Masked, match, [Appointment(Unnamed678, 14, 0, 60)], Customers, Nairobi);
        Assert.Equal((Unnamed678, SuggestionReason.AmountAndTime), (unnamed!.Customer, unnamed.Reason));

        Assert.Null(PaymentSuggestions.Suggest(Masked, match, [Appointment(MaryAchieng, 14, 0, 60)], Customers, Nairobi)); // another name
        Assert.Null(PaymentSuggestions.Suggest(Masked, match, [Appointment(JaneOtherPhone, 14, 0, 60)], Customers, Nairobi)); // another number

        // A full number that is nobody's: the appointment's customer is not who paid.
        var plain = Masked with { PayerPhone = "+254700000001" };
        Assert.Null(PaymentSuggestions.Suggest(plain, Match(plain), [Appointment(JaneWanjiku, 14, 0, 60)], Customers, Nairobi));
    }

    [Theory]
    [InlineData(15, 4, 30, true)] // starts 30 minutes after paying: paid on arrival
    [InlineData(15, 5, 30, false)] // starts 31 minutes after
    [InlineData(10, 34, 60, true)] // ended exactly 3 hours before
    [InlineData(10, 33, 60, false)] // ended 3 hours and a minute before
    [InlineData(14, 0, 120, true)] // paid during the appointment
    public void TheWindow_RunsFromHalfAnHourBeforeTheStart_ToThreeHoursAfterTheEnd(int hour, int minute, int minutes, bool suggested)
    {
        var suggestion = PaymentSuggestions.Suggest(Masked, Match(Masked), [Appointment(JaneMwangi, hour, minute, minutes)], Customers, Nairobi);

        Assert.Equal(suggested, suggestion?.Customer == JaneMwangi);
    }

    [Theory]
    [InlineData("pending", 150_000, "KES", true)]
    [InlineData("completed", 150_000, "KES", true)]
    [InlineData("cancelled", 150_000, "KES", false)]
    [InlineData("no_show", 150_000, "KES", false)]
    [InlineData("confirmed", 150_001, "KES", false)]
    [InlineData("confirmed", 150_000, "MXN", false)]
    public void OnlyAnAppointmentStillOnOrDone_AtExactlyTheAmount_Counts(string status, long price, string currency, bool suggested)
    {
        var appointment = Appointment(JaneMwangi, 14, 0, 60, price, currency) with { Status = EnumNames.Parse<AppointmentStatus>(status) };

        var suggestion = PaymentSuggestions.Suggest(Masked, Match(Masked), [appointment], Customers, Nairobi);

        Assert.Equal(suggested, suggestion is not null);
    }

    [Fact]
    public void TwoCustomersWithFittingAppointments_SuggestNobody()
    {
        Assert.Null(PaymentSuggestions.Suggest(Masked, Match(Masked),
            [Appointment(JaneMwangi, 14, 0, 60), Appointment(JaneWanjiku, 13, 0, 60)], Customers, Nairobi));

        // Two appointments of one customer are still one customer.
        var one = PaymentSuggestions.Suggest(Masked, Match(Masked), [Appointment(JaneMwangi, 13, 0, 30), Appointment(JaneMwangi, 14, 0, 30)], Customers, Nairobi);
        Assert.Same(JaneMwangi, one!.Customer);
    }

    [Fact]
    public void AnAppointmentOfThePreviousLocalDay_IsNotThePaymentsDay()
    {
        // Paid at 00:20; the appointment ran 22:00–23:00 the evening before (inside three hours, but another day).
        var paid = Masked with { PaidAt = new LocalDateTime(2025, 10, 31, 0, 20).InZoneStrictly(Nairobi).ToInstant() };
        var evening = Appointment(JaneMwangi, 22, 0, 60);

        Assert.Null(PaymentSuggestions.Suggest(paid, Match(paid), [evening], Customers, Nairobi));
        Assert.NotNull(PaymentSuggestions.Suggest(Masked with { PaidAt = At(23, 50) }, Match(Masked), [evening], Customers, Nairobi));
    }

    [Fact]
    public void ASureMatch_NeedsNoSuggestion()
    {
        var plain = Masked with { PayerPhone = "+254712345678" };
        var match = Match(plain);
        Assert.True(match.IsMatch && !match.NeedsConfirmation);

        Assert.Null(PaymentSuggestions.Suggest(plain, match, [Appointment(JaneWanjiku, 14, 0, 60)], Customers, Nairobi));
    }

    [Fact]
    public void ReasonNames_AreSnakeCase() =>
        Assert.Equal(["masked_phone_and_name", "amount_and_time", "masked_phone_name_amount_time"], EnumNames.All<SuggestionReason>());

    private static PayerMatch Match(PaymentEvidence payment, IEnumerable<PayerCandidate>? customers = null) =>
        MpesaPayer.Match(payment.PayerPhone, payment.PayerName, null, null, null, customers ?? Customers);

    private static Instant At(int hour, int minute) => new LocalDateTime(2025, 10, 30, hour, minute).InZoneStrictly(Nairobi).ToInstant();

    private static AppointmentCandidate Appointment(PayerCandidate customer, int hour, int minute, int minutes, long price = 150_000, string currency = "KES")
    {
        var start = At(hour, minute);
        return new AppointmentCandidate(customer.CustomerId, start, start + Duration.FromMinutes(minutes), price, currency, AppointmentStatus.Confirmed);
    }

    private static PayerCandidate Candidate(string phone, string? name) => new(Guid.CreateVersion7(), phone, name);
}
