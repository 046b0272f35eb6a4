using System.Collections.Concurrent;

namespace Karibu.Features.Messaging;

/// <summary>
/// Paces sending on this node: a token bucket per business number (WhatsApp allows 80 messages/s by
/// default) and a least interval between two messages to one recipient (WhatsApp's pair limit).
/// A refused message is not an attempt: it goes back to the queue for the wait returned.
/// </summary>
internal sealed class SendRates(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _numbers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Number, string Recipient), long> _recipients = new();

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    /// <summary>Null when the message may go now (and the send is counted); otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string number, int perSecond, string recipient, TimeSpan recipientInterval)
    {
        var now = time.GetTimestamp();
        var key = (number, recipient);
        if (recipientInterval > TimeSpan.Zero && _recipients.TryGetValue(key, out var last))
        {
            var since = time.GetElapsedTime(last, now);
            if (since < recipientInterval)
            {
                return recipientInterval - since;
            }
        }

        var bucket = _numbers.GetOrAdd(number, _ => new Bucket(perSecond, now));
        lock (bucket)
        {
            var refill = time.GetElapsedTime(bucket.At, now).TotalSeconds * perSecond;
            bucket.Tokens = Math.Min(perSecond, bucket.Tokens + refill);
            bucket.At = now;
            if (bucket.Tokens < 1)
            {
                return TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
            }

            bucket.Tokens -= 1;
        }

        _recipients[key] = now;
        if (_recipients.Count > 50_000)
        {
            foreach (var old in _recipients.Where(r => time.GetElapsedTime(r.Value, now) > TimeSpan.FromMinutes(10)).Select(r => r.Key).ToList())
            {
                _recipients.TryRemove(old, out _);
            }
        }

        return null;
    }
}
