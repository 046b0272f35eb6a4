using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Features.Notifications;

/// <summary>
/// Time-travel tests with the fake clock: booking notices, the reminder (exactly once, also across a
/// restart, answered by the customer), and the daily agenda at 08:00 business time.
/// </summary>
public sealed class NotificationTests
{
    // Monday 23 November 2026, 10:00 in Mexico City (UTC−6).
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);
    private static readonly string[] ReminderParameters = ["customer_name", "day", "time"];

    private static Dictionary<string, string?> Settings(FakeWhatsApp graph)
    {
        var settings = graph.Settings();
        settings["Karibu:Notifications:PollSeconds"] = "3600"; // The tests run each round themselves.
        return settings;
    }

    private static Task<int> RunAsync(KaribuApp app) => app.Services.GetRequiredService<NotificationWorker>().RunOnceAsync(CancellationToken.None);

    private static async Task<List<Message>> MessagesAsync(KaribuApp app, Guid tenant, MessagePurpose purpose)
    {
        var (db, scope) = app.Db(tenant);
        using (scope)
        {
            return await db.Messages.Where(m => m.Purpose == purpose).OrderBy(m => m.Id).ToListAsync();
        }
    }

    private sealed record Arranged(Tenant Tenant, Guid AppointmentId);

    /// <summary>Connects the fake WhatsApp number and gives one purpose the business's own wording and approved template.</summary>
    internal static async Task ConnectAsync(HttpClient client, Tenant tenant, string purpose, string body, string template, string[] parameters)
    {
        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new
        {
            phone_number_id = FakeWhatsApp.PhoneNumberId, waba_id = FakeWhatsApp.WabaId, access_token = FakeWhatsApp.AccessToken, display_phone_number = "525500000001",
        })).AssertStatusAsync(200);
        await (await client.PutJsonAsync($"{tenant.Path}/templates", new
        {
            purpose, language = "es", body, whatsapp_template_name = template, whatsapp_language = "es_MX", whatsapp_parameters = parameters,
        })).AssertStatusAsync(200);
    }

    private static async Task<Arranged> ArrangeAsync(KaribuApp app)
    {
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await ConnectAsync(client, tenant, "reminder", "Hola {customer_name}, te esperamos el {day} a las {time} en {business_name}. Responde SÍ o CANCELAR.",
            "recordatorio_cita", ReminderParameters);
        var service = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        var luis = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis Pérez", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Don Ramón", phone_number = "55 9000 0009", role = "owner" })).AssertStatusAsync(201);
        // Booked today at 10:00 for tomorrow at 16:00.
        var appointment = await (await client.PostJsonAsync($"{tenant.Path}/appointments", new
        {
            service_id = service.Id(), staff_id = luis.Id(), start = "2026-11-24T16:00", customer_phone = "55 1234 5678", customer_name = "Juan Pérez",
        })).AssertStatusAsync(201);
        return new Arranged(tenant, appointment.Id());
    }

    [Fact]
    public async Task ABookingByTheBusiness_TellsTheCustomer_TheStaffMember_AndTheOwner_InTheBusinessLanguage()
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        await using var app = await KaribuApp.StartAsync(settings: Settings(graph));
        app.Time.Set(Monday10);
        var arranged = await ArrangeAsync(app);

        var confirmation = Assert.Single(await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.Confirmation));
        Assert.Equal("¡Listo, Juan! Tu cita de Corte de cabello quedó confirmada para el martes 24 de noviembre a las 4:00 p.m. con Luis en Barbería Centro. Si necesitas cambiarla, responde a este mensaje.",
            confirmation.Body);
        var notices = (await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.System)).Select(m => m.Body).ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal("📅 Nueva cita: Juan (+525512345678), Corte de cabello, martes 24 de noviembre a las 4:00 p.m.", n));

        // Cancelling through the API tells them too; the customer in their own words.
        using var client = app.Client(arranged.Tenant.ApiKey);
        await (await client.PostJsonAsync($"{arranged.Tenant.Path}/appointments/{arranged.AppointmentId}/cancel", new { reason = "Cerramos" })).AssertStatusAsync(200);
        Assert.StartsWith("Juan, tu cita de Corte de cabello del martes 24 de noviembre a las 4:00 p.m. en Barbería Centro quedó cancelada.",
            Assert.Single(await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.Cancellation)).Body, StringComparison.Ordinal);
        Assert.Equal(4, (await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.System)).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheReminder_GoesAt16hTheDayBefore_ExactlyOnce_AlsoAcrossARestart_AndTheCustomerCancelsByAnsweringIt(string provider)
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        var database = await TestDatabase.CreateAsync(provider);
        Arranged arranged;
        await using (var first = KaribuApp.Start(database, settings: Settings(graph)))
        {
            first.Time.Set(Monday10);
            arranged = await ArrangeAsync(first);

            first.Time.Set(Monday10.AddHours(6).AddMinutes(-1)); // 15:59
            Assert.Equal(0, await RunAsync(first));
            Assert.Empty(await MessagesAsync(first, arranged.Tenant.Id, MessagePurpose.Reminder));

            first.Time.Set(Monday10.AddHours(6)); // 16:00, 24 hours before
            Assert.Equal(1, await RunAsync(first));
            Assert.Equal(0, await RunAsync(first));
            var reminder = Assert.Single(await MessagesAsync(first, arranged.Tenant.Id, MessagePurpose.Reminder));
            Assert.Equal("Hola Juan, te esperamos el martes 24 de noviembre a las 4:00 p.m. en Barbería Centro. Responde SÍ o CANCELAR.", reminder.Body);

            // Juan never wrote, so WhatsApp gets the approved template with its parameters.
            await Eventually.HoldsAsync(() => Task.FromResult(graph.Bodies.Any(b => b["type"]?.GetValue<string>() == "template")), "the reminder template");
            var template = graph.Bodies.Single(b => b["type"]?.GetValue<string>() == "template")["template"]!;
            Assert.Equal(("recordatorio_cita", "es_MX"), (template["name"]!.GetValue<string>(), template["language"]!["code"]!.GetValue<string>()));
            Assert.Equal(["Juan", "martes 24 de noviembre", "4:00 p.m."],
                template["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        }

        await using var second = KaribuApp.Start(database, ownsDatabase: true, settings: Settings(graph));
        second.Time.Set(Monday10.AddHours(6).AddMinutes(5));
        Assert.Equal(0, await RunAsync(second));
        Assert.Single(await MessagesAsync(second, arranged.Tenant.Id, MessagePurpose.Reminder));

        using var anonymous = second.Client(null);
        await (await FakeWhatsApp.PostWebhookAsync(anonymous, FakeWhatsApp.InboundText("wamid.reminder.answer", "CANCELAR", second.Time.GetUtcNow(), "5215512345678", "Juan"))).AssertStatusAsync(200);
        await Eventually.HoldsAsync(async () =>
        {
            var (db, scope) = second.Db(arranged.Tenant.Id);
            using (scope)
            {
                return (await db.Appointments.SingleAsync()).Status == AppointmentStatus.Cancelled;
            }
        }, "the appointment cancelled by answering the reminder");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RemindersForCustomersWithoutAChat_OpenOneEach_AndEachAnswerActsOnItsOwnAppointment(string provider)
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        await using var app = KaribuApp.Start(await TestDatabase.CreateAsync(provider), ownsDatabase: true, settings: Settings(graph));
        app.Time.Set(Monday10);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var service = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        var luis = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis Pérez", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        // Booked before the business connected WhatsApp: no confirmation went out, so none of them has a chat yet.
        string[] phones = ["55 1234 0001", "55 1234 0002", "55 1234 0003"];
        var appointments = new List<Guid>();
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            appointments.Add((await (await client.PostJsonAsync($"{tenant.Path}/appointments", new
            {
                service_id = service.Id(), staff_id = luis.Id(), start = $"2026-11-24T{16 + i}:00", customer_phone = phone, customer_name = $"Cliente {i + 1}",
            })).AssertStatusAsync(201)).Id());
        }

        await ConnectAsync(client, tenant, "reminder", "Hola {customer_name}, te esperamos el {day} a las {time} en {business_name}. Responde SÍ o CANCELAR.",
            "recordatorio_cita", ReminderParameters);
        app.Time.Set(Monday10.AddHours(8)); // 18:00: all three are within 24 hours.
        Assert.Equal(3, await RunAsync(app));
        Assert.Equal(0, await RunAsync(app));

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var chats = await db.Conversations.AsNoTracking().ToListAsync();
            Assert.Equal(3, chats.Count);
            // Each chat now waits for the answer about its own customer's appointment.
            Assert.Equal(appointments.Order(), chats.Select(c => appointments.Single(a => c.AssistantState!.Contains(a.ToString(), StringComparison.Ordinal))).Order());
            var reminders = await db.Messages.AsNoTracking().Where(m => m.Purpose == MessagePurpose.Reminder).ToListAsync();
            Assert.Equal(chats.Select(c => c.Id).Order(), reminders.Select(m => m.ConversationId).Order());
            Assert.All(reminders, m => Assert.Equal(tenant.Id, m.OrganizationId));
            Assert.All(chats, c => Assert.Equal(tenant.Id, c.OrganizationId));
        }

        using var anonymous = app.Client(null);
        await (await FakeWhatsApp.PostWebhookAsync(anonymous, FakeWhatsApp.InboundText("wamid.answer.2", "cancelar", app.Time.GetUtcNow(), "5215512340002", "Cliente 2"))).AssertStatusAsync(200);
        await Eventually.HoldsAsync(async () =>
        {
            var (db2, scope2) = app.Db(tenant.Id);
            using (scope2)
            {
                var statuses = await db2.Appointments.OrderBy(a => a.StartAt).Select(a => a.Status).ToListAsync();
                return statuses.SequenceEqual([AppointmentStatus.Confirmed, AppointmentStatus.Cancelled, AppointmentStatus.Confirmed]);
            }
        }, "only the second customer's appointment cancelled by their answer");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DueRemindersOverManyPages_SeveralAtOneStart_EachGoOutExactlyOnce(string provider)
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        var settings = Settings(graph);
        settings["Karibu:Notifications:ReminderPageSize"] = "2";
        await using var app = KaribuApp.Start(await TestDatabase.CreateAsync(provider), ownsDatabase: true, settings: settings);
        app.Time.Set(Monday10);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await ConnectAsync(client, tenant, "reminder", "Hola {customer_name}, te esperamos el {day} a las {time}.", "recordatorio_cita", ReminderParameters);
        var service = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        // Five chairs busy at 16:00 tomorrow and two more later: seven reminders in pages of two, the pages cutting
        // through the five that share one start.
        var appointments = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var staff = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = $"Barbero {i}", phone_number = $"55 9000 00{i:D2}" })).AssertStatusAsync(201);
            appointments.Add((await (await client.PostJsonAsync($"{tenant.Path}/appointments", new
            {
                service_id = service.Id(), staff_id = staff.Id(), start = i < 5 ? "2026-11-24T16:00" : $"2026-11-24T{12 + i}:00",
                customer_phone = $"55 1234 00{i:D2}", customer_name = $"Cliente {i}",
            })).AssertStatusAsync(201)).Id());
        }

        app.Time.Set(Monday10.AddHours(10)); // 20:00: all seven are within 24 hours.
        Assert.Equal(7, await RunAsync(app));
        Assert.Equal(0, await RunAsync(app));

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.All(await db.Appointments.AsNoTracking().ToListAsync(), a => Assert.NotNull(a.ReminderSentAt));
            var reminded = await db.Messages.AsNoTracking().Where(m => m.Purpose == MessagePurpose.Reminder)
                .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => c.CustomerId).ToListAsync();
            var customers = await db.Appointments.AsNoTracking().Select(a => (Guid?)a.CustomerId).ToListAsync();
            Assert.Equal(customers.Order(), reminded.Order());
        }
    }

    [Fact]
    public async Task TheDailyAgenda_ArrivesAt8Local_OncePerPersonAndDay()
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        await using var app = await KaribuApp.StartAsync(settings: Settings(graph));
        app.Time.Set(Monday10);
        var arranged = await ArrangeAsync(app);

        app.Time.Set(new DateTimeOffset(2026, 11, 24, 13, 59, 0, TimeSpan.Zero)); // Tuesday 07:59 local
        await RunAsync(app);
        Assert.Empty(await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.Agenda));

        app.Time.Set(new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero)); // 08:00 local
        await RunAsync(app);
        await RunAsync(app);
        var agendas = await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.Agenda);
        Assert.Equal(2, agendas.Count);
        Assert.Contains(agendas, a => a.Body == "Buenos días, Luis ☀️ Tu agenda de hoy, martes 24 de noviembre (1):\n• 4:00 p.m. Corte de cabello — Juan Pérez");
        Assert.Contains(agendas, a => a.Body!.StartsWith("Buenos días, Don ☀️", StringComparison.Ordinal) && a.Body.Contains("— Juan Pérez (Luis Pérez)", StringComparison.Ordinal));

        app.Time.Set(new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.Zero)); // Wednesday 08:30: a new day, a new agenda
        await RunAsync(app);
        Assert.Equal(4, (await MessagesAsync(app, arranged.Tenant.Id, MessagePurpose.Agenda)).Count);
    }
}

