using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Karibu.Common;
using NodaTime;

namespace Karibu.Features.Payments;

/// <summary>What an M-Pesa confirmation SMS records. Only the <c>…Received</c> kinds are money coming in.</summary>
internal enum MpesaSmsKind
{
    /// <summary>"You have received … from NAME PHONE" on a personal line.</summary>
    P2pReceived,

    /// <summary>"You have received … from" a bank (no phone; the name carries a bank word or a shortcode).</summary>
    BankReceived,

    /// <summary>"You have received … from" an organisation payout (B2C), with no phone.</summary>
    B2cReceived,

    /// <summary>Lipa na M-Pesa Buy Goods: "… received from PHONE NAME. New Account balance …".</summary>
    TillReceived,

    /// <summary>Paybill: "… received from NAME PHONE. Account Number … New Utility balance …".</summary>
    PaybillReceived,

    /// <summary>"Ksh… sent to NAME" — outgoing, recognised so it can be ignored.</summary>
    Sent,

    /// <summary>"Ksh… paid to MERCHANT." — outgoing, recognised so it can be ignored.</summary>
    Paid,
}

/// <summary>
/// One parsed M-Pesa confirmation SMS. Money is in cents (KES minor units). <see cref="OccurredAtLocal"/> is
/// Kenyan local time as printed; <see cref="OccurredAt"/> is the instant (EAT is UTC+03:00 all year).
/// The sender phone fields are only filled for money received from a person; for <see cref="MpesaSmsKind.Sent"/>
/// and <see cref="MpesaSmsKind.Paid"/> the balance and cost are not read either (the tracker ignores them).
/// </summary>
internal sealed record MpesaSmsReceipt(
    MpesaSmsKind Kind,
    string TransactionCode,
    long AmountCents,
    string Currency,
    string? CounterpartyName,
    string? SenderPhoneRaw,
    bool SenderPhoneMasked,
    string? SenderPhoneE164,
    string? SenderPhoneLast3,
    string? AccountNumber,
    LocalDateTime OccurredAtLocal,
    long? BalanceAfterCents,
    long? TransactionCostCents)
{
    public bool IsIncoming => Kind is not (MpesaSmsKind.Sent or MpesaSmsKind.Paid);

    public Instant OccurredAt => OccurredAtLocal.WithOffset(MpesaFormats.Eat).ToInstant();
}

/// <summary>What a text turned out to be.</summary>
internal enum MpesaSmsVerdict
{
    /// <summary>A confirmation read cleanly: <see cref="MpesaSmsReading.Receipt"/> holds it (money in or out).</summary>
    Read,

    /// <summary>Not an M-Pesa confirmation at all (a chat message, an empty or overlong text).</summary>
    NotMpesa,

    /// <summary>An M-Pesa text about something other than money changing hands with a person or business (airtime, Fuliza, M-Shwari, withdrawals, deposits, balance).</summary>
    OtherTransaction,

    /// <summary>It looks like an M-Pesa confirmation but does not read cleanly: keep it for a person to look at, never guess.</summary>
    NeedsReview,
}

/// <summary>The outcome of <see cref="MpesaSms.Read"/>: a receipt, or a verdict with the reason (for <see cref="MpesaSmsVerdict.NeedsReview"/>).</summary>
internal sealed record MpesaSmsReading(MpesaSmsVerdict Verdict, MpesaSmsReceipt? Receipt = null, string? Problem = null);

/// <summary>
/// Reads the confirmation texts M-Pesa sends (sender id <c>MPESA</c>) to a personal line, a till's or a
/// paybill's notification phone, as pasted or read on the device. Layouts are those of 2011–2026 messages
/// (see the M-Pesa spec, §B). Pure and total: any input gives a receipt or <see langword="null"/>, never an
/// exception. <see cref="Parse"/> gives <see langword="null"/> for anything that is not a confirmation it reads
/// (airtime, Fuliza, reversals, other texts, or a message that does not match cleanly); <see cref="Read"/> tells
/// those apart, so a text that looks like a confirmation but does not read cleanly goes to review (§B.2).
/// A pasted text is not proof of payment; the caller decides how far to trust it.
/// </summary>
internal static partial class MpesaSms
{
    // A confirmation is a few hundred characters; anything far longer is not one, and the cap bounds regex work.
    private const int MaxLength = 2000;
    private const int RegexTimeoutMs = 200;

