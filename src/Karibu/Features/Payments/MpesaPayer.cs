using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Karibu.Common;

namespace Karibu.Features.Payments;

/// <summary>The three shapes of a C2B <c>MSISDN</c> (M-Pesa spec §A.5), plus empty and unreadable.</summary>
internal enum MsisdnKind
{
    /// <summary>Absent or empty (till-to-till transfers, for example).</summary>
    None,

    /// <summary>A full number: <c>254708374149</c> (sandbox and older integrations).</summary>
    Plain,

    /// <summary>Digits hidden by <c>*</c> (or <c>X</c>, <c>•</c>): <c>2547 ***** 126</c>, <c>0712***678</c>.</summary>
    Masked,

    /// <summary>64 hex characters: SHA-256 of the number.</summary>
    Hashed,

    /// <summary>Something else; kept raw, never matched.</summary>
    Unrecognized,
}

/// <summary>
/// A classified <c>MSISDN</c>. <see cref="Msisdn"/> is the plain number as Daraja writes it (<c>2547…</c>, no '+'),
/// <see cref="Hash"/> the lower-case hex hash, <see cref="VisiblePrefix"/>/<see cref="VisibleSuffix"/> the digits a
/// mask leaves visible, the prefix rewritten to the <c>254…</c> form (<c>0712***678</c> → <c>254712</c>, <c>678</c>).
/// </summary>
internal readonly record struct MsisdnInfo(
    MsisdnKind Kind,
    string? Msisdn = null,
    string? Hash = null,
    string? VisiblePrefix = null,
    string? VisibleSuffix = null);

/// <summary>A customer the payer could be: id, phone (E.164) and the name the business knows them by.</summary>
internal sealed record PayerCandidate(Guid CustomerId, string PhoneE164, string? DisplayName);

/// <summary>How a payer was (or was tried to be) identified.</summary>
internal enum PayerMatchMethod
{
    None,

    /// <summary><c>BillRefNumber</c> was a phone number (07…, 2547…, +2547…).</summary>
    BillRef,

    /// <summary>Plain MSISDN equal to the customer's phone.</summary>
    Plain,

    /// <summary>Hashed MSISDN equal to the hash of the customer's phone.</summary>
    Hashed,

    /// <summary>Visible digits of a masked MSISDN plus a shared name word. A hint, not proof.</summary>
    Masked,
}

internal enum PayerMatchFailure
{
    None,

    /// <summary>No candidate fits.</summary>
    NoCandidate,

    /// <summary>More than one candidate fits; <see cref="PayerMatch.Fits"/> lists them.</summary>
    Ambiguous,

    /// <summary>Nothing to match on: no usable MSISDN and a <c>BillRefNumber</c> that is not a phone number.</summary>
    NoPayerDetails,
}

/// <summary>
/// The outcome of <c>MpesaPayer.Match</c>:
/// either <see cref="Customer"/> with the <see cref="Method"/> that found it, or a <see cref="Failure"/> with the
/// method that was tried last (<see cref="PayerMatchMethod.None"/> when there was nothing to try).
/// </summary>
internal sealed record PayerMatch(
    PayerMatchMethod Method,
    PayerCandidate? Customer,
    PayerMatchFailure Failure,
    IReadOnlyList<PayerCandidate> Fits)
{
    public bool IsMatch => Customer is not null;

    /// <summary>
    /// A masked match rests on three digits and a name word; the spec (§A.5) says never to assign a payment on
    /// that alone, so show it as a suggestion to confirm.
    /// </summary>
    public bool NeedsConfirmation => Method == PayerMatchMethod.Masked && IsMatch;
}

/// <summary>
/// Finds which customer paid, from a C2B callback's <c>MSISDN</c>, payer names and <c>BillRefNumber</c>. Pure.
/// <list type="bullet">
/// <item>BillRefNumber that is a Kenyan phone number → the customer with that phone (the account the payer named
/// wins over who paid; tried first).</item>
/// <item>Plain MSISDN → the customer with that phone.</item>
/// <item>Hashed MSISDN → the customer whose <see cref="HashMsisdn"/> is equal.</item>
/// <item>Masked MSISDN → customers whose phone has the visible digits and whose name shares a word with the payer's
/// names (case and accents ignored); exactly one must fit.</item>
/// </list>
/// Any other BillRefNumber (an invoice or account code) is left to the caller.
/// </summary>
internal static class MpesaPayer
{
    private const int HashLength = 64;

