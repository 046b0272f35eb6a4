using Karibu.Features.Conversations;
using Karibu.Features.Retention;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using NodaTime;

namespace Karibu.Tests.Features.Retention;

/// <summary>
/// Metrics on a small dataset arranged row by row in a Mexico City barbershop (UTC-06:00), for
/// October 2026, asked on 2027-02-01 so every return window has passed. Expected figures are worked
/// out by hand in the comments.
/// </summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Mx = TimeSpan.FromHours(-6);

    private static DateTime Local(int month, int day, int hour = 10, int minute = 0, int year = 2026) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, Mx).UtcDateTime;

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Metrics_OnAnArrangedMonth_MatchTheHandCount(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var service = (await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id();
        var staff = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1111 2222" })).AssertStatusAsync(201)).Id();
        var c = new Guid[7];
        for (var i = 1; i <= 6; i++)
        {
            c[i] = (await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = $"33 2000 000{i}", name = $"C{i}" })).AssertStatusAsync(201)).Id();
        }

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            void Visit(int customer, int month, int day, int year = 2026) => db.Visits.Add(new Visit
            {
                CustomerId = c[customer], LocalDate = new LocalDate(year, month, day), At = Local(month, day, year: year), Source = VisitSource.CheckIn,
            });

            // Active on 10-31 = a visit 08-03 … 10-31: C1, C2, C4, C5, C6 (5). Lapsed: C3 only (C1's June visit is not lapsed: C1 came back).
            // Cohort (first visit in October): C1 10-05, C2 10-10, C5 10-25, C6 10-02.
            //   within 30 days: C1 (10-20), C5 (11-05)            → 2 of 4
            //   within 60 days: + C2 (11-30, 51 days)             → 3 of 4
            //   within 90 days: + C6 (12-20, 79 days)             → 4 of 4
            Visit(1, 6, 1); Visit(1, 10, 5); Visit(1, 10, 20);
            Visit(2, 10, 10); Visit(2, 11, 30);
            Visit(3, 5, 1);
            Visit(4, 9, 15); Visit(4, 11, 10);
            Visit(5, 10, 25); Visit(5, 11, 5);
            Visit(6, 10, 2); Visit(6, 12, 20);
            await db.SaveChangesAsync();

            async Task<Guid> Appointment(int customer, DateTime start, AppointmentStatus status, DateTime bookedAt)
            {
                app.Time.Set(bookedAt);
                var a = new Appointment
                {
                    CustomerId = c[customer], StaffId = staff, ServiceId = service, StartAt = start, EndAt = start.AddMinutes(30),
                    BlockedUntil = start.AddMinutes(30), Status = status, PriceCents = 25000, Currency = "MXN",
                };
                db.Appointments.Add(a);
                await db.SaveChangesAsync();
                return a.Id;
            }

            // In October (local start dates): completed A1, A2, A3; no-show A4 → no-show rate 1 / 4.
            await Appointment(1, Local(10, 5), AppointmentStatus.Completed, Local(10, 1));   // A1: rebooked by A5 (booked the next day)
            await Appointment(2, Local(10, 10), AppointmentStatus.Completed, Local(10, 1));  // A2: A4 was booked before it, not after
            await Appointment(5, Local(10, 25), AppointmentStatus.Completed, Local(10, 20)); // A3: A8 booked 9 days later: too late
            await Appointment(2, Local(10, 12, 12), AppointmentStatus.NoShow, Local(10, 1)); // A4
            await Appointment(1, Local(10, 15), AppointmentStatus.Cancelled, Local(10, 6));  // A5: cancelled, not counted; a booking all the same
            await Appointment(4, Local(9, 30, 23, 30), AppointmentStatus.Completed, Local(9, 1)); // 09-30 local (10-01 UTC): outside
            await Appointment(3, Local(11, 1, 0, 30), AppointmentStatus.NoShow, Local(10, 1));   // 11-01 local: outside
            await Appointment(5, Local(11, 5), AppointmentStatus.Completed, Local(11, 3));        // A8
            // Rebooking rate: 1 of 3.

            var conversations = new Dictionary<int, Conversation>();
            foreach (var i in new[] { 1, 2, 5 })
            {
                conversations[i] = new Conversation { CustomerId = c[i] };
                db.Conversations.Add(conversations[i]);
            }

            await db.SaveChangesAsync();

            async Task Message(int customer, MessagePurpose purpose, MessageStatus status, DateTime at)
            {
                app.Time.Set(at);
                db.Messages.Add(new Message
                {
                    ConversationId = conversations[customer].Id, Direction = MessageDirection.Outbound, SenderType = SenderType.System,
                    Channel = MessageChannel.Whatsapp, Body = "…", Purpose = purpose, Status = status,
                    SentAt = status is MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read ? at : null,
                });
                await db.SaveChangesAsync();
            }

            // Reminders in October: sent 3 (sent, delivered, read), delivered 2, read 1, failed 1; November's do not count.
            await Message(1, MessagePurpose.Reminder, MessageStatus.Sent, Local(10, 4));
            await Message(2, MessagePurpose.Reminder, MessageStatus.Delivered, Local(10, 9));
            await Message(5, MessagePurpose.Reminder, MessageStatus.Read, Local(10, 24));
            await Message(1, MessagePurpose.Reminder, MessageStatus.Failed, Local(10, 14));
            await Message(2, MessagePurpose.Reminder, MessageStatus.Read, Local(11, 1, 0, 10));
            // Win-back: 3 sent to 2 customers. C5 came on 10-25 (within 14 days): won back. C2 came 46 days later: not.
            await Message(2, MessagePurpose.WinBack, MessageStatus.Delivered, Local(10, 15));
            await Message(5, MessagePurpose.WinBack, MessageStatus.Read, Local(10, 20, 8));
            await Message(5, MessagePurpose.WinBack, MessageStatus.Sent, Local(10, 22));
            await Message(1, MessagePurpose.WinBack, MessageStatus.Failed, Local(10, 22));
            await Message(1, MessagePurpose.Reply, MessageStatus.Read, Local(10, 22));
        }

        app.Time.Set(new DateTimeOffset(2027, 2, 1, 9, 0, 0, Mx));
        var m = await (await client.GetAsync($"{tenant.Path}/metrics?date_from=2026-10-01&date_to=2026-10-31")).AssertStatusAsync(200);

        Assert.Equal("2026-10-01", m.Str("date_from"));
        Assert.Equal("2026-10-31", m.Str("date_to"));
        Assert.Equal("America/Mexico_City", m.Str("timezone"));
        Assert.Equal(5, m["customers"]!["active"]!.GetValue<int>());
        Assert.Equal(1, m["customers"]!["lapsed"]!.GetValue<int>());
        Assert.Equal("2026-08-03", m["customers"]!.Str("active_since"));
        var rates = m["return_rates"]!.AsArray();
        Assert.Equal([30, 60, 90], rates.Select(r => r!["days"]!.GetValue<int>()));
        Assert.All(rates, r => Assert.Equal(4, r!["customers"]!.GetValue<int>()));
        Assert.Equal([2, 3, 4], rates.Select(r => r!["returned"]!.GetValue<int>()));
        Assert.Equal([0.5, 0.75, 1.0], rates.Select(r => r!["rate"]!.GetValue<double>()));
        var appointments = m["appointments"]!;
        Assert.Equal(3, appointments["completed"]!.GetValue<int>());
        Assert.Equal(1, appointments["no_show"]!.GetValue<int>());
        Assert.Equal(0.25, appointments["no_show_rate"]!.GetValue<double>());
        Assert.Equal(1, appointments["rebooked"]!.GetValue<int>());
        Assert.Equal(0.3333, appointments["rebooking_rate"]!.GetValue<double>());
        var reminders = m["reminders"]!;
        Assert.Equal((3, 2, 1, 1), (reminders["sent"]!.GetValue<int>(), reminders["delivered"]!.GetValue<int>(), reminders["read"]!.GetValue<int>(), reminders["failed"]!.GetValue<int>()));
        var winBack = m["win_back"]!;
        Assert.Equal((3, 2, 1, 0.5), (winBack["sent"]!.GetValue<int>(), winBack["customers"]!.GetValue<int>(), winBack["won_back"]!.GetValue<int>(), winBack["rate"]!.GetValue<double>()));

        // The default range is the 30 days ending today (2027-01-03 … 2027-02-01): no appointments then, and nothing is divided by zero.
        // Active since 2026-11-04: C2, C4, C5, C6; lapsed: C1 and C3.
        var empty = await (await client.GetAsync($"{tenant.Path}/metrics")).AssertStatusAsync(200);
        Assert.Equal("2027-01-03", empty.Str("date_from"));
        Assert.Equal("2027-02-01", empty.Str("date_to"));
        Assert.Equal(4, empty["customers"]!["active"]!.GetValue<int>());
        Assert.Equal(2, empty["customers"]!["lapsed"]!.GetValue<int>());
        Assert.Null(empty["appointments"]!["no_show_rate"]);
        Assert.Null(empty["return_rates"]![0]!["rate"]);
    }

    [Theory]
    [InlineData("date_from=2026-10-31&date_to=2026-10-01", "date_to")]
    [InlineData("date_from=2025-01-01&date_to=2026-01-02", "date_to")]
    [InlineData("date_from=2026-13-01", "date_from")]
    [InlineData("date_from=yesterday", "date_from")]
    [InlineData("date_to=2026-02-30", "date_to")]
    [InlineData("date_from=2026-11-22", "date_to")]
    public async Task Metrics_BadRanges_Are400(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/metrics?{query}")).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Metrics_AFullYearIncludingALeapDay_IsAllowed()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var m = await (await client.GetAsync($"{tenant.Path}/metrics?date_from=2027-11-21&date_to=2028-11-20")).AssertStatusAsync(200);
        Assert.Equal("2027-11-21", m.Str("date_from"));
    }
}