public sealed class WinBackTests
{
    private static readonly string[] Parameters = ["customer_name", "days_since"];

    [Fact]
    public async Task WinBacks_GoByThemselvesWhenAllowed_NeverInQuietHours_AtMostOncePerCapDays()
    {
        await using var graph = await FakeWhatsApp.StartAsync();
        var settings = graph.Settings();
        settings["Karibu:Notifications:PollSeconds"] = "3600";
        await using var app = await KaribuApp.StartAsync(settings: settings);
        app.Time.Set(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero)); // Monday 10:00 local
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await NotificationTests.ConnectAsync(client, tenant, "win_back", "¡Hola {customer_name}! Hace {days_since} días de tu último {last_service}. ¿Te apartamos lugar?",
            "te_extranamos", Parameters);
        var service = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        var ana = await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 1111 0001", name = "Ana López" })).AssertStatusAsync(201);
        var dani = await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 1111 0002", name = "Dani" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{tenant.Path}/customers/{ana.Id()}/check-ins", new { at = "2026-10-13T10:00", service_id = service.Id() })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{tenant.Path}/customers/{dani.Id()}/check-ins", new { at = "2026-11-13T10:00", service_id = service.Id() })).AssertStatusAsync(201);
        var worker = app.Services.GetRequiredService<NotificationWorker>();

        async Task<List<Message>> WinBacksAsync()
        {
            var (db, scope) = app.Db(tenant.Id);
            using (scope)
            {
                return await db.Messages.Where(m => m.Purpose == MessagePurpose.WinBack).ToListAsync();
            }
        }

        // Off by default: the list only.
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await WinBacksAsync());

        await (await client.PatchJsonAsync($"{tenant.Path}/settings", new { win_back_automatic = true })).AssertStatusAsync(200);
        app.Time.Set(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero)); // Monday 21:00 local: quiet hours
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await WinBacksAsync());

        app.Time.Set(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero)); // Tuesday 10:00
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);
        var first = Assert.Single(await WinBacksAsync());
        Assert.Equal("¡Hola Ana! Hace 42 días de tu último corte de cabello. ¿Te apartamos lugar?", first.Body);

        app.Time.Set(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero)); // a week later: within the 14-day cap
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Single(await WinBacksAsync());

        app.Time.Set(new DateTimeOffset(2026, 12, 9, 16, 0, 0, TimeSpan.Zero)); // 15 days later: Ana again; Dani (26 days) is not due
        await worker.RunOnceAsync(CancellationToken.None);
        var all = await WinBacksAsync();
        Assert.Equal(2, all.Count);
        Assert.All(all, m => Assert.StartsWith("¡Hola Ana!", m.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("21:30", true)]
    [InlineData("07:59", true)]
    [InlineData("08:00", false)]
    [InlineData("19:59", false)]
    [InlineData("20:00", true)]
    public void QuietHours_WrapMidnight(string time, bool quiet) =>
        Assert.Equal(quiet, NotificationWorker.InQuietHours(NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(time).Value, "20:00", "08:00"));
}
