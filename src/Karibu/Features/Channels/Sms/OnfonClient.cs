using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Channels.Sms;

/// <summary>
/// Onfon Media (Kenya): <c>POST {base}/SendBulkSMS</c> with a JSON body and the <c>AccessKey</c> header, and the
/// parser for its delivery-report callback. Onfon answers HTTP 200 even for errors, so <c>ErrorCode</c> decides.
/// </summary>
internal sealed class OnfonClient(HttpClient http, IOptions<SmsOptions> options, ILogger<OnfonClient> log) : ISmsClient
{
    private const string Name = "Onfon";

    // Top-level ErrorCode values worth naming; other non-zero codes fail with Onfon's own description.
    private const int SomethingWentWrong = 6;
    private const int InsufficientCredits = 21;
    private static readonly FrozenSet<int> CredentialCodes = FrozenSet.Create(7, 8, 9, 10, 11);

    public SmsProvider Provider => SmsProvider.Onfon;

    public async Task<SmsSendResult> SendAsync(SmsCredentials credentials, string toE164, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(text);
        if (credentials.Provider != SmsProvider.Onfon)
        {
            throw new ArgumentException($"Credentials for {credentials.Provider} were given to the Onfon client.", nameof(credentials));
        }

        if (string.IsNullOrWhiteSpace(credentials.ApiKey) || string.IsNullOrWhiteSpace(credentials.ClientId))
        {
            return SmsSendResult.Failed("not_configured", "Onfon needs the API key and client ID.");
        }

        if (string.IsNullOrWhiteSpace(credentials.SenderId))
        {
            return SmsSendResult.Failed("not_configured", "Onfon needs the registered sender ID.");
        }

        if (SmsWire.Digits(toE164) is not { } number)
        {
            return SmsSendResult.Failed("invalid_number", "The recipient is not an international phone number.");
        }

        if (text.Length == 0)
        {
            return SmsSendResult.Failed("empty_message", "The message is empty.");
        }

        var segments = SmsSegments.Count(text);
        var payload = new
        {
            credentials.SenderId,
            IsUnicode = segments.Encoding == SmsEncoding.Ucs2,
            IsFlash = false,
            ScheduleDateTime = "",
            MessageParameters = new[] { new { Number = number, Text = text } },
            credentials.ApiKey,
            credentials.ClientId,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Value.OnfonBaseUrl.TrimEnd('/')}/SendBulkSMS");
        if (!string.IsNullOrWhiteSpace(credentials.AccessKey))
        {
            request.Headers.TryAddWithoutValidation("AccessKey", credentials.AccessKey);
        }

        request.Headers.Accept.ParseAdd("application/json");
        request.Content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json");

        var reply = await SmsWire.ExchangeAsync(http, request, Name, log, ct);
        var result = reply.Unanswered
            ?? SmsWire.FromHttpStatus(reply.Status, reply.Body, Name)
            ?? ReadSendResponse(reply.Body, number, segments.Segments);
        if (result.Outcome != SmsSendOutcome.Sent)
        {
            log.LogWarning("Onfon send: {Outcome} {ErrorCode} {Error}", result.Outcome, result.ErrorCode, result.Error);
        }

        return result;
    }

