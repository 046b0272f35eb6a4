using Karibu.Features.Scheduling;
using NodaTime;

namespace Karibu.Features.Payments;

/// <summary>Why a payment carries a <c>suggested_customer_id</c>.</summary>
internal enum SuggestionReason
{
    /// <summary>The visible digits of a masked number fit one customer, whose name shares a word with the payer's.</summary>
    MaskedPhoneAndName,

    /// <summary>One customer had an appointment around the time of payment whose price is the amount paid.</summary>
    AmountAndTime,

    /// <summary>Both: the masked number and name fit, and so do the amount and the time.</summary>
    MaskedPhoneNameAmountTime,
}

/// <summary>An appointment a payment could be for: its customer, its UTC times, its price.</summary>
internal sealed record AppointmentCandidate(Guid CustomerId, Instant Start, Instant End, long PriceCents, string Currency, AppointmentStatus Status);

/// <summary>What a payment tells about who paid and for what.</summary>
internal sealed record PaymentEvidence(long AmountCents, string Currency, Instant PaidAt, string? PayerPhone, string? PayerName);

internal sealed record PaymentSuggestion(PayerCandidate Customer, SuggestionReason Reason);

/// <summary>
/// A customer to suggest for a payment no sure match tied to anyone (M-Pesa spec §A.5 point 4): the masked-number
/// match if there is one, else the one customer whose appointment fits the amount and the time. Pure; a
/// suggestion is shown to the owner to confirm, never assigned.
/// <para>
/// An appointment fits when it is booked or done (pending, confirmed, completed), its price is the amount paid in
/// the same currency, it starts on the business-local day of the payment, and the payment falls between
/// <see cref="EarlyPayment"/> before its start and <see cref="LatePayment"/> after its end (paying at the till
/// before sitting down, or after a service that ran late). Its customer must not contradict what M-Pesa showed
/// of the payer (<see cref="MpesaPayer.IsConsistent"/>).
/// </para>
/// </summary>
internal static class PaymentSuggestions
{
    public static readonly Duration EarlyPayment = Duration.FromMinutes(30);
    public static readonly Duration LatePayment = Duration.FromHours(3);

    /// <summary>Appointments worth loading: those starting by <c>To</c> and ending at or after <c>From</c>.</summary>
    public static (Instant From, Instant To) Window(Instant paidAt) => (paidAt - LatePayment, paidAt + EarlyPayment);

    public static PaymentSuggestion? Suggest(
        PaymentEvidence payment, PayerMatch match, IEnumerable<AppointmentCandidate> appointments, IEnumerable<PayerCandidate> customers,
        DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(appointments);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(zone);
        if (match.IsMatch && !match.NeedsConfirmation)
        {
            return null; // A sure match assigns the payment: nothing to suggest.
        }

        var phone = MpesaPayer.Classify(payment.PayerPhone);
        var words = MpesaPayer.NameWords(payment.PayerName).ToHashSet(StringComparer.Ordinal);
        var byId = customers.DistinctBy(c => c.CustomerId).ToDictionary(c => c.CustomerId);
        var (from, to) = Window(payment.PaidAt);
        var day = payment.PaidAt.InZone(zone).Date;
        var fitting = appointments
            .Where(a => a.Status is AppointmentStatus.Pending or AppointmentStatus.Confirmed or AppointmentStatus.Completed
                && a.PriceCents == payment.AmountCents
                && string.Equals(a.Currency, payment.Currency, StringComparison.OrdinalIgnoreCase)
                && a.Start <= to && a.End >= from
                && a.Start.InZone(zone).Date == day)
            .Select(a => byId.GetValueOrDefault(a.CustomerId))
            .OfType<PayerCandidate>()
            .Where(c => MpesaPayer.IsConsistent(c, phone, words))
            .DistinctBy(c => c.CustomerId)
            .ToList();
        var byAppointment = fitting.Count == 1 ? fitting[0] : null;

        if (match.NeedsConfirmation)
        {
            var masked = match.Customer!;
            return new PaymentSuggestion(masked,
                byAppointment?.CustomerId == masked.CustomerId ? SuggestionReason.MaskedPhoneNameAmountTime : SuggestionReason.MaskedPhoneAndName);
        }

        if (byAppointment is null)
        {
            return null;
        }

        // Several customers fitting the mask and name, told apart by the appointment: both kinds of evidence.
        return new PaymentSuggestion(byAppointment, MpesaPayer.FitsMaskAndName(byAppointment, phone, words)
            ? SuggestionReason.MaskedPhoneNameAmountTime
            : SuggestionReason.AmountAndTime);
    }
}
