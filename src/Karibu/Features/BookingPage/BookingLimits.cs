using Karibu.Data;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Karibu.Web;
using Microsoft.Extensions.Options;

namespace Karibu.Features.BookingPage;

/// <summary>
/// Keeps the anonymous page from being used to fill a diary: a phone number may book a few times a day
/// (counted in the database, so every instance agrees) and an IP address a few times an hour (counted in
/// this instance's memory: addresses are not stored).
/// </summary>
internal sealed class BookingLimits(TimeProvider time, IOptions<BookingPageOptions> options)
{
    private readonly HourlyCounts _byIp = new(time);

    public bool IpMayBook(string ip) => _byIp.Below(ip, options.Value.MaxBookingsPerIpPerHour);

    public void IpBooked(string ip) => _byIp.Add(ip);

    /// <summary>Whether the phone (E.164) has booked fewer than the limit through the page in the last 24 hours.</summary>
    public async Task<bool> PhoneMayBookAsync(KaribuDb db, string phone, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddDays(-1);
        var count = await db.Appointments.CountAsync(
            a => a.Source == AppointmentSource.Web && a.CreatedAt >= since && db.Customers.Any(c => c.Id == a.CustomerId && c.PhoneNumber == phone), ct);
        return count < options.Value.MaxBookingsPerPhonePerDay;
    }
}
