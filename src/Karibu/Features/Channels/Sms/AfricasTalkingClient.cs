using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Channels.Sms;

/// <summary>
/// Africa's Talking bulk SMS: the form API (<c>POST /version1/messaging</c>) and the parsers for the callbacks
/// configured in its dashboard (delivery reports, incoming messages, bulk opt-outs).
/// </summary>
internal sealed class AfricasTalkingClient(HttpClient http, IOptions<SmsOptions> options, ILogger<AfricasTalkingClient> log) : ISmsClient
{
    private const string Name = "Africa's Talking";

    /// <summary>The username that selects the sandbox API.</summary>
    public const string SandboxUsername = "sandbox";

    // Per-recipient statusCode → how to treat it and what to tell people. Codes not listed: 1xx accepted,
    // 5xx transient, anything else failed.
    private static readonly FrozenDictionary<int, (SmsSendOutcome Outcome, string Reason)> Statuses = new Dictionary<int, (SmsSendOutcome, string)>
    {
        [401] = (SmsSendOutcome.Failed, "RiskHold: Africa's Talking is holding the account or this content; contact their support."),
        [402] = (SmsSendOutcome.Failed, "InvalidSenderId: the sender ID is not registered for this Africa's Talking account."),
        [403] = (SmsSendOutcome.Failed, "InvalidPhoneNumber: Africa's Talking rejected the phone number."),
        [404] = (SmsSendOutcome.Failed, "UnsupportedNumberType: Africa's Talking cannot send to this kind of number."),
        [405] = (SmsSendOutcome.Failed, "InsufficientBalance: the Africa's Talking account balance is too low; top up and send again."),
        [406] = (SmsSendOutcome.Failed, "UserInBlacklist: the recipient has opted out of messages from this sender."),
        [407] = (SmsSendOutcome.Retry, "CouldNotRoute: Africa's Talking could not route the message right now."),
        [409] = (SmsSendOutcome.Failed, "DoNotDisturbRejection: the network refused the message (do-not-disturb rules)."),
        [500] = (SmsSendOutcome.Retry, "InternalServerError: Africa's Talking had an internal error."),
        [501] = (SmsSendOutcome.Retry, "GatewayError: the Africa's Talking gateway had an error."),
        [502] = (SmsSendOutcome.Failed, "RejectedByGateway: the operator's gateway rejected the message."),
    }.ToFrozenDictionary();

    // The status names of the table above, for answers that carry no recipient and only a "Message" naming one.
    private static readonly FrozenDictionary<string, int> StatusNames = new Dictionary<string, int>
    {
        ["RiskHold"] = 401,
        ["InvalidSenderId"] = 402,
        ["InvalidPhoneNumber"] = 403,
        ["UnsupportedNumberType"] = 404,
        ["InsufficientBalance"] = 405,
        ["UserInBlacklist"] = 406,
        ["CouldNotRoute"] = 407,
        ["DoNotDisturbRejection"] = 409,
        ["InternalServerError"] = 500,
        ["GatewayError"] = 501,
        ["RejectedByGateway"] = 502,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public SmsProvider Provider => SmsProvider.Africastalking;

    public async Task<SmsSendResult> SendAsync(SmsCredentials credentials, string toE164, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(text);
        if (credentials.Provider != SmsProvider.Africastalking)
        {
            throw new ArgumentException($"Credentials for {credentials.Provider} were given to the Africa's Talking client.", nameof(credentials));
        }

        if (string.IsNullOrWhiteSpace(credentials.Username) || string.IsNullOrWhiteSpace(credentials.ApiKey))
        {
            return SmsSendResult.Failed("not_configured", "Africa's Talking needs the application username and API key.");
        }

        if (SmsWire.Digits(toE164) is not { } digits)
        {
            return SmsSendResult.Failed("invalid_number", "The recipient is not an international phone number.");
        }

        if (text.Length == 0)
        {
            return SmsSendResult.Failed("empty_message", "The message is empty.");
        }

        var to = "+" + digits;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("username", credentials.Username),
            new("to", to),
            new("message", text),
        };
        if (!string.IsNullOrWhiteSpace(credentials.SenderId))
        {
            fields.Add(new("from", credentials.SenderId));
        }

        fields.Add(new("bulkSMSMode", "1"));
        fields.Add(new("enqueue", "1"));

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagingUrl(credentials.Username));
        request.Headers.TryAddWithoutValidation("apiKey", credentials.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        request.Content = new FormUrlEncodedContent(fields);

        var reply = await SmsWire.ExchangeAsync(http, request, Name, log, ct);
        var result = reply.Unanswered
            ?? SmsWire.FromHttpStatus(reply.Status, reply.Body, Name)
            ?? ReadSendResponse(reply.Body, to, text);
        if (result.Outcome != SmsSendOutcome.Sent)
        {
            log.LogWarning("Africa's Talking send: {Outcome} {ErrorCode} {Error}", result.Outcome, result.ErrorCode, result.Error);
        }

        return result;
    }

    private string MessagingUrl(string username)
    {
        var o = options.Value;
        var root = string.Equals(username, SandboxUsername, StringComparison.Ordinal) ? o.AfricasTalkingSandboxBaseUrl : o.AfricasTalkingBaseUrl;
        return $"{root.TrimEnd('/')}/version1/messaging";
    }

