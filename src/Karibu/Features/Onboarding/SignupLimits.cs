using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Onboarding;

/// <summary>The <c>Karibu:Signup</c> section: how many businesses one address may open.</summary>
internal sealed class SignupOptions
{
    public const string SectionName = "Karibu:Signup";

    /// <summary>Businesses one IP address may create through /signup in an hour (counted on each instance).</summary>
    [Range(1, 10_000)]
    public int MaxSignupsPerIpPerHour { get; set; } = 5;
}

/// <summary>
/// Keeps /signup from being used to mass-create businesses: an IP address may sign up a few times an hour,
/// counted in this instance's memory (addresses are not stored), like the booking page's limit.
/// </summary>
internal sealed class SignupLimits(TimeProvider time, IOptions<SignupOptions> options)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byIp = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool IpMaySignUp(string ip)
    {
        lock (_gate)
        {
            return Recent(ip).Count < options.Value.MaxSignupsPerIpPerHour;
        }
    }

    public void IpSignedUp(string ip)
    {
        lock (_gate)
        {
            Recent(ip).Enqueue(time.GetUtcNow());
        }
    }

    private Queue<DateTimeOffset> Recent(string ip)
    {
        var cutoff = time.GetUtcNow().AddHours(-1);
        if (!_byIp.TryGetValue(ip, out var stamps))
        {
            if (_byIp.Count > 10_000)
            {
                foreach (var stale in _byIp.Where(e => e.Value.All(t => t <= cutoff)).Select(e => e.Key).ToList())
                {
                    _byIp.Remove(stale);
                }
            }

            _byIp[ip] = stamps = new Queue<DateTimeOffset>();
        }

        while (stamps.TryPeek(out var oldest) && oldest <= cutoff)
        {
            stamps.Dequeue();
        }

        return stamps;
    }
}
