using System.Net;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// Many people asking for the same time at once: exactly as many bookings succeed as there are free
/// staff members, on SQLite and on PostgreSQL, and the database itself refuses an overlap.
/// </summary>
public sealed class DoubleBookingTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private const string Start = "2026-11-24T10:00";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FiftyConcurrentBookings_ForOneStaffAndStart_GiveOne201And49Conflicts(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var (tenant, serviceId, staff) = await ArrangeAsync(app, staffCount: 1);

        var statuses = await BookConcurrentlyAsync(app, tenant, 50, i => new
        {
            service_id = serviceId,
            start = Start,
            staff_id = staff[0],
            customer_phone = $"55 1000 {i:D4}",
        });

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1, await CountActiveAsync(app, tenant));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FiftyConcurrentBookings_ForAnyStaff_WithTwoEligible_GiveExactlyTwo(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var (tenant, serviceId, staff) = await ArrangeAsync(app, staffCount: 2);

        var statuses = await BookConcurrentlyAsync(app, tenant, 50, i => new
        {
            service_id = serviceId,
            start = Start,
            customer_phone = $"55 2000 {i:D4}",
        });

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(48, statuses.Count(s => s == HttpStatusCode.Conflict));
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var booked = await db.Appointments.Where(a => a.Status == AppointmentStatus.Confirmed).Select(a => a.StaffId).ToListAsync();
            Assert.Equal(staff.Order(), booked.Order());
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDatabase_RefusesAnOverlappingActiveAppointment_EvenWithoutTheService(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var (tenant, serviceId, staff) = await ArrangeAsync(app, staffCount: 1);
        using var client = app.Client(tenant.ApiKey);
        var first = await (await client.PostJsonAsync($"{tenant.Path}/appointments", new { service_id = serviceId, start = Start, staff_id = staff[0], customer_phone = "55 3000 0001" })).AssertStatusAsync(201);

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var existing = await db.Appointments.SingleAsync();
            Appointment Copy(DateTime start) => new()
            {
                CustomerId = existing.CustomerId, StaffId = existing.StaffId, ServiceId = existing.ServiceId, Currency = "MXN",
                StartAt = start, EndAt = start.AddMinutes(30), BlockedUntil = start.AddMinutes(30),
            };

            // Starts in the middle of the existing one: refused by the constraint or trigger.
            db.Appointments.Add(Copy(existing.StartAt.AddMinutes(15)));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            // Back to back is fine, and a cancelled one no longer holds the time.
            db.Appointments.Add(Copy(existing.BlockedUntil));
            await db.SaveChangesAsync();
            var reloaded = await db.Appointments.SingleAsync(a => a.Id == first.Id());
            reloaded.Status = AppointmentStatus.Cancelled;
            await db.SaveChangesAsync();
            db.Appointments.Add(Copy(existing.StartAt));
            await db.SaveChangesAsync();
        }
    }

    private static async Task<(Tenant Tenant, Guid ServiceId, List<Guid> Staff)> ArrangeAsync(KaribuApp app, int staffCount)
    {
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var service = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201);
        var staff = new List<Guid>();
        for (var i = 0; i < staffCount; i++)
        {
            var member = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = $"Barbero {i}", phone_number = $"55 9000 000{i}" })).AssertStatusAsync(201);
            staff.Add(member.Id());
        }

        return (tenant, service.Id(), staff);
    }

    private static async Task<HttpStatusCode[]> BookConcurrentlyAsync(KaribuApp app, Tenant tenant, int count, Func<int, object> body)
    {
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            using var client = app.Client(tenant.ApiKey);
            await gate.WaitAsync();
            var response = await client.PostJsonAsync($"{tenant.Path}/appointments", body(i));
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                Assert.Fail($"Unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return response.StatusCode;
        }).ToList();
        gate.Release(count);
        return await Task.WhenAll(tasks);
    }

    private static async Task<int> CountActiveAsync(KaribuApp app, Tenant tenant)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await db.Appointments.CountAsync(a => a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending);
        }
    }
}
