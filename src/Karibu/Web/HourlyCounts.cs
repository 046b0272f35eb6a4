namespace Karibu.Web;

/// <summary>
/// How many times each key (an IP address) did something in the last hour, counted in this instance's memory
/// (the keys are not stored). Used by the public forms' abuse limits: the booking page and signup.
/// </summary>
internal sealed class HourlyCounts(TimeProvider time)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool Below(string key, int limit)
    {
        lock (_gate)
        {
            return Recent(key).Count < limit;
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            Recent(key).Enqueue(time.GetUtcNow());
        }
    }

    private Queue<DateTimeOffset> Recent(string key)
    {
        var cutoff = time.GetUtcNow().AddHours(-1);
        if (!_byKey.TryGetValue(key, out var stamps))
        {
            // Keys seen once and gone are dropped now and then, so the table stays small.
            if (_byKey.Count > 10_000)
            {
                foreach (var stale in _byKey.Where(e => e.Value.All(t => t <= cutoff)).Select(e => e.Key).ToList())
                {
                    _byKey.Remove(stale);
                }
            }

            _byKey[key] = stamps = new Queue<DateTimeOffset>();
        }

        while (stamps.TryPeek(out var oldest) && oldest <= cutoff)
        {
            stamps.Dequeue();
        }

        return stamps;
    }
}