    private const string Amount = @"(?:ksh|kes)\s?([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{2})?|[0-9]+(?:\.[0-9]{2})?)(?![.,]?[0-9])";
    private const string AmountGroup = "(?<amount>" + Amount + ")";
    private const string BalanceGroup = "(?<balance>" + Amount + ")";
    private const string CostGroup = "(?<cost>" + Amount + ")";
    private const string When = @"(?<day>[0-9]{1,2})/(?<month>[0-9]{1,2})/(?<year>[0-9]{2})\s*at\s*(?<hour>[0-9]{1,2}):(?<minute>[0-9]{2})\s*(?<ampm>am|pm)";
    private const string Phone = @"\+?(?:254|0)[17][0-9*x•]{7,10}";
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>Parses one message; <see langword="null"/> when it is not an M-Pesa confirmation understood here.</summary>
    public static MpesaSmsReceipt? Parse(string? text) => Read(text).Receipt;

    /// <summary>Reads one message: a receipt, or why there is none.</summary>
    public static MpesaSmsReading Read(string? text)
    {
        try
        {
            var normalized = Normalize(text);
            return normalized is null ? NotMpesa : ReadNormalized(normalized);
        }
        catch (RegexMatchTimeoutException)
        {
            return new MpesaSmsReading(MpesaSmsVerdict.NeedsReview, Problem: "The text took too long to read.");
        }
    }

    private static readonly MpesaSmsReading NotMpesa = new(MpesaSmsVerdict.NotMpesa);

    private static MpesaSmsReading ReadNormalized(string text)
    {
        var head = Head().Match(text);
        if (!head.Success)
        {
            return LooksLikeConfirmation().IsMatch(text)
                ? Review("It reads like an M-Pesa confirmation but does not start with a transaction code (10 capital letters and digits) followed by \"Confirmed\".")
                : NotMpesa;
        }

        var code = head.Groups["code"].Value;
        var rest = text[head.Length..];

        var m = Received().Match(rest);
        if (m.Success)
        {
            return FromPersonal(code, m);
        }

        m = Paybill().Match(rest);
        if (m.Success)
        {
            return FromBusiness(code, m, MpesaSmsKind.PaybillReceived, m.Groups["account"].Value);
        }

        m = Till().Match(rest);
        if (m.Success)
        {
            return FromBusiness(code, m, MpesaSmsKind.TillReceived, account: null);
        }

        m = Sent().Match(rest);
        if (m.Success)
        {
            return FromOutgoing(code, m, MpesaSmsKind.Sent);
        }

        m = Paid().Match(rest);
        if (m.Success)
        {
            return FromOutgoing(code, m, MpesaSmsKind.Paid);
        }

        // A reversal takes back money already recorded: a person must look (spec §B.1 point 4).
        if (Reversal().IsMatch(rest))
        {
            return Review($"An M-Pesa reversal ({code}): check which recorded payment it takes back.");
        }

        // Money received that did not read cleanly (a mangled amount, a cut-off text) is never dropped.
        if (!MentionsReceived().IsMatch(rest) && OtherTransaction().IsMatch(rest))
        {
            return new MpesaSmsReading(MpesaSmsVerdict.OtherTransaction);
        }

        return Review($"It starts like an M-Pesa confirmation ({code} Confirmed) but its wording, amount or date is not one Karibu reads.");
    }

    private static MpesaSmsReading Review(string problem) => new(MpesaSmsVerdict.NeedsReview, Problem: problem);

    private static MpesaSmsReading Unreadable(string code, string what) =>
        Review($"An M-Pesa confirmation ({code}) whose {what} could not be read.");

    private static MpesaSmsReading FromPersonal(string code, Match m)
    {
        if (!TryCommon(m, out var amount, out var when, out var problem))
        {
            return Unreadable(code, problem);
        }

        if (!TryAmount(m.Groups["balance"], out var balance))
        {
            return Unreadable(code, "balance");
        }

        var who = CleanWho(m.Groups["who"].Value);
        var split = NameThenPhone().Match(who);
        if (split.Success)
        {
            var phone = PhoneFacts(split.Groups["phone"].Value);
            return Receipt(new MpesaSmsReceipt(MpesaSmsKind.P2pReceived, code, amount, "KES", CleanName(split.Groups["name"].Value),
                phone.Raw, phone.Masked, phone.E164, phone.Last3, null, when, balance, null));
        }

        // No phone: money from a bank (its name or its paybill number shows) or an organisation's payout.
        var name = CleanName(who);
        var kind = BankHint().IsMatch(who) ? MpesaSmsKind.BankReceived : MpesaSmsKind.B2cReceived;
        return Receipt(new MpesaSmsReceipt(kind, code, amount, "KES", name, null, false, null, null, null, when, balance, null));
    }

    private static MpesaSmsReading Receipt(MpesaSmsReceipt receipt) => new(MpesaSmsVerdict.Read, receipt);

