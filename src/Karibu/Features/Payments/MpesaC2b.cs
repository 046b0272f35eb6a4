using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Karibu.Common;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Payments;

/// <summary>
/// A Daraja C2B confirmation (or validation) callback body, read leniently: string and number values are both
/// accepted, empty strings become <see langword="null"/>. Money is in cents (KES minor units);
/// <see cref="TransTimeLocal"/> is Kenyan local time as sent (<see cref="TransTime"/> is the instant).
/// </summary>
internal sealed record C2bConfirmation(
    string? TransactionType,
    string TransId,
    LocalDateTime TransTimeLocal,
    long AmountCents,
    string BusinessShortCode,
    string? BillRefNumber,
    string? InvoiceNumber,
    long? OrgAccountBalanceCents,
    string? ThirdPartyTransId,
    string? Msisdn,
    string? FirstName,
    string? MiddleName,
    string? LastName)
{
    public Instant TransTime => TransTimeLocal.WithOffset(MpesaFormats.Eat).ToInstant();

    /// <summary>
    /// The account number as customers type it, made comparable: trimmed, upper case, inner spaces removed
    /// ("inv 2041" → "INV2041"); <see langword="null"/> when empty.
    /// </summary>
    public string? NormalizedBillRef => MpesaC2b.NormalizeBillRef(BillRefNumber);

    /// <summary>The payer's registered names joined with single spaces; <see langword="null"/> when none is given.</summary>
    public string? PayerName
    {
        get
        {
            var name = string.Join(' ', new[] { FirstName, MiddleName, LastName }.Where(n => !string.IsNullOrEmpty(n)));
            return name.Length == 0 ? null : name;
        }
    }
}

/// <summary>
/// Reads Daraja C2B callback bodies (see the M-Pesa spec, §A.4). Never throws: a body that cannot be used adds
/// errors, keyed by the Daraja field name (<c>TransAmount</c>) or <c>body</c>, to the given
/// <see cref="Validation"/> and gives <see langword="null"/>. A confirmation is final on M-Pesa's side, so a
/// caller should keep the raw body and send such a failure to review rather than drop it.
/// </summary>
internal static class MpesaC2b
{
    private const int MaxTextLength = 200;

    private static readonly LocalDateTimePattern TransTimePattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMddHHmmss");

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    public static C2bConfirmation? Parse(string? body, Validation v)
    {
        if (body is null)
        {
            v.Add("body", "Is required: a JSON object.");
            return null;
        }

        return Parse(Encoding.UTF8.GetBytes(body), v);
    }

    public static C2bConfirmation? Parse(ReadOnlyMemory<byte> utf8Body, Validation v)
    {
        // JsonDocument neither skips a byte order mark nor checks the UTF-8 inside strings (reading them would throw).
        if (utf8Body.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Body = utf8Body[Encoding.UTF8.Preamble.Length..];
        }

        if (!Utf8.IsValid(utf8Body.Span))
        {
            v.Add("body", "Is not valid UTF-8.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body, DocumentOptions);
        }
        catch (JsonException e)
        {
            v.Add("body", $"Is not valid JSON ({e.Message}).");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                v.Add("body", $"Must be a JSON object (got {document.RootElement.ValueKind}).");
                return null;
            }

            try
            {
                return Read(document.RootElement, v);
            }
            catch (InvalidOperationException e)
            {
                // An escaped lone surrogate ("\uD800") is valid JSON but cannot become a .NET string.
                v.Add("body", $"Holds text that cannot be read ({e.Message}).");
                return null;
            }
        }
    }

