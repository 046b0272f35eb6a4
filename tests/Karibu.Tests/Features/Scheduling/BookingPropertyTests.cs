using FsCheck;
using FsCheck.Fluent;
using Karibu.Data;
using Karibu.Features.Scheduling;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// Through the real booking service and database: every offered slot can be booked, and a time that
/// was not offered for that staff member and service cannot be, unless availability is overridden.
/// </summary>
public sealed class BookingPropertyTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private static readonly LocalDate Tuesday = new(2026, 11, 24);

    internal sealed record Case(int Duration, int Buffer, int[] Rules, int[] Busy, int PickOffered, int PickOther)
    {
        public override string ToString() =>
            $"duration={Duration} buffer={Buffer} rules=[{string.Join(",", Rules)}] busy=[{string.Join(",", Busy)}] offered#{PickOffered} other#{PickOther}";
    }

    private static Gen<Case> Cases =>
        from duration in Gen.Elements(15, 30, 45, 60)
        from buffer in Gen.Elements(0, 5, 15)
        from rules in Gen.ArrayOf(Gen.Choose(0, 40), 4)
        from busy in Gen.ArrayOf(Gen.Choose(0, 40), 3)
        from pickOffered in Gen.Choose(0, 1000)
        from pickOther in Gen.Choose(0, 1000)
        select new Case(duration, buffer, rules, busy, pickOffered, pickOther);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OfferedSlots_CanBeBooked_AndOtherTimes_CannotWithoutOverride(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var zone = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
        var customer = 0;

        Prop.ForAll(Cases.ToArbitrary(), (Case c) =>
        {
            using var scope = app.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id, zone, "MX", "MXN");
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var booking = scope.ServiceProvider.GetRequiredService<BookingService>();

            // A fresh staff member and service each case: quarter-hours from 09:00 on Tuesday.
            var staff = new StaffMember { Name = "P", PhoneNumber = $"+52550{Random.Shared.Next(1_000_000, 9_999_999)}" };
            var service = new Service { Name = "S", DurationMinutes = c.Duration, BufferAfterMinutes = c.Buffer, PriceCents = 100, Currency = "MXN" };
            staff.ServiceIds = [service.Id];
            db.Staff.Add(staff);
            db.Services.Add(service);
            LocalTime Quarter(int q) => new LocalTime(9, 0).PlusMinutes(15 * q);
            if (c.Rules[0] % 2 == 0)
            {
                db.AvailabilityRules.Add(new AvailabilityRule { StaffId = staff.Id, Type = AvailabilityRuleType.Recurring, DayOfWeek = 1, StartTime = Quarter(Math.Min(c.Rules[0], c.Rules[1])), EndTime = Quarter(Math.Max(c.Rules[0], c.Rules[1]) + 1), IsAvailable = true });
            }

            db.AvailabilityRules.Add(new AvailabilityRule { StaffId = staff.Id, Type = AvailabilityRuleType.Exception, ExceptionDate = Tuesday, StartTime = Quarter(c.Rules[2]), EndTime = Quarter(c.Rules[2] + 1 + (c.Rules[3] % 4)), IsAvailable = false });
            db.SaveChanges();
            foreach (var q in c.Busy.Distinct())
            {
                var existing = booking.BookAsync(Request(service, staff, Tuesday.At(Quarter(q)).InZoneStrictly(zone).ToInstant(), ++customer, @override: true), default).GetAwaiter().GetResult();
                _ = existing; // Overlapping ones are refused; the rest become busy time.
            }

            var slots = booking.FindSlotsAsync(new SlotSearch(service.Id, Tuesday, Tuesday, staff.Id), default).GetAwaiter().GetResult().Value.Slots;
            var offered = slots.Select(s => s.Start).ToHashSet();

            var other = Enumerable.Range(0, 44).Select(q => Tuesday.At(Quarter(q)).InZoneStrictly(zone).ToInstant()).Where(i => !offered.Contains(i)).ToList();
            if (other.Count > 0)
            {
                var refused = booking.BookAsync(Request(service, staff, other[c.PickOther % other.Count], ++customer, @override: false), default).GetAwaiter().GetResult();
                Assert.True(refused.Error is { Status: 409 or 400 }, $"a time that was not offered was booked\n{c}");
            }

            if (slots.Count > 0)
            {
                var pick = slots[c.PickOffered % slots.Count];
                var booked = booking.BookAsync(Request(service, staff, pick.Start, ++customer, @override: false), default).GetAwaiter().GetResult();
                Assert.True(booked.Error is null, $"offered slot {pick.Start.InZone(zone)} could not be booked: {booked.Error}\n{c}");
                Assert.Equal(staff.Id, booked.Value!.StaffId);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    private static BookingRequest Request(Service service, StaffMember staff, Instant start, int customer, bool @override) =>
        new(service.Id, start, staff.Id, null, $"+5233{customer:D8}", null, AppointmentSource.Api, null, @override, "test");
}
