using System.Net;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>The owner app's Today screens over HTTP: agenda, actions, appointment, week, block time and booking.</summary>
public sealed class TodayScreensTests
{
    private const string Page = "/app";

    [Fact]
    public async Task AnOwnerWithoutServices_IsShownTheWayBackToTheWelcomeWizard()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        using var owner = await app.SignedInAsync("ramon@example.com");

        var html = await (await owner.GetAsync(Page)).HtmlAsync();
        Assert.Contains("Tu negocio aún no tiene servicios", html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"button\" href=\"/app/welcome\">Terminar de configurar</a>", html, StringComparison.Ordinal);

        using var api = app.Client(tenant.ApiKey);
        await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        Assert.DoesNotContain("Terminar de configurar", await (await owner.GetAsync(Page)).HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOwner_SeesEveryonesDay_WithTheNextAppointment_FreeGapsAndBlockedTime()
    {
        await using var shop = await TodayShop.StartAsync();
        await (await shop.Api.PostJsonAsync($"{shop.Tenant.Path}/staff/{shop.BarberId}/time-off",
            new { date = "2026-11-23", start_time = "14:00", end_time = "15:00", note = "Comida" })).AssertStatusAsync(201);
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);

        var response = await owner.GetAsync(Page);
        var html = await response.HtmlAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Hoy</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Terminar de configurar", html, StringComparison.Ordinal);
        Assert.Contains("Luis Pérez", html, StringComparison.Ordinal);
        Assert.Contains("Ramón Díaz", html, StringComparison.Ordinal);
        Assert.Contains("Ana López", html, StringComparison.Ordinal);
        Assert.Contains("Carla Soto", html, StringComparison.Ordinal);
        Assert.Contains("Corte de cabello", html, StringComparison.Ordinal);
        Assert.Contains("11:00–11:30 a.m.", html, StringComparison.Ordinal);
        Assert.Contains("Confirmada", html, StringComparison.Ordinal);
        // Ana is Luis's next (Beto's 9:30 ended at 10:00), Carla is Ramón's.
        Assert.Contains($"<li class=\"appt is-confirmed next\" id=\"a-{shop.Ana}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<li class=\"appt is-confirmed next\" id=\"a-{shop.Carla}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<li class=\"appt is-confirmed\" id=\"a-{shop.Beto}\">", html, StringComparison.Ordinal);
        Assert.Contains("Libre 10:00–11:00 a.m.", html, StringComparison.Ordinal);
        Assert.Contains("Libre 11:30 a.m.–2:00 p.m.", html, StringComparison.Ordinal);
        Assert.Contains("Bloqueado 2:00–3:00 p.m.", html, StringComparison.Ordinal);
        Assert.Contains("Comida", html, StringComparison.Ordinal);
        Assert.Contains("Libre 3:00–7:00 p.m.", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/inbox/customer/", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"checkin:{shop.Ana}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"complete:{shop.Beto}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"complete:{shop.Ana}\"", html, StringComparison.Ordinal);

        var tomorrow = await (await owner.GetAsync("/app?day=2026-11-24")).HtmlAsync();
        Assert.Contains("Mañana martes 24 de noviembre", tomorrow, StringComparison.Ordinal);
        Assert.Contains("Libre 9:00 a.m.–7:00 p.m.", tomorrow, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana López", tomorrow, StringComparison.Ordinal);
        Assert.Contains("href=\"/app?day=2026-11-25\"", tomorrow, StringComparison.Ordinal);
        Assert.Contains("href=\"/app\" aria-label=\"Día anterior\"", tomorrow, StringComparison.Ordinal);
        // A day that is not a date shows today.
        Assert.Contains("Ana López", await (await owner.GetAsync("/app?day=9999-99-99")).HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmployee_SeesOnlyTheirOwnDay_UnlessTheyMayViewAllSchedules()
    {
        await using var shop = await TodayShop.StartAsync();
        using var luis = await shop.App.SignedInAsync(TodayShop.Barber);

        var html = await (await luis.GetAsync(Page)).HtmlAsync();

        Assert.Contains("Ana López", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Carla Soto", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ramón Díaz", html, StringComparison.Ordinal);
        // Someone else's appointment reads as not found.
        var other = await luis.GetAsync($"/app/appointments/{shop.Carla}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("No encontramos esa cita", await other.HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneTapActions_CheckIn_Complete_AndRefuseANoShowBeforeTheStart()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);

        var checkedIn = await owner.PostFormAsync(Page, "act", ("Act.Do", $"checkin:{shop.Ana}"));
        Assert.Equal(HttpStatusCode.Redirect, checkedIn.StatusCode);
        Assert.Equal("/app", checkedIn.Headers.Location!.PathAndQuery);
        var html = await (await owner.GetAsync(Page)).HtmlAsync();
        Assert.Contains("Llegó 10:00 a.m.", html, StringComparison.Ordinal);
        // Arrived early: done can be marked before the start, no-show cannot.
        Assert.Contains($"value=\"complete:{shop.Ana}\"", html, StringComparison.Ordinal);

        var tooEarly = await owner.PostFormAsync(Page, "act", ("Act.Do", $"noshow:{shop.Carla}"));
        Assert.Equal(HttpStatusCode.OK, tooEarly.StatusCode);
        Assert.Contains("Aún no empieza: podrás marcarla desde las 12:00 p.m.", await tooEarly.HtmlAsync(), StringComparison.Ordinal);
        var arrived = await owner.PostFormAsync(Page, "act", ("Act.Do", $"noshow:{shop.Ana}"));
        Assert.Contains("Ya llegó, así que no se puede marcar que no vino.", await arrived.HtmlAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync(Page, "act", ("Act.Do", $"complete:{shop.Beto}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync(Page, "act", ("Act.Do", $"complete:{shop.Ana}"))).StatusCode);
        var again = await owner.PostFormAsync(Page, "act", ("Act.Do", $"complete:{shop.Beto}"));
        Assert.Contains("Esta cita ya está: terminada.", await again.HtmlAsync(), StringComparison.Ordinal);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var ana = await db.Appointments.SingleAsync(a => a.Id == shop.Ana);
            Assert.Equal(new DateTime(2026, 11, 23, 16, 0, 0), ana.CheckedInAt);
            Assert.Equal(AppointmentStatus.Completed, ana.Status);
            Assert.Equal(AppointmentStatus.Completed, (await db.Appointments.SingleAsync(a => a.Id == shop.Beto)).Status);
            // The check-in and the completion are one visit.
            var customer = await db.Customers.SingleAsync(c => c.Id == ana.CustomerId);
            Assert.Equal(1, customer.VisitCount);
            Assert.Equal(15000, customer.TotalSpentCents);
            Assert.Contains(await db.AuditEvents.Select(e => e.Action).ToListAsync(), a => a == "appointment.checked_in");
        }
    }

    [Fact]
    public async Task AnEmployeeWithoutManageAppointments_ActsOnTheirOwn_ButGetsAPoliteNoForOthers()
    {
        await using var shop = await TodayShop.StartAsync(["view_all_schedules"]);
        using var luis = await shop.App.SignedInAsync(TodayShop.Barber);

        var html = await (await luis.GetAsync(Page)).HtmlAsync();
        Assert.Contains("Carla Soto", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"checkin:{shop.Carla}\"", html, StringComparison.Ordinal);

        var refused = await luis.PostFormAsync(Page, "act", ("Act.Do", $"checkin:{shop.Carla}"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Solo puedes cambiar tus propias citas.", await refused.HtmlAsync(), StringComparison.Ordinal);
        var cancel = await (await luis.GetAsync($"/app/appointments/{shop.Carla}?cancel=1")).HtmlAsync();
        Assert.Contains("Solo puedes cambiar tus propias citas.", cancel, StringComparison.Ordinal);
        Assert.DoesNotContain("Sí, cancelar la cita", cancel, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await luis.PostFormAsync(Page, "act", ("Act.Do", $"checkin:{shop.Ana}"))).StatusCode);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Null((await db.Appointments.SingleAsync(a => a.Id == shop.Carla)).CheckedInAt);
            Assert.NotNull((await db.Appointments.SingleAsync(a => a.Id == shop.Ana)).CheckedInAt);
        }
    }

    [Fact]
    public async Task TheAppointmentPage_ShowsIt_CancelsAfterAConfirmStep_AndAnotherBusinesssIdIsNotFound()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);
        var page = $"/app/appointments/{shop.Ana}";

        var html = await (await owner.GetAsync(page)).HtmlAsync();
        Assert.Contains("<h1>Ana López</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Corte de cabello · $150", html, StringComparison.Ordinal);
        Assert.Contains("Luis Pérez", html, StringComparison.Ordinal);
        Assert.Contains("+525530000002", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{page}?cancel=1\"", html, StringComparison.Ordinal);

        var confirm = await (await owner.GetAsync($"{page}?cancel=1")).HtmlAsync();
        Assert.Contains("¿Cancelar la cita de Ana López?", confirm, StringComparison.Ordinal);
        var tooLong = await owner.PostFormAsync($"{page}?cancel=1", "cancel", ("Cancel.Reason", new string('x', 501)));
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("id=\"reason-error\">El motivo es demasiado largo", await tooLong.HtmlAsync(), StringComparison.Ordinal);
        var cancelled = await owner.PostFormAsync($"{page}?cancel=1", "cancel", ("Cancel.Reason", "Se enfermó"));
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal("/app", cancelled.Headers.Location!.PathAndQuery);
        Assert.Contains("Cancelada", await (await owner.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var ana = await db.Appointments.SingleAsync(a => a.Id == shop.Ana);
            Assert.Equal(AppointmentStatus.Cancelled, ana.Status);
            Assert.Equal("Se enfermó", ana.CancellationReason);
        }

        // Another business's appointment, an unknown id and nonsense all get the same friendly page.
        var other = await shop.App.CreateAsync(Tenants.MexicoBarbershop("Otra Barbería"));
        using var otherApi = shop.App.Client(other.ApiKey);
        var service = (await (await otherApi.PostJsonAsync($"{other.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 100 })).AssertStatusAsync(201)).Id();
        await (await otherApi.PostJsonAsync($"{other.Path}/staff", new { name = "Otro", phone_number = "55 7000 0009" })).AssertStatusAsync(201);
        var theirs = (await (await otherApi.PostJsonAsync($"{other.Path}/appointments", new { service_id = service, start = "2026-11-23T13:00", customer_phone = "55 7000 0001" })).AssertStatusAsync(201)).Id();
        foreach (var id in new[] { theirs.ToString(), Guid.NewGuid().ToString(), "not-an-id" })
        {
            var missing = await owner.GetAsync($"/app/appointments/{id}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("No encontramos esa cita", await missing.HtmlAsync(), StringComparison.Ordinal);
        }

        var foreignAction = await owner.PostFormAsync(Page, "act", ("Act.Do", $"complete:{theirs}"));
        Assert.Contains("Esa cita ya no está en la agenda.", await foreignAction.HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWeek_CountsEachDaysAppointments_AndLinksToTheDay()
    {
        await using var shop = await TodayShop.StartAsync();
        await shop.BookAsync(shop.BarberId, "2026-11-25T10:00", "55 3000 0009", "Diego Mora");
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);

        var response = await owner.GetAsync("/app/week");
        var html = await response.HtmlAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Lun 23 – Dom 29", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Lunes 23</strong>", html, StringComparison.Ordinal);
        Assert.Contains("3 citas", html, StringComparison.Ordinal);
        Assert.Contains("1 cita", html, StringComparison.Ordinal);
        Assert.Contains("Diego Mora", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/app?day=2026-11-25\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/week?day=2026-11-30\"", html, StringComparison.Ordinal);
        var next = await (await owner.GetAsync("/app/week?day=2026-11-30")).HtmlAsync();
        Assert.Contains("Lun 30 – Dom 6", next, StringComparison.Ordinal);
        Assert.DoesNotContain("Diego Mora", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockingTime_ChecksTheFields_ShowsTheAppointmentsInside_AndAnEmployeeBlocksOnlyTheirOwn()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);
        const string page = "/app/block";

        var backwards = await owner.PostFormAsync(page, "block", ("Block.Once", "k1"), ("Block.Staff", shop.BarberId.ToString()),
            ("Block.Day", "2026-11-23"), ("Block.From", "12:00"), ("Block.To", "11:00"));
        Assert.Equal(HttpStatusCode.OK, backwards.StatusCode);
        Assert.Contains("id=\"to-error\">Tiene que ser después de la hora de inicio.", await backwards.HtmlAsync(), StringComparison.Ordinal);
        var past = await owner.PostFormAsync(page, "block", ("Block.Once", "k1"), ("Block.Day", "2026-11-20"), ("Block.WholeDay", "true"));
        Assert.Contains("id=\"day-error\">Ese día ya pasó.", await past.HtmlAsync(), StringComparison.Ordinal);

        var blocked = await owner.PostFormAsync(page, "block", ("Block.Once", "k1"), ("Block.Staff", shop.BarberId.ToString()),
            ("Block.Day", "2026-11-23"), ("Block.From", "10:30"), ("Block.To", "11:30"), ("Block.Reason", "Dentista"));
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        var location = blocked.Headers.Location!.PathAndQuery;
        Assert.Equal("/app?day=2026-11-23&done=blocked", location);
        var html = await (await owner.GetAsync(location)).HtmlAsync();
        Assert.Contains("Listo, ese tiempo quedó bloqueado.", html, StringComparison.Ordinal);
        Assert.Contains("Ojo: estas citas quedan dentro del tiempo bloqueado.", html, StringComparison.Ordinal);
        Assert.Contains("Bloqueado 10:30–11:30 a.m.", html, StringComparison.Ordinal);
        Assert.Contains("En tiempo bloqueado", html, StringComparison.Ordinal);
        // The same form posted again blocks nothing more.
        Assert.Equal(location, (await owner.PostFormAsync(page, "block", ("Block.Once", "k1"), ("Block.Staff", shop.BarberId.ToString()),
            ("Block.Day", "2026-11-23"), ("Block.From", "10:30"), ("Block.To", "11:30"))).Headers.Location!.PathAndQuery);

        using var luis = await shop.App.SignedInAsync(TodayShop.Barber);
        Assert.DoesNotContain("name=\"Block.Staff\"", await (await luis.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);
        var refused = await luis.PostFormAsync(page, "block", ("Block.Once", "k2"), ("Block.Staff", shop.OwnerId.ToString()),
            ("Block.Day", "2026-11-24"), ("Block.WholeDay", "true"));
        Assert.Contains("Solo puedes bloquear tu propio tiempo.", await refused.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await luis.PostFormAsync(page, "block", ("Block.Once", "k3"), ("Block.Day", "2026-11-24"), ("Block.WholeDay", "true"))).StatusCode);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var rules = await db.AvailabilityRules.OrderBy(r => r.CreatedAt).ToListAsync();
            Assert.Equal(2, rules.Count);
            Assert.Equal(shop.BarberId, rules[0].StaffId);
            Assert.Equal("Dentista", rules[0].Note);
            Assert.Equal(shop.BarberId, rules[1].StaffId);
            Assert.Null(rules[1].StartTime);
        }
    }

    [Fact]
    public async Task Booking_TakesThreeTaps_AndADoubleSubmitBooksOnce()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);

        var services = await (await owner.GetAsync("/app/book")).HtmlAsync();
        Assert.Contains($"href=\"/app/book?service={shop.HaircutId}\"", services, StringComparison.Ordinal);
        var times = (await (await owner.GetAsync($"/app/book?service={shop.HaircutId}")).HtmlAsync()).Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Contains("Ahora · Ramón", times, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/book?service={shop.HaircutId}&at=now&staff={shop.BarberId}\"", times, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/book?service={shop.HaircutId}&at=2026-11-23T13%3A00\"", times, StringComparison.Ordinal);

        var page = $"/app/book?service={shop.HaircutId}&at=2026-11-23T13%3A00";
        var confirm = await (await owner.GetAsync(page)).HtmlAsync();
        Assert.Contains("Hoy, 1:00 p.m.", confirm, StringComparison.Ordinal);
        (string, string)[] fields = [("Form.Once", "once-1"), ("Form.Start", "2026-11-23T13:00"), ("Form.Phone", "55 4000 0001"), ("Form.Name", "Diego Mora")];
        var first = await owner.PostFormAsync(page, "book", fields);
        var second = await owner.PostFormAsync(page, "book", fields);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/app?day=2026-11-23&done=booked", first.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location!.PathAndQuery, second.Headers.Location!.PathAndQuery);
        Assert.Contains("¡Listo! La cita quedó agendada.", await (await owner.GetAsync(first.Headers.Location!.PathAndQuery)).HtmlAsync(), StringComparison.Ordinal);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var customer = await db.Customers.SingleAsync(c => c.PhoneNumber == "+525540000001");
            Assert.Equal("Diego Mora", customer.DisplayName);
            var booked = await db.Appointments.SingleAsync(a => a.CustomerId == customer.Id);
            Assert.Equal(new DateTime(2026, 11, 23, 19, 0, 0), booked.StartAt);
            Assert.Equal(AppointmentSource.Manual, booked.Source);
        }
    }

    [Fact]
    public async Task Booking_AWalkInNow_WithTheChosenBarber()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);
        var page = $"/app/book?service={shop.HaircutId}&at=now&staff={shop.BarberId}";

        Assert.Contains("con Luis Pérez", await (await owner.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);
        var done = await owner.PostFormAsync(page, "book", ("Form.Once", "walk-1"), ("Form.Start", "now"), ("Form.Phone", "55 4000 0002"));

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var walkIn = await db.Appointments.SingleAsync(a => a.Source == AppointmentSource.WalkIn);
            Assert.Equal(shop.BarberId, walkIn.StaffId);
            Assert.Equal(new DateTime(2026, 11, 23, 16, 0, 0), walkIn.StartAt);
        }
    }

    [Fact]
    public async Task Booking_ATakenTime_OffersTheNearestFreeOnes_AndABadPhoneIsShownNextToTheField()
    {
        await using var shop = await TodayShop.StartAsync();
        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);
        var page = $"/app/book?service={shop.HaircutId}&at=2026-11-23T14%3A00";
        var html = await (await owner.GetAsync(page)).HtmlAsync();
        Assert.Contains("name=\"Form.Start\" value=\"2026-11-23T14:00\"", html, StringComparison.Ordinal);

        var badPhone = await owner.PostFormAsync(page, "book", ("Form.Once", "k1"), ("Form.Start", "2026-11-23T14:00"), ("Form.Phone", "12"));
        Assert.Equal(HttpStatusCode.OK, badPhone.StatusCode);
        Assert.Contains("id=\"phone-error\">Revisa tu número.", await badPhone.HtmlAsync(), StringComparison.Ordinal);

        // Meanwhile both barbers get booked at 14:00.
        await shop.BookAsync(shop.BarberId, "2026-11-23T14:00", "55 3000 0007", "Eva");
        await shop.BookAsync(shop.OwnerId, "2026-11-23T14:00", "55 3000 0008", "Fer");
        var taken = await owner.PostFormAsync(page, "book", ("Form.Once", "k1"), ("Form.Start", "2026-11-23T14:00"), ("Form.Phone", "55 4000 0003"), ("Form.Name", "Gil"));
        var takenHtml = await taken.HtmlAsync();

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("¡Uy! Ese horario se acaba de ocupar.", takenHtml, StringComparison.Ordinal);
        Assert.Contains("type=\"radio\" name=\"Form.Start\" value=\"2026-11-23T14:30\"", takenHtml, StringComparison.Ordinal);
        Assert.Contains("type=\"radio\" name=\"Form.Start\" value=\"2026-11-23T13:30\"", takenHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"2026-11-23T14:00\"", takenHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"55 4000 0003\"", takenHtml, StringComparison.Ordinal);

        var retried = await owner.PostFormAsync(page, "book", ("Form.Once", "k1"), ("Form.Start", "2026-11-23T14:30"), ("Form.Phone", "55 4000 0003"), ("Form.Name", "Gil"));
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
    }

    [Fact]
    public async Task AnEmployee_BooksOnlyWithThemselves()
    {
        await using var shop = await TodayShop.StartAsync();
        using var luis = await shop.App.SignedInAsync(TodayShop.Barber);
        var page = $"/app/book?service={shop.HaircutId}&at=now&staff={shop.OwnerId}";

        var html = await (await luis.GetAsync($"/app/book?service={shop.HaircutId}")).HtmlAsync();
        Assert.DoesNotContain("Cualquiera", html, StringComparison.Ordinal);
        Assert.Contains(">Ahora</a>", html, StringComparison.Ordinal);
        var done = await luis.PostFormAsync(page, "book", ("Form.Once", "k1"), ("Form.Start", "now"), ("Form.Phone", "55 4000 0004"));

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(shop.BarberId, (await db.Appointments.SingleAsync(a => a.Source == AppointmentSource.WalkIn)).StaffId);
        }
    }
}