    /// <summary>Reads a 2xx send answer for the one recipient <paramref name="to"/> (<c>+2547…</c>).</summary>
    public static SmsSendResult ReadSendResponse(string body, string to, string text)
    {
        using var document = SmsWire.TryParseJson(body);
        if (document is null || !document.RootElement.TryProperty("SMSMessageData", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return SmsWire.Unreadable(Name, body);
        }

        var recipients = data.TryProperty("Recipients", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var recipient = recipients.FirstOrDefault(r => r.Str("number") == to);
        if (recipient.ValueKind == JsonValueKind.Undefined && recipients.Count == 1)
        {
            recipient = recipients[0];
        }

        if (recipient.ValueKind == JsonValueKind.Undefined)
        {
            // No recipient at all: Africa's Talking sometimes names the whole request's problem in "Message".
            var message = data.Str("Message");
            return message is not null && StatusNames.TryGetValue(message, out var named)
                ? Classify(named, message, null, null, text)
                : SmsWire.Unreadable(Name, body);
        }

        var code = recipient.Int("statusCode");
        if (code is null)
        {
            return SmsWire.Unreadable(Name, body);
        }

        var messageId = recipient.Str("messageId");
        return Classify(code.Value, recipient.Str("status"), messageId == "None" ? null : messageId, recipient, text);
    }

    private static SmsSendResult Classify(int code, string? status, string? messageId, JsonElement? recipient, string text)
    {
        var errorCode = code.ToString(CultureInfo.InvariantCulture);
        var cost = recipient?.Str("cost");
        if (code is >= 100 and <= 199)
        {
            var parts = recipient?.Int("messageParts") ?? SmsSegments.Count(text).Segments;
            return SmsSendResult.Sent(messageId, parts, cost);
        }

        var (outcome, reason) = Statuses.TryGetValue(code, out var known)
            ? known
            : (code >= 500 ? SmsSendOutcome.Retry : SmsSendOutcome.Failed,
               string.Create(CultureInfo.InvariantCulture, $"{status ?? "Unknown status"}: Africa's Talking did not accept the message (status {code})."));
        return outcome == SmsSendOutcome.Retry
            ? SmsSendResult.Retry(errorCode, reason)
            : SmsSendResult.Failed(errorCode, reason, cost);
    }

    // ------------------------------------------------------------------ callbacks (form posts)

    private static readonly FrozenDictionary<string, SmsDeliveryState> DeliveryStates = new Dictionary<string, SmsDeliveryState>
    {
        ["Sent"] = SmsDeliveryState.Sent,
        ["Submitted"] = SmsDeliveryState.Sent,
        ["Buffered"] = SmsDeliveryState.Sent,
        ["Success"] = SmsDeliveryState.Delivered,
        ["Rejected"] = SmsDeliveryState.Failed,
        ["Failed"] = SmsDeliveryState.Failed,
        ["AbsentSubscriber"] = SmsDeliveryState.Failed,
        ["Expired"] = SmsDeliveryState.Failed,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A delivery report (<c>id</c>, <c>status</c>, <c>phoneNumber</c>, <c>failureReason</c>). Null when the id or
    /// status is missing or the status is not one Karibu knows; the caller keeps the raw form.
    /// </summary>
    public static SmsDeliveryReport? ParseDeliveryReport(IReadOnlyDictionary<string, string> form)
    {
        var id = SmsWire.Field(form, "id");
        var status = SmsWire.Field(form, "status");
        if (id is null || status is null || !DeliveryStates.TryGetValue(status, out var state))
        {
            return null;
        }

        var reason = state == SmsDeliveryState.Failed ? SmsWire.Field(form, "failureReason") ?? status : null;
        return new SmsDeliveryReport(id, state, reason, SmsWire.Field(form, "phoneNumber"));
    }

    // "2025-10-30 14:40:12" in the fixture; ISO forms and explicit offsets are read too.
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// A message to the business's shortcode (<c>id</c>, <c>from</c>, <c>to</c>, <c>text</c>, <c>date</c>,
    /// <c>linkId</c>). Null when id, from, to or text is missing. A <c>date</c> without an offset is read as UTC
    /// (an assumption: Africa's Talking does not document the zone); an unreadable date is left null.
    /// </summary>
    public static SmsInbound? ParseInbound(IReadOnlyDictionary<string, string> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var id = SmsWire.Field(form, "id");
        var from = SmsWire.Field(form, "from");
        var to = SmsWire.Field(form, "to");
        // The text is kept exactly as sent (an empty message is still a message); only a missing field fails.
        var text = form.TryGetValue("text", out var exact) ? exact : form.FirstOrDefault(f => string.Equals(f.Key, "text", StringComparison.OrdinalIgnoreCase)).Value;
        if (id is null || from is null || to is null || text is null)
        {
            return null;
        }

        DateTimeOffset? receivedAt = DateTimeOffset.TryParseExact(SmsWire.Field(form, "date"), DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
        return new SmsInbound(id, from, to, text, receivedAt, SmsWire.Field(form, "linkId"));
    }

    /// <summary>A bulk SMS opt-out (<c>senderId</c>, <c>phoneNumber</c>): stop sending from that sender to that number.</summary>
    public static (string SenderId, string PhoneNumber)? ParseOptOut(IReadOnlyDictionary<string, string> form) =>
        SmsWire.Field(form, "senderId") is { } senderId && SmsWire.Field(form, "phoneNumber") is { } phoneNumber
            ? (senderId, phoneNumber)
            : null;
}