    /// <summary>Trim, upper case and drop inner whitespace; <see langword="null"/> when nothing is left.</summary>
    public static string? NormalizeBillRef(string? billRef)
    {
        if (billRef is null)
        {
            return null;
        }

        var builder = new StringBuilder(billRef.Length);
        foreach (var c in billRef)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static C2bConfirmation? Read(JsonElement root, Validation v)
    {
        var ok = true;
        var transId = Text(root, "TransID", v, ref ok);
        var transTime = Text(root, "TransTime", v, ref ok);
        var transAmount = Text(root, "TransAmount", v, ref ok);
        var shortCode = Text(root, "BusinessShortCode", v, ref ok);
        var transactionType = Text(root, "TransactionType", v, ref ok);
        var billRef = Text(root, "BillRefNumber", v, ref ok);
        var invoice = Text(root, "InvoiceNumber", v, ref ok);
        var balance = Text(root, "OrgAccountBalance", v, ref ok);
        var thirdParty = Text(root, "ThirdPartyTransID", v, ref ok);
        var msisdn = Text(root, "MSISDN", v, ref ok);
        var firstName = Text(root, "FirstName", v, ref ok);
        var middleName = Text(root, "MiddleName", v, ref ok);
        var lastName = Text(root, "LastName", v, ref ok);

        if (transId is null)
        {
            ok &= Missing("TransID", v, transId);
        }
        else if (!transId.All(char.IsAsciiLetterOrDigit) || transId.Length > 20)
        {
            v.Add("TransID", $"'{transId}' is not an M-Pesa transaction code (letters and digits, like TJU4ABC1DE).");
            ok = false;
        }

        var when = default(LocalDateTime);
        if (transTime is null)
        {
            ok &= Missing("TransTime", v, transTime);
        }
        else
        {
            var parsed = TransTimePattern.Parse(transTime);
            if (parsed.Success && transTime.Length == 14)
            {
                when = parsed.Value;
            }
            else
            {
                v.Add("TransTime", $"'{transTime}' is not a time in the form yyyyMMddHHmmss (like 20251030143412).");
                ok = false;
            }
        }

        long cents = 0;
        if (transAmount is null)
        {
            ok &= Missing("TransAmount", v, transAmount);
        }
        else if (!MpesaFormats.TryParseCents(transAmount, allowThousands: false, out cents))
        {
            v.Add("TransAmount", $"'{transAmount}' is not an amount in shillings (digits with at most two decimals, like 1500.00).");
            ok = false;
        }
        else if (cents <= 0)
        {
            v.Add("TransAmount", $"Must be more than zero (got '{transAmount}').");
            ok = false;
        }

        if (shortCode is null)
        {
            ok &= Missing("BusinessShortCode", v, shortCode);
        }
        else if (!shortCode.All(char.IsAsciiDigit))
        {
            v.Add("BusinessShortCode", $"'{shortCode}' is not a shortcode (digits only, like 600984).");
            ok = false;
        }

        // The balance is informational (empty in validation requests) and never blocks a payment.
        long? balanceCents = balance is not null && MpesaFormats.TryParseCents(balance, allowThousands: true, out var b) ? b : null;

        return ok
            ? new C2bConfirmation(transactionType, transId!, when, cents, shortCode!, billRef, invoice, balanceCents, thirdParty,
                msisdn, firstName, middleName, lastName)
            : null;
    }

    private static bool Missing(string field, Validation v, string? value)
    {
        if (value is null && !v.Has(field))
        {
            v.Add(field, "Is required.");
        }

        return false;
    }

    /// <summary>
    /// A field's text: a JSON string (trimmed) or the literal of a JSON number; <see langword="null"/> when the
    /// field is absent, null or empty. Names are matched exactly first, then ignoring case.
    /// </summary>
    private static string? Text(JsonElement root, string field, Validation v, ref bool ok)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            var found = false;
            foreach (var property in root.EnumerateObject())
            {
                if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return null;
            }
        }

        string? text;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()?.Trim();
                break;
            case JsonValueKind.Number:
                text = value.GetRawText();
                break;
            case JsonValueKind.Null:
                return null;
            default:
                v.Add(field, $"Must be a string or a number (got {value.ValueKind}).");
                ok = false;
                return null;
        }

        if (text is { Length: > MaxTextLength })
        {
            v.Add(field, $"Is too long (at most {MaxTextLength} characters, got {text.Length}).");
            ok = false;
            return null;
        }

        return string.IsNullOrEmpty(text) ? null : text;
    }
}
