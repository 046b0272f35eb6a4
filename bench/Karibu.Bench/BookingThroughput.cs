using System.Diagnostics;
using System.Globalization;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Karibu.Bench;

/// <summary>
/// Load driver: concurrent bookings through the booking service against a real database, half of
/// them aimed at times already taken, to measure throughput with the no-overlap guard in play.
/// <c>dotnet run -c Release -- booking-throughput "Host=...;Database=..." [workers] [seconds]</c>
/// (a PostgreSQL database the user may create; it is emptied first).
/// </summary>
internal static class BookingThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var connectionString = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("KARIBU_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("Give a PostgreSQL connection string.");
        var workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<TenantInterceptor>();
        services.AddScoped<BookingService>();
        services.AddDbContext<KaribuDb>((sp, db) => db.UseNpgsql(connectionString)
            .AddInterceptors(sp.GetRequiredService<TenantInterceptor>())
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        await using var provider = services.BuildServiceProvider();

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KaribuDb>().Database.EnsureDeletedAsync();
        }

        await provider.MigrateDatabaseAsync();
        var (organizationId, serviceId, staffIds) = await ArrangeAsync(provider);

        var zone = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
        var firstDay = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.PlusDays(1);
        var latencies = new List<double>[workers];
        int created = 0, conflicts = 0;
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            latencies[w] = [];
            while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                // 60 days × 48 half-hours × 10 staff: collisions grow as the calendar fills.
                var start = firstDay.PlusDays(random.Next(0, 60)).At(LocalTime.Midnight).PlusMinutes(30 * random.Next(0, 48)).InZoneLeniently(zone).ToInstant();
                Guid? staff = random.Next(2) == 0 ? staffIds[random.Next(staffIds.Count)] : null;
                var watch = Stopwatch.StartNew();
                await using var scope = provider.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(organizationId, zone, "MX", "MXN");
                var result = await scope.ServiceProvider.GetRequiredService<BookingService>().BookAsync(new BookingRequest(
                    serviceId, start, staff, null, $"+5255{random.Next(10_000_000, 99_999_999)}", null, AppointmentSource.Api, null, false, "bench"), CancellationToken.None);
                latencies[w].Add(watch.Elapsed.TotalMilliseconds);
                if (result.Error is null)
                {
                    Interlocked.Increment(ref created);
                }
                else
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var all = latencies.SelectMany(l => l).Order().ToList();
        var elapsed = stop.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"workers={workers} seconds={elapsed:F1} requests={all.Count} created={created} conflicts={conflicts} " +
            $"throughput={all.Count / elapsed:F0} req/s ({created / elapsed:F0} bookings/s) " +
            $"p50={all[all.Count / 2]:F1} ms p95={all[(int)(all.Count * 0.95)]:F1} ms p99={all[(int)(all.Count * 0.99)]:F1} ms"));

        await using var check = provider.CreateAsyncScope();
        check.ServiceProvider.GetRequiredService<TenantContext>().Set(organizationId);
        var db = check.ServiceProvider.GetRequiredService<KaribuDb>();
        var active = await db.Appointments.Where(a => a.Status == AppointmentStatus.Confirmed).Select(a => new { a.StaffId, a.StartAt, a.BlockedUntil }).ToListAsync();
        var overlaps = active.GroupBy(a => a.StaffId).Sum(g => g.OrderBy(a => a.StartAt).Zip(g.OrderBy(a => a.StartAt).Skip(1)).Count(p => p.Second.StartAt < p.First.BlockedUntil));
        Console.WriteLine($"appointments={active.Count} overlapping pairs={overlaps}");
    }

    private static async Task<(Guid Organization, Guid Service, List<Guid> Staff)> ArrangeAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        var allDay = new List<OpenInterval> { new("00:00", "23:59") };
        var hours = new BusinessHours { Mon = allDay, Tue = allDay, Wed = allDay, Thu = allDay, Fri = allDay, Sat = allDay, Sun = allDay };
        var settings = new OrganizationSettings { MinBookingNoticeMinutes = 0, MaxBookingDaysAhead = 90, SlotIntervalMinutes = 30 };
        var (organization, _) = await OrganizationSetup.AddAsync(db, tenant,
            new OrganizationSetup.Validated("Bench", BusinessType.Barbershop, "America/Mexico_City", "es-MX", "MXN", "MX", null, hours, settings), "bench");
        var service = new Service { Name = "Corte", DurationMinutes = 30, PriceCents = 10_000, Currency = "MXN" };
        db.Services.Add(service);
        var staff = Enumerable.Range(0, 10).Select(i => new StaffMember { Name = $"Staff {i}", PhoneNumber = $"+52550000{i:D4}" }).ToList();
        db.Staff.AddRange(staff);
        await db.SaveChangesAsync();
        return (organization.Id, service.Id, staff.Select(s => s.Id).ToList());
    }
}