    private static MpesaSmsReading FromBusiness(string code, Match m, MpesaSmsKind kind, string? account)
    {
        if (!TryCommon(m, out var amount, out var when, out var problem))
        {
            return Unreadable(code, problem);
        }

        if (!TryAmount(m.Groups["balance"], out var balance))
        {
            return Unreadable(code, "balance");
        }

        long? cost = null;
        if (m.Groups["cost"].Success)
        {
            if (!TryAmount(m.Groups["cost"], out var c))
            {
                return Unreadable(code, "transaction cost");
            }

            cost = c;
        }

        var who = CleanWho(m.Groups["who"].Value);

        // Tills print the phone first ("254721000111 ANN WAITHERA"), paybills and bank transfers after the
        // name ("LUCY NJERI 254725000734", "488519-NCBA Bank M- pesa:254780000123"); either is accepted.
        var split = PhoneThenName().Match(who);
        if (!split.Success)
        {
            split = NameThenPhone().Match(who);
        }

        var phone = split.Success ? PhoneFacts(split.Groups["phone"].Value) : default;
        var name = CleanName(split.Success ? split.Groups["name"].Value : who);
        var accountNumber = account is null ? null : CleanName(account);
        return Receipt(new MpesaSmsReceipt(kind, code, amount, "KES", name, phone.Raw, phone.Masked, phone.E164, phone.Last3,
            accountNumber, when, balance, cost));
    }

    private static MpesaSmsReading FromOutgoing(string code, Match m, MpesaSmsKind kind)
    {
        if (!TryCommon(m, out var amount, out var when, out _))
        {
            // Money going out is ignored however it reads.
            return new MpesaSmsReading(MpesaSmsVerdict.OtherTransaction);
        }

        var who = CleanWho(m.Groups["who"].Value);
        string? account = null;
        var forAccount = ForAccount().Match(who);
        if (forAccount.Success)
        {
            who = forAccount.Groups["name"].Value;
            account = CleanName(forAccount.Groups["account"].Value);
        }

        // The recipient's phone is not the payer's: it is dropped from the name and not reported.
        var split = NameThenPhone().Match(who);
        var name = CleanName(split.Success ? split.Groups["name"].Value : who);
        return Receipt(new MpesaSmsReceipt(kind, code, amount, "KES", name, null, false, null, null, account, when, null, null));
    }

    private static bool TryCommon(Match m, out long amount, out LocalDateTime when, out string problem)
    {
        when = default;
        problem = !TryAmount(m.Groups["amount"], out amount) ? "amount" : !TryWhen(m, out when) ? "date or time" : "";
        return problem.Length == 0;
    }

    private static bool TryAmount(Group group, out long cents)
    {
        // The group holds "Ksh1,500.00"; the number starts at the first digit.
        var value = group.ValueSpan;
        var start = value.IndexOfAnyInRange('0', '9');
        cents = 0;
        return start >= 0 && MpesaFormats.TryParseCents(value[start..], allowThousands: true, out cents);
    }

    private static bool TryWhen(Match m, out LocalDateTime when)
    {
        when = default;
        var hour = Number(m.Groups["hour"]);
        if (hour is < 1 or > 12)
        {
            return false;
        }

        // 12:05 AM is five past midnight, 12:05 PM five past noon.
        var pm = m.Groups["ampm"].ValueSpan.StartsWith("p", StringComparison.OrdinalIgnoreCase);
        hour = (hour % 12) + (pm ? 12 : 0);
        return MpesaFormats.TryLocalDateTime(2000 + Number(m.Groups["year"]), Number(m.Groups["month"]),
            Number(m.Groups["day"]), hour, Number(m.Groups["minute"]), 0, out when);
    }

