using Karibu.Data;
using Karibu.Features.Scheduling;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// The assistant books inside the inbox processor's transaction. The booking service then joins it:
/// the caller decides what commits, and a refused booking leaves the transaction usable.
/// </summary>
public sealed class JoinedTransactionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BookingInsideACallersTransaction_CommitsOrRollsBackWithIt_AndSurvivesAConflict(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var zone = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
        var ten = new LocalDate(2026, 11, 24).At(new LocalTime(10, 0)).InZoneStrictly(zone).ToInstant();
        Guid serviceId, staffId;
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id, zone, "MX", "MXN");
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var service = new Service { Name = "Corte", DurationMinutes = 30, PriceCents = 25000, Currency = "MXN" };
            var staff = new StaffMember { Name = "Luis", PhoneNumber = "+525533334444", ServiceIds = [service.Id] };
            db.AddRange(service, staff);
            await db.SaveChangesAsync();
            (serviceId, staffId) = (service.Id, staff.Id);
        }

        BookingRequest Request(Instant start, string phone, bool @override = false) =>
            new(serviceId, start, staffId, null, phone, null, AppointmentSource.Whatsapp, null, @override, "assistant");

        async Task<int> CountAsync()
        {
            using var scope = app.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id, zone, "MX", "MXN");
            return await scope.ServiceProvider.GetRequiredService<KaribuDb>().Appointments.CountAsync();
        }

        // Rolled back by the caller: nothing stays.
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id, zone, "MX", "MXN");
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var booked = await scope.ServiceProvider.GetRequiredService<BookingService>().BookAsync(Request(ten, "+525500000101"), default);
            Assert.Null(booked.Error);
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await CountAsync());

        // Committed by the caller, with a refused double booking in between that does not poison the transaction.
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id, zone, "MX", "MXN");
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var booking = scope.ServiceProvider.GetRequiredService<BookingService>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Null((await booking.BookAsync(Request(ten, "+525500000101"), default)).Error);
            // With override the availability check lets it through, so it is the database that refuses the overlap.
            Assert.Equal(409, (await booking.BookAsync(Request(ten, "+525500000102", @override: true), default)).Error?.Status);
            Assert.Null((await booking.BookAsync(Request(ten + Duration.FromMinutes(30), "+525500000103"), default)).Error);
            await transaction.CommitAsync();
        }

        Assert.Equal(2, await CountAsync());
    }
}
