using Karibu.Data;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Karibu.Features.BookingPage;

/// <summary>
/// Keeps the anonymous page from being used to fill a diary: a phone number may book a few times a day
/// (counted in the database, so every instance agrees) and an IP address a few times an hour (counted in
/// this instance's memory: addresses are not stored).
/// </summary>
internal sealed class BookingLimits(TimeProvider time, IOptions<BookingPageOptions> options)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byIp = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool IpMayBook(string ip)
    {
        lock (_gate)
        {
            return Recent(ip).Count < options.Value.MaxBookingsPerIpPerHour;
        }
    }

    public void IpBooked(string ip)
    {
        lock (_gate)
        {
            Recent(ip).Enqueue(time.GetUtcNow());
        }
    }

    /// <summary>Whether the phone (E.164) has booked fewer than the limit through the page in the last 24 hours.</summary>
    public async Task<bool> PhoneMayBookAsync(KaribuDb db, string phone, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddDays(-1);
        var count = await db.Appointments.CountAsync(
            a => a.Source == AppointmentSource.Web && a.CreatedAt >= since && db.Customers.Any(c => c.Id == a.CustomerId && c.PhoneNumber == phone), ct);
        return count < options.Value.MaxBookingsPerPhonePerDay;
    }

    private Queue<DateTimeOffset> Recent(string ip)
    {
        var cutoff = time.GetUtcNow().AddHours(-1);
        if (!_byIp.TryGetValue(ip, out var stamps))
        {
            // Addresses seen once and gone are dropped now and then, so the table stays small.
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
