namespace Karibu.Features.Messaging;

internal enum SendResult { Sent, Retry, Failed }

/// <summary>What a provider made of one message: accepted (with its id), worth retrying, or refused for good.</summary>
internal sealed record SendOutcome(SendResult Result, string? ProviderMessageId, string? ErrorCode, string? Error, TimeSpan? RetryAfter, int? Segments = null)
{
    public static SendOutcome Sent(string? providerMessageId, int? segments = null) => new(SendResult.Sent, providerMessageId, null, null, null, segments);

    public static SendOutcome Retry(string reason, string? code, TimeSpan? after) => new(SendResult.Retry, null, code, reason, after);

    public static SendOutcome Failed(string? code, string reason) => new(SendResult.Failed, null, code, reason, null);
}
