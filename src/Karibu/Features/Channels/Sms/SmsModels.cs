using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Karibu.Features.Channels.Sms;

[JsonConverter(typeof(SmsProviderJsonConverter))]
internal enum SmsProvider
{
    Africastalking,
    Onfon,
}

/// <summary>Stored as <c>"africastalking"</c> / <c>"onfon"</c>, like every other enum in Karibu.</summary>
internal sealed class SmsProviderJsonConverter()
    : JsonStringEnumConverter<SmsProvider>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

/// <summary>
/// One business's account with one SMS provider, serialized to JSON and stored encrypted.
/// Africa's Talking uses <see cref="Username"/> (<c>sandbox</c> selects the sandbox API) and <see cref="ApiKey"/>;
/// Onfon uses <see cref="ApiKey"/>, <see cref="ClientId"/> and, when the account has one, <see cref="AccessKey"/>.
/// <see cref="SenderId"/> is the registered alphanumeric sender or shortcode (Africa's Talking <c>from</c>,
/// Onfon <c>SenderId</c>, which Onfon requires).
/// </summary>
internal sealed record SmsCredentials
{
    public required SmsProvider Provider { get; init; }

    public required string ApiKey { get; init; }

    public string? Username { get; init; }

    public string? ClientId { get; init; }

    public string? AccessKey { get; init; }

    public string? SenderId { get; init; }

    /// <summary>Keeps the keys out of logs and exception messages.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Provider = ").Append(Provider)
            .Append(", Username = ").Append(Username)
            .Append(", ClientId = ").Append(ClientId)
            .Append(", SenderId = ").Append(SenderId)
            .Append(", ApiKey = ***, AccessKey = ").Append(AccessKey is null ? "" : "***");
        return true;
    }
}

internal enum SmsSendOutcome
{
    /// <summary>The provider accepted the message (not yet delivered; delivery reports say more).</summary>
    Sent,

    /// <summary>
    /// Nothing usable came back (timeout, network error, 5xx, unreadable body) or the provider said the failure
    /// is transient. For <c>timeout</c> and <c>unreadable_response</c> the provider may have accepted the
    /// message, so resending can deliver and bill twice: cap retries.
    /// </summary>
    Retry,

    /// <summary>Resending the same request will not help (bad credentials, sender ID, number, balance, opt-out).</summary>
    Failed,
}

/// <summary>
/// The answer to one send. <see cref="ErrorCode"/> is the provider's code (Africa's Talking per-recipient
/// <c>statusCode</c> such as <c>405</c>, Onfon <c>ErrorCode</c> such as <c>021</c> or <c>MessageErrorCode</c>)
/// or one of Karibu's: <c>timeout</c>, <c>network</c>, <c>http_NNN</c>, <c>unreadable_response</c>,
/// <c>not_configured</c>, <c>invalid_number</c>, <c>empty_message</c>, <c>no_message_id</c> (Onfon said success but gave
/// no id). <see cref="Error"/> is English prose for people.
/// <see cref="Segments"/> is the provider's part count when it reports one, else Karibu's own count.
/// <see cref="Cost"/> is the provider's cost text as sent (<c>KES 0.8000</c>), when it reports one.
/// </summary>
internal sealed record SmsSendResult(SmsSendOutcome Outcome, string? ProviderMessageId, string? ErrorCode, string? Error, int? Segments, string? Cost)
{
    public static SmsSendResult Sent(string? messageId, int? segments, string? cost) => new(SmsSendOutcome.Sent, messageId, null, null, segments, cost);

    public static SmsSendResult Retry(string code, string error) => new(SmsSendOutcome.Retry, null, code, error, null, null);

    public static SmsSendResult Failed(string code, string error, string? cost = null) => new(SmsSendOutcome.Failed, null, code, error, null, cost);
}

/// <summary>One SMS provider. Implementations never throw for provider trouble; they classify it.</summary>
internal interface ISmsClient
{
    SmsProvider Provider { get; }

    /// <summary>Sends <paramref name="text"/> to one number given in E.164 (<c>+254712345678</c>).</summary>
    Task<SmsSendResult> SendAsync(SmsCredentials credentials, string toE164, string text, CancellationToken ct);
}

internal enum SmsDeliveryState
{
    /// <summary>Still on its way (submitted, buffered, en route): not final.</summary>
    Sent,
    Delivered,
    Failed,
}

/// <summary>A delivery report. <see cref="PhoneNumber"/> is E.164 when the provider sent plain digits.</summary>
internal sealed record SmsDeliveryReport(string ProviderMessageId, SmsDeliveryState State, string? FailureReason, string? PhoneNumber);

/// <summary>A message a customer sent to the business's shortcode.</summary>
internal sealed record SmsInbound(string ProviderMessageId, string From, string To, string Text, DateTimeOffset? ReceivedAt, string? LinkId);