    private static int Number(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static PhoneFact PhoneFacts(string raw)
    {
        var digits = raw.StartsWith('+') ? raw.AsSpan(1) : raw.AsSpan();
        var masked = digits.ContainsAnyExceptInRange('0', '9');
        var e164 = !masked && PhoneNumbers.TryNormalize(raw, "KE", out var normalized, out _) ? normalized : null;
        var last3 = raw.Length >= 3 && !raw.AsSpan(raw.Length - 3).ContainsAnyExceptInRange('0', '9') ? raw[^3..] : null;
        return new PhoneFact(raw, masked, e164, last3);
    }

    private static string CleanWho(string who) => who.Trim().TrimEnd('.').TrimEnd();

    private static string? CleanName(string name)
    {
        var cleaned = name.Trim().TrimEnd('.', ':', ',', '-').TrimEnd();
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>
    /// One line of text: line breaks and other spaces become one space, invisible format characters (zero-width
    /// spaces, direction marks, BOM) disappear. Null when the text is empty or too long to be a confirmation.
    /// </summary>
    private static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            if (pendingSpace && builder.Length > 0)
            {
                builder.Append(' ');
            }

            pendingSpace = false;
            builder.Append(c);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private readonly record struct PhoneFact(string? Raw, bool Masked, string? E164, string? Last3);

    // The code is case-sensitive (upper case); "Confirmed" may be lower case after "Congratulations!".
    [GeneratedRegex(@"^(?:congratulations!?\s*)?(?-i:(?<code>[A-Z0-9]{9,10}))\s*confirmed\b\.?\s*", Options, RegexTimeoutMs)]
    private static partial Regex Head();

    [GeneratedRegex(@"^you\s+have\s+received\s*" + AmountGroup + @"\s*from\s*(?<who>.+?)\s+on\s*" + When
        + @"\.?\s*new\s+m-?pesa\s+balance\s+is\s*" + BalanceGroup, Options, RegexTimeoutMs)]
    private static partial Regex Received();

    // Older paybill texts had line breaks; ACCOUNT is free text (may hold spaces) and ends at "New Utility".
    [GeneratedRegex(@"^on\s*" + When + @"\.?\s*" + AmountGroup + @"\s*received\s+from\s*(?<who>.+?)\.?\s*account\s+number\s*(?<account>.+?)\s*new\s+utility\s+balance\s+is\s*"
        + BalanceGroup, Options, RegexTimeoutMs)]
    private static partial Regex Paybill();

    // The phone app hides the space between time and amount: "at 3:57 PMKsh40.00".
    [GeneratedRegex(@"^on\s*" + When + @"\.?\s*" + AmountGroup + @"\s*received\s+from\s*(?<who>.+?)\.?\s*new\s+account\s+balance\s+is\s*"
        + BalanceGroup + @"(?:\.?\s*transaction\s+cost,?\s*" + CostGroup + ")?", Options, RegexTimeoutMs)]
    private static partial Regex Till();

    [GeneratedRegex(@"^" + AmountGroup + @"\s*sent\s+to\s*(?<who>.+?)\s+on\s*" + When, Options, RegexTimeoutMs)]
    private static partial Regex Sent();

    [GeneratedRegex(@"^" + AmountGroup + @"\s*paid\s+to\s*(?<who>.+?)\s+on\s*" + When, Options, RegexTimeoutMs)]
    private static partial Regex Paid();

    [GeneratedRegex(@"^(?<name>.*?)[\s:]+(?<phone>" + Phone + ")$", Options, RegexTimeoutMs)]
    private static partial Regex NameThenPhone();

    [GeneratedRegex(@"^(?<phone>" + Phone + @")[\s:]+(?<name>.+)$", Options, RegexTimeoutMs)]
    private static partial Regex PhoneThenName();

    [GeneratedRegex(@"^(?<name>.+?)\s+for\s+account\s+(?<account>.+)$", Options, RegexTimeoutMs)]
    private static partial Regex ForAccount();

    // Without a readable head: "confirmed" plus an amount or the M-PESA name (a mistyped or cut transaction code).
    [GeneratedRegex(@"^(?=.*\bconfirmed\b)(?=.*(?:(?:ksh|kes)\s?[0-9]|\bm-?pesa\b))", Options, RegexTimeoutMs)]
    private static partial Regex LooksLikeConfirmation();

    [GeneratedRegex(@"\breversed\b|\breversal\b", Options, RegexTimeoutMs)]
    private static partial Regex Reversal();

    [GeneratedRegex(@"\breceived\b", Options, RegexTimeoutMs)]
    private static partial Regex MentionsReceived();

    // M-Pesa texts that are not money from a customer (spec §B.1 point 4), recognised so they are not sent to review.
    // "Withdraw" is glued to the time in real texts ("2:34 PMWithdraw Ksh…"), so it has no leading boundary.
    [GeneratedRegex(@"\bairtime\b|\bfuliza\b|m-?shwari\b|withdraw|\bgive\s*(?:ksh|kes)|\btransferred\s+(?:to|from)\b|\bbalance\s+was\b|\b(?:sent|paid)\s+to\b", Options, RegexTimeoutMs)]
    private static partial Regex OtherTransaction();

    // "Equity Bulk Account 300600", "KCB BANK": a bank word, or a trailing paybill number.
    [GeneratedRegex(@"\bbank\b|\s[0-9]{5,7}$", Options, RegexTimeoutMs)]
    private static partial Regex BankHint();
}
