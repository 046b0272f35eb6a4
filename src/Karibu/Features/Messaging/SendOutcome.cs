namespace Karibu.Features.Messaging;

/// <summary>Held: not sent and not an attempt; the message waits until <see cref="SendOutcome.RetryAfter"/> has passed.</summary>
internal enum SendResult { Sent, Retry, Failed, Held }

/// <summary>What a provider made of one message: accepted (with its id), worth retrying, or refused for good.</summary>
internal sealed record SendOutcome(SendResult Result, string? ProviderMessageId, string? ErrorCode, string? Error, TimeSpan? RetryAfter, int? Segments = null)
{
    public static SendOutcome Sent(string? providerMessageId, int? segments = null) => new(SendResult.Sent, providerMessageId, null, null, null, segments);

    public static SendOutcome Retry(string reason, string? code, TimeSpan? after) => new(SendResult.Retry, null, code, reason, after);

    public static SendOutcome Failed(string? code, string reason) => new(SendResult.Failed, null, code, reason, null);

    /// <summary>A rule of the business says "not now" (quiet hours): try again after <paramref name="wait"/>, counting no attempt.</summary>
    public static SendOutcome Held(string code, string reason, TimeSpan wait) => new(SendResult.Held, null, code, reason, wait);
}