    /// <summary>
    /// What Daraja's hashed MSISDN is taken to be: SHA-256 over the ASCII of the 12-digit number without '+'
    /// (<c>254712345678</c>), in lower-case hex. That Safaricom hashes exactly this string is inferred (spec §A.5),
    /// not documented. <see langword="null"/> when <paramref name="phone"/> is not a Kenyan number.
    /// </summary>
    public static string? HashMsisdn(string? phone)
    {
        var msisdn = ToMsisdn(phone);
        return msisdn is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(msisdn)));
    }

    public static MsisdnInfo Classify(string? msisdn)
    {
        var text = msisdn?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return new MsisdnInfo(MsisdnKind.None);
        }

        if (text.Length == HashLength && text.All(char.IsAsciiHexDigit))
        {
            return new MsisdnInfo(MsisdnKind.Hashed, Hash: text.ToLowerInvariant());
        }

        if (text.Any(IsMaskChar))
        {
            return ClassifyMasked(text);
        }

        var plain = ToMsisdn(text);
        return plain is null ? new MsisdnInfo(MsisdnKind.Unrecognized) : new MsisdnInfo(MsisdnKind.Plain, Msisdn: plain);
    }

    /// <summary>
    /// The Kenyan phone number an account reference spells (<c>0712 345 678</c>, <c>254712345678</c>,
    /// <c>+254712345678</c>), as E.164; <see langword="null"/> for anything else, including a bare 9-digit
    /// number, which is as likely to be an account code.
    /// </summary>
    public static string? BillRefPhone(string? billRef)
    {
        var compact = MpesaC2b.NormalizeBillRef(billRef)?.Replace("-", "", StringComparison.Ordinal);
        if (compact is null)
        {
            return null;
        }

        var digits = compact.StartsWith('+') ? compact[1..] : compact;
        var looksLikePhone = digits.All(char.IsAsciiDigit)
            && ((digits.Length == 10 && digits[0] == '0' && digits[1] is '7' or '1')
                || (digits.Length == 12 && digits.StartsWith("254", StringComparison.Ordinal) && digits[3] is '7' or '1'));
        return looksLikePhone && PhoneNumbers.TryNormalize(compact, "KE", out var e164, out _) ? e164 : null;
    }

    public static PayerMatch Match(C2bConfirmation confirmation, IEnumerable<PayerCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return Match(confirmation.Msisdn, confirmation.FirstName, confirmation.MiddleName, confirmation.LastName,
            confirmation.BillRefNumber, candidates);
    }

    public static PayerMatch Match(string? msisdn, string? firstName, string? middleName, string? lastName, string? billRefNumber,
        IEnumerable<PayerCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var people = candidates.Select(c => (Candidate: c, Msisdn: ToMsisdn(c.PhoneE164))).Where(p => p.Msisdn is not null).ToList();

        PayerMatch? billRefMiss = null;
        var billRefPhone = BillRefPhone(billRefNumber);
        if (billRefPhone is not null)
        {
            var wanted = ToMsisdn(billRefPhone);
            var byBillRef = Decide(PayerMatchMethod.BillRef, people.Where(p => p.Msisdn == wanted).Select(p => p.Candidate));
            if (byBillRef.Failure != PayerMatchFailure.NoCandidate)
            {
                return byBillRef;
            }

            billRefMiss = byBillRef;
        }

        var info = Classify(msisdn);
        switch (info.Kind)
        {
            case MsisdnKind.Plain:
                return Decide(PayerMatchMethod.Plain, people.Where(p => p.Msisdn == info.Msisdn).Select(p => p.Candidate));

            case MsisdnKind.Hashed:
                return Decide(PayerMatchMethod.Hashed, people
                    .Where(p => string.Equals(Sha256Hex(p.Msisdn!), info.Hash, StringComparison.Ordinal))
                    .Select(p => p.Candidate));

            case MsisdnKind.Masked:
                var payerWords = NameWords(firstName).Concat(NameWords(middleName)).Concat(NameWords(lastName)).ToHashSet(StringComparer.Ordinal);
                return Decide(PayerMatchMethod.Masked, people
                    .Where(p => FitsMask(p.Msisdn!, info) && NameWords(p.Candidate.DisplayName).Any(payerWords.Contains))
                    .Select(p => p.Candidate));

            case MsisdnKind.None:
            case MsisdnKind.Unrecognized:
            default:
                return billRefMiss ?? new PayerMatch(PayerMatchMethod.None, null, PayerMatchFailure.NoPayerDetails, []);
        }
    }

    /// <summary>
    /// The words of a name for comparison: accents and apostrophes removed (NDUNG’U = Ndungu), upper case, split on
    /// anything that is not a letter or digit, one-letter initials dropped.
    /// </summary>
    public static IEnumerable<string> NameWords(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            yield break;
        }

        var word = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToUpperInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '\u2019' or '\u2018' or '`')
            {
                // Part of the letter or of the word (NDUNG'U): dropped without ending the word.
            }
            else if (word.Length > 0)
            {
                if (word.Length > 1)
                {
                    yield return word.ToString();
                }

                word.Clear();
            }
        }

        if (word.Length > 1)
        {
            yield return word.ToString();
        }
    }

    /// <summary>
    /// Whether a customer could be the payer given what M-Pesa showed: a full number must be theirs, a masked one
    /// must fit their number, and when both sides have a name they must share a word (a customer known only by
    /// phone contradicts no name). A hashed number is no evidence either way: how Safaricom hashes is inferred.
    /// </summary>
    public static bool IsConsistent(PayerCandidate candidate, MsisdnInfo payerPhone, IReadOnlySet<string> payerWords)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(payerWords);
        var phoneFits = payerPhone.Kind switch
        {
            MsisdnKind.Plain => ToMsisdn(candidate.PhoneE164) == payerPhone.Msisdn,
            MsisdnKind.Masked => ToMsisdn(candidate.PhoneE164) is { } msisdn && FitsMask(msisdn, payerPhone),
            _ => true,
        };
        if (!phoneFits || payerWords.Count == 0)
        {
            return phoneFits;
        }

        var words = NameWords(candidate.DisplayName).ToList();
        return words.Count == 0 || words.Any(payerWords.Contains);
    }

    /// <summary>What a masked match needs: the customer's number fits the mask and their name shares a word with the payer's.</summary>
    public static bool FitsMaskAndName(PayerCandidate candidate, MsisdnInfo payerPhone, IReadOnlySet<string> payerWords)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(payerWords);
        return payerPhone.Kind == MsisdnKind.Masked
            && ToMsisdn(candidate.PhoneE164) is { } msisdn && FitsMask(msisdn, payerPhone)
            && NameWords(candidate.DisplayName).Any(payerWords.Contains);
    }

    private static PayerMatch Decide(PayerMatchMethod method, IEnumerable<PayerCandidate> fitting)
    {
        var fits = fitting.DistinctBy(c => c.CustomerId).ToList();
        return fits.Count switch
        {
            0 => new PayerMatch(method, null, PayerMatchFailure.NoCandidate, []),
            1 => new PayerMatch(method, fits[0], PayerMatchFailure.None, fits),
            _ => new PayerMatch(method, null, PayerMatchFailure.Ambiguous, fits),
        };
    }

    private static bool FitsMask(string msisdn, MsisdnInfo mask)
    {
        var prefix = mask.VisiblePrefix ?? "";
        var suffix = mask.VisibleSuffix ?? "";

        // The number of stars is not the number of hidden digits ("2547******635" hides five), so only the visible
        // ends are compared.
        return prefix.Length + suffix.Length < msisdn.Length
            && msisdn.StartsWith(prefix, StringComparison.Ordinal)
            && msisdn.EndsWith(suffix, StringComparison.Ordinal);
    }

    private static MsisdnInfo ClassifyMasked(string text)
    {
        // One run of hidden digits between visible ones: "2547 ***** 126", "0712***678", "+2547XXXXX654", "0722XXXX89".
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        var body = compact.StartsWith('+') ? compact[1..] : compact;
        var start = body.AsSpan().IndexOfAnyExceptInRange('0', '9');
        if (start < 0)
        {
            return new MsisdnInfo(MsisdnKind.Unrecognized);
        }

        var end = start;
        while (end < body.Length && IsMaskChar(body[end]))
        {
            end++;
        }

        var prefix = body[..start];
        var suffix = body[end..];
        if (suffix.Length < 2 || !suffix.All(char.IsAsciiDigit))
        {
            return new MsisdnInfo(MsisdnKind.Unrecognized);
        }

        // The visible start in the 254… form; a national 0 becomes 254, a bare 7/1 gets 254 in front.
        string? visiblePrefix = prefix switch
        {
            "" => "",
            _ when prefix.StartsWith("254", StringComparison.Ordinal) => prefix,
            _ when prefix[0] == '0' => string.Concat("254", prefix.AsSpan(1)),
            _ when prefix[0] is '7' or '1' && !compact.StartsWith('+') => string.Concat("254", prefix),
            _ => null,
        };

        return visiblePrefix is null || visiblePrefix.Length + suffix.Length >= 12
            ? new MsisdnInfo(MsisdnKind.Unrecognized)
            : new MsisdnInfo(MsisdnKind.Masked, VisiblePrefix: visiblePrefix, VisibleSuffix: suffix);
    }

    private static bool IsMaskChar(char c) => c is '*' or 'X' or 'x' or '•' or '\u2217';

    /// <summary>The 12-digit <c>254…</c> form Daraja uses, from any Kenyan form; <see langword="null"/> otherwise.</summary>
    private static string? ToMsisdn(string? phone) =>
        PhoneNumbers.TryNormalize(phone, "KE", out var e164, out _) && e164.StartsWith("+254", StringComparison.Ordinal) && e164.Length == 13
            ? e164[1..]
            : null;

    private static string Sha256Hex(string msisdn) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(msisdn)));
}