    /// <summary>Reads a 2xx SendBulkSMS answer for the one number sent (<c>2547…</c>, no plus).</summary>
    public static SmsSendResult ReadSendResponse(string body, string number, int segments)
    {
        using var document = SmsWire.TryParseJson(body);
        var root = document?.RootElement ?? default;
        if (root.ValueKind != JsonValueKind.Object || root.Int("ErrorCode") is not { } errorCode)
        {
            return SmsWire.Unreadable(Name, body);
        }

        var description = root.Str("ErrorDescription");
        if (errorCode != 0)
        {
            var code = errorCode.ToString("000", CultureInfo.InvariantCulture);
            var said = SmsWire.Quote(description ?? "no description");
            return errorCode switch
            {
                InsufficientCredits => SmsSendResult.Failed(code, $"Insufficient wallet credits: the Onfon account balance is too low; top up and send again ({said})."),
                SomethingWentWrong => SmsSendResult.Retry(code, $"Onfon had an internal error ({said})."),
                _ when CredentialCodes.Contains(errorCode) => SmsSendResult.Failed(code, $"Onfon refused the account or credentials ({said}); check the API key, client ID and access key."),
                _ => SmsSendResult.Failed(code, $"Onfon did not accept the message ({said})."),
            };
        }

        var messages = root.TryProperty("Data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var message = messages.FirstOrDefault(m => m.Str("MobileNumber") == number);
        if (message.ValueKind == JsonValueKind.Undefined && messages.Count == 1)
        {
            message = messages[0];
        }

        if (message.ValueKind == JsonValueKind.Undefined)
        {
            return SmsWire.Unreadable(Name, body);
        }

        var messageCode = message.Int("MessageErrorCode");
        var messageId = message.Str("MessageId");
        if (messageCode == 0 && messageId is not null)
        {
            return SmsSendResult.Sent(messageId, segments, null);
        }

        // "Success" without a MessageId is still a failure for that number: nothing to match a delivery report to.
        var failure = messageCode == 0 ? null : message.Str("MessageErrorCode");
        var reason = SmsWire.Quote(failure is null ? "no MessageId" : message.Str("MessageErrorDescription") ?? "no description");
        return SmsSendResult.Failed(failure ?? "no_message_id", $"Onfon did not accept the message for this number ({reason}).");
    }

    // ------------------------------------------------------------------ delivery reports

    // SMPP-style final states, plus plain words some accounts may send (Onfon's full list is not public).
    private static readonly FrozenDictionary<string, SmsDeliveryState> DeliveryStates = new Dictionary<string, SmsDeliveryState>
    {
        ["DELIVRD"] = SmsDeliveryState.Delivered,
        ["DELIVERED"] = SmsDeliveryState.Delivered,
        ["UNDELIV"] = SmsDeliveryState.Failed,
        ["UNDELIVERED"] = SmsDeliveryState.Failed,
        ["EXPIRED"] = SmsDeliveryState.Failed,
        ["REJECTD"] = SmsDeliveryState.Failed,
        ["REJECTED"] = SmsDeliveryState.Failed,
        ["DELETED"] = SmsDeliveryState.Failed,
        ["FAILED"] = SmsDeliveryState.Failed,
        ["ENROUTE"] = SmsDeliveryState.Sent,
        ["ACCEPTD"] = SmsDeliveryState.Sent,
        ["ACCEPTED"] = SmsDeliveryState.Sent,
        ["BUFFERED"] = SmsDeliveryState.Sent,
        ["SUBMITTED"] = SmsDeliveryState.Sent,
        ["SENT"] = SmsDeliveryState.Sent,
        ["PENDING"] = SmsDeliveryState.Sent,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A delivery report from the query string (or form) of Onfon's callback: <c>messageId</c>, <c>status</c>,
    /// <c>mobile</c>, <c>errorCode</c>, read ignoring case. Null when the id or status is missing or unknown.
    /// </summary>
    public static SmsDeliveryReport? ParseDeliveryReport(IReadOnlyDictionary<string, string> query)
    {
        var id = SmsWire.Field(query, "messageId");
        var status = SmsWire.Field(query, "status");
        if (id is null || status is null || !DeliveryStates.TryGetValue(status, out var state))
        {
            return null;
        }

        string? reason = null;
        if (state == SmsDeliveryState.Failed)
        {
            var errorCode = SmsWire.Field(query, "errorCode");
            reason = errorCode is null || errorCode.All(c => c == '0') ? status : $"{status} (error {errorCode})";
        }

        var mobile = SmsWire.Field(query, "mobile");
        return new SmsDeliveryReport(id, state, reason, mobile is null ? null : SmsWire.AsE164(mobile));
    }
}
