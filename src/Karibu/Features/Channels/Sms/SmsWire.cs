using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Karibu.Features.Channels.Sms;

/// <summary>What the SMS clients share: number formats, lenient reading of provider payloads, and the HTTP exchange.</summary>
internal static class SmsWire
{
    // Provider text quoted in an error is cut here: enough to recognise, not enough to flood a log or a UI.
    private const int MaxQuotedLength = 200;

    /// <summary>The digits of an E.164 number (<c>+254712345678</c> → <c>254712345678</c>); null if it is not one.</summary>
    public static string? Digits(string? e164)
    {
        var text = e164?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var digits = text.StartsWith('+') ? text[1..] : text;
        return digits.Length is >= 8 and <= 15 && digits.All(char.IsAsciiDigit) && digits[0] != '0' ? digits : null;
    }

    /// <summary>A form or query field by name, ignoring case; null when missing or blank.</summary>
    public static string? Field(IReadOnlyDictionary<string, string> fields, string name)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!fields.TryGetValue(name, out var value))
        {
            value = fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Provider numbers without a plus (<c>254712345678</c>) become E.164; anything else is kept as sent.</summary>
    public static string AsE164(string number) => number.All(char.IsAsciiDigit) ? "+" + number : number;

    public static bool TryProperty(this JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>An integer sent as a number or as a string (<c>0</c>, <c>"0"</c>, <c>"000"</c>).</summary>
    public static int? Int(this JsonElement element, string name)
    {
        if (!element.TryProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }

    /// <summary>A string, or a number's text; null when missing, null or blank.</summary>
    public static string? Str(this JsonElement element, string name)
    {
        if (!element.TryProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static JsonDocument? TryParseJson(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Quote(string? text)
    {
        var trimmed = (text ?? "").Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= MaxQuotedLength ? trimmed : string.Concat(trimmed.AsSpan(0, MaxQuotedLength), "…");
    }

    /// <summary>What came back from one HTTP exchange: a status and a body, or a ready Retry when nothing did.</summary>
    public sealed record Reply(HttpStatusCode Status, string Body, SmsSendResult? Unanswered);

    /// <summary>
    /// Sends the request and reads the whole body within the HttpClient's timeout. Timeouts and network errors
    /// become a Retry reply; cancellation by <paramref name="ct"/> is rethrown.
    /// </summary>
    public static async Task<Reply> ExchangeAsync(HttpClient http, HttpRequestMessage request, string provider, ILogger log, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new Reply(response.StatusCode, body, null);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "{Provider} did not answer an SMS send in time", provider);
            return new Reply(default, "", SmsSendResult.Retry("timeout",
                $"{provider} did not answer in time; the message may or may not have been accepted."));
        }
        catch (HttpRequestException e)
        {
            log.LogWarning(e, "{Provider} could not be reached for an SMS send", provider);
            return new Reply(default, "", SmsSendResult.Retry("network", $"{provider} could not be reached: {Quote(e.Message)}"));
        }
    }

    /// <summary>
    /// The verdict on a non-2xx status: auth refusals and other 4xx fail, 408/429/5xx are worth retrying.
    /// Null for 2xx, whose body decides.
    /// </summary>
    public static SmsSendResult? FromHttpStatus(HttpStatusCode status, string body, string provider)
    {
        var code = (int)status;
        if (code is >= 200 and <= 299)
        {
            return null;
        }

        var errorCode = string.Create(CultureInfo.InvariantCulture, $"http_{code}");
        var said = string.IsNullOrWhiteSpace(body) ? "" : $": {Quote(body)}";
        return code switch
        {
            401 or 403 => SmsSendResult.Failed(errorCode,
                string.Create(CultureInfo.InvariantCulture, $"{provider} refused the credentials (HTTP {code}{said}); check the API key and username.")),
            408 or 429 or >= 500 => SmsSendResult.Retry(errorCode,
                string.Create(CultureInfo.InvariantCulture, $"{provider} answered HTTP {code}{said}.")),
            _ => SmsSendResult.Failed(errorCode,
                string.Create(CultureInfo.InvariantCulture, $"{provider} rejected the request (HTTP {code}{said}).")),
        };
    }

    public static SmsSendResult Unreadable(string provider, string body) =>
        SmsSendResult.Retry("unreadable_response",
            $"{provider} answered with a body Karibu cannot read; the message may or may not have been accepted: {Quote(body)}");
}
