using System.Net;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>The public booking page /b/{slug} over HTTP: what it shows, and a booking made with its forms alone.</summary>
public sealed class BookingPageTests
{
    [Fact]
    public async Task ThePage_ShowsServicesPricesDurationsHoursAndContact_WithOpenGraphTags()
    {
        await using var shop = await BookingPageShop.StartAsync();

        var html = await shop.GetHtmlAsync(shop.Page);

        Assert.Equal("barberia-centro", shop.Slug);
        Assert.Contains("<h1>Barbería Centro</h1>", html);
        Assert.Contains("Corte de cabello", html);
        Assert.Contains("$150", html);
        Assert.Contains("30 min", html);
        Assert.Contains("Arreglo de barba", html);
        Assert.Contains("Con toalla caliente.", html);
        Assert.Contains("Hoy: 9:00 a.m. – 7:00 p.m.", html);
        Assert.Contains("<th scope=\"row\">Sábado</th>", html);
        Assert.Contains("9:00 a.m. – 3:00 p.m.", html);
        Assert.Contains("Cerrado", html);
        Assert.Contains(BookingPageShop.Address, html);
        Assert.Contains($"https://www.google.com/maps/search/?api=1&query={Uri.EscapeDataString(BookingPageShop.Address)}", html);
        Assert.Contains("href=\"https://wa.me/525512345678\"", html);
        Assert.Contains("Escribir por WhatsApp", html);
        Assert.Contains("<title>Reserva en Barbería Centro</title>", html);
        Assert.Contains("<meta property=\"og:title\" content=\"Barbería Centro\" />", html);
        Assert.Contains("<meta property=\"og:description\" content=\"Reserva tu cita en Barbería Centro en línea: Corte de cabello, Arreglo de barba.\" />", html);
        Assert.Contains("<meta name=\"description\" content=\"Reserva tu cita en Barbería Centro", html);
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost/b/barberia-centro\" />", html);
        Assert.Contains("<meta name=\"robots\" content=\"index,follow\" />", html);
        Assert.Contains("<meta property=\"og:locale\" content=\"es_MX\" />", html);
        Assert.DoesNotContain("<script", html);

        var english = await shop.GetHtmlAsync($"{shop.Page}?lang=en");
        Assert.Contains("Chat on WhatsApp", english);
        Assert.Contains("Today: 9:00 am – 7:00 pm", english);
        Assert.Contains("<th scope=\"row\">Saturday</th>", english);
        Assert.Contains(">Book<", english);
        var swahili = await shop.GetHtmlAsync($"{shop.Page}?lang=sw");
        Assert.Contains("Leo: 09:00 – 19:00", swahili);
        Assert.Contains("dakika 30", swahili);
        Assert.Contains("<th scope=\"row\">Jumamosi</th>", swahili);

        var css = await shop.Browser.GetAsync("/css/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownSlug_IsAFriendly404Page()
    {
        await using var shop = await BookingPageShop.StartAsync();

        var html = await shop.GetHtmlAsync("/b/no-existe", HttpStatusCode.NotFound);

        Assert.Contains("No encontramos este negocio", html);
        Assert.Contains("<meta name=\"robots\" content=\"noindex\"", html);
    }

    [Fact]
    public async Task AWholeBooking_ThroughTheForms_BooksATimeTheSlotFinderOffered_AndQueuesTheConfirmation()
    {
        await using var shop = await BookingPageShop.StartAsync();
        await shop.ConnectSmsAsync();

        var days = await shop.GetHtmlAsync($"{shop.Page}?service={shop.HaircutId}");
        Assert.Contains("Elige el día", days);
        Assert.Contains($"href=\"/b/barberia-centro?service={shop.HaircutId}&day=2026-11-24#book\"", days);
        Assert.Contains("<span class=\"day off\" title=\"Sin horarios\">Dom 29</span>", days);

        var times = await shop.GetHtmlAsync(shop.TimesUrl("2026-11-24"));
        var offered = BookingPageShop.OfferedStarts(times);
        Assert.Equal("2026-11-24T09:00", offered[0]);
        Assert.Contains("Mañana martes 24 de noviembre", times);
        var api = await (await shop.Api.GetAsync($"{shop.Tenant.Path}/availability/slots?service_id={shop.HaircutId}&date_from=2026-11-24&date_to=2026-11-24"))
            .AssertStatusAsync(200);
        var apiStarts = api["slots"]!.AsArray().Select(s => DateTimeOffset.Parse(s!.Str("start"), System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(-6)).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(apiStarts, offered);

        var response = await shop.PostBookingAsync(shop.TimesUrl("2026-11-24"), offered[2], "Ana López", "55 8765 4321");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            Assert.Equal(AppointmentSource.Web, appointment.Source);
            Assert.Equal(AppointmentStatus.Confirmed, appointment.Status);
            Assert.Equal(new DateTime(2026, 11, 24, 15, 30, 0), appointment.StartAt);
            Assert.Equal(shop.HaircutId, appointment.ServiceId);
            var customer = await db.Customers.SingleAsync(c => c.Id == appointment.CustomerId);
            Assert.Equal("+525587654321", customer.PhoneNumber);
            Assert.Equal("Ana López", customer.DisplayName);
            Assert.Equal($"/b/barberia-centro/confirmed/{appointment.Id}", response.Headers.Location?.AbsolutePath);

            // The customer is told through the business's channel, as for a booking from any other door.
            var confirmation = await db.Messages.SingleAsync(m => m.Purpose == MessagePurpose.Confirmation);
            var chat = await db.Conversations.SingleAsync(c => c.Id == confirmation.ConversationId);
            Assert.Equal(customer.Id, chat.CustomerId);
        }

        var confirmed = await shop.GetHtmlAsync(response.Headers.Location!.PathAndQuery);
        Assert.Contains("¡Tu cita está confirmada!", confirmed);
        Assert.Contains("Mañana martes 24 de noviembre", confirmed);
        Assert.Contains("9:30 a.m.", confirmed);
        Assert.Contains("Corte de cabello con Luis · $150", confirmed);
        Assert.Contains("Te enviaremos la confirmación", confirmed);
        Assert.DoesNotContain("Ana", confirmed);
    }

    [Fact]
    public async Task WhenTheBusinessAsksForIt_APageBookingWaitsForTheCustomersYes_AskedByMessage()
    {
        await using var shop = await BookingPageShop.StartAsync();
        await shop.ConnectSmsAsync();
        await (await shop.Api.PatchJsonAsync(shop.Tenant.Path, new { settings = new { confirm_page_bookings_by_reply = true } })).AssertStatusAsync(200);
        var start = BookingPageShop.OfferedStarts(await shop.GetHtmlAsync(shop.TimesUrl("2026-11-24")))[0];

        var response = await shop.PostBookingAsync(shop.TimesUrl("2026-11-24"), start, "Ana López", "55 8765 4321");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            Assert.Equal(AppointmentStatus.Pending, appointment.Status);
            var ask = await db.Messages.SingleAsync(m => m.Purpose == MessagePurpose.Confirmation);
            Assert.StartsWith("Hola Ana 👋 Recibimos tu reserva de Corte de cabello el martes 24 de noviembre a las 9:00 a.m.", ask.Body, StringComparison.Ordinal);
            Assert.EndsWith("Responde SÍ para confirmarla o CANCELAR si no la hiciste tú.", ask.Body, StringComparison.Ordinal);
            // The answer is read like the answer to a reminder: SÍ confirms this appointment, CANCELAR cancels it.
            var chat = await db.Conversations.SingleAsync(c => c.Id == ask.ConversationId);
            Assert.Equal(Karibu.Features.Assistant.Guided.GuidedEngine.AwaitingReminderAnswer(appointment.Id), chat.AssistantState);
        }

        var page = await shop.GetHtmlAsync(response.Headers.Location!.PathAndQuery);
        Assert.Contains("¡Casi listo! Te enviamos un mensaje: responde SÍ para confirmar tu cita.", page);

        // Without a channel to ask on, the setting cannot apply: a booking from the page is confirmed as usual.
        await using var quiet = await BookingPageShop.StartAsync();
        await (await quiet.Api.PatchJsonAsync(quiet.Tenant.Path, new { settings = new { confirm_page_bookings_by_reply = true } })).AssertStatusAsync(200);
        var first = BookingPageShop.OfferedStarts(await quiet.GetHtmlAsync(quiet.TimesUrl("2026-11-24")))[0];
        await quiet.PostBookingAsync(quiet.TimesUrl("2026-11-24"), first, "Ana López", "55 8765 4321");
        var (db2, scope2) = quiet.App.Db(quiet.Tenant.Id);
        using (scope2)
        {
            Assert.Equal(AppointmentStatus.Confirmed, (await db2.Appointments.SingleAsync()).Status);
        }
    }

    [Fact]
    public async Task AnInvalidPhone_IsShownNextToTheField_AndBooksNothing()
    {
        await using var shop = await BookingPageShop.StartAsync();
        var url = shop.TimesUrl("2026-11-24");
        var start = BookingPageShop.OfferedStarts(await shop.GetHtmlAsync(url))[0];

        var response = await shop.PostBookingAsync(url, start, "Ana", "12345");
        var html = await BookingPageShop.ReadHtmlAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<p class=\"field-error\" id=\"phone-error\">Revisa tu número. Por ejemplo 55 1234 5678.</p>", html);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"phone-error\"", html);
        Assert.Contains("value=\"Ana\"", html);
        Assert.Contains($"value=\"{start}\" checked", html);
        Assert.DoesNotContain("id=\"name-error\"", html);

        var english = await BookingPageShop.ReadHtmlAsync(await shop.PostBookingAsync(url + "&lang=en", null, "", "12345"));
        Assert.Contains("Please check your number.", english);
        Assert.Contains("Please enter your name.", english);
        Assert.Contains("Please choose a time.", english);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Appointments.CountAsync());
            Assert.Equal(0, await db.Customers.CountAsync());
        }
    }

    [Fact]
    public async Task ATimeTakenWhileChoosing_ShowsTheNearestFreeTimes_AndBooksNothing()
    {
        await using var shop = await BookingPageShop.StartAsync();
        var url = shop.TimesUrl("2026-11-24");
        var html = await shop.GetHtmlAsync(url);
        // The page is open in the customer's browser...
        Assert.Contains("2026-11-24T12:00", BookingPageShop.OfferedStarts(html));

        // ...while the business books 12:00 for someone else (the only barber).
        await (await shop.Api.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.HaircutId, staff_id = shop.BarberId, start = "2026-11-24T12:00", customer_phone = "55 1111 2222",
        })).AssertStatusAsync(201);
        var response = await shop.PostBookingAsync(url, "2026-11-24T12:00", "Ana", "55 8765 4321");
        var page = await BookingPageShop.ReadHtmlAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("¡Uy! Ese horario se acaba de ocupar.", page);
        var nearest = BookingPageShop.OfferedStarts(page);
        Assert.Equal(["2026-11-24T11:00", "2026-11-24T11:15", "2026-11-24T11:30", "2026-11-24T12:30", "2026-11-24T12:45", "2026-11-24T13:00"], nearest);
        Assert.DoesNotContain("2026-11-24T12:00", nearest);
        Assert.Contains("value=\"Ana\"", page);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Appointments.CountAsync(a => a.Source == AppointmentSource.Web));
        }
    }

    [Fact]
    public async Task APhoneMayBookOnlySoOftenADay_AndAnAddressSoOftenAnHour_WithAFriendlyMessage()
    {
        await using var shop = await BookingPageShop.StartAsync(new Dictionary<string, string?>
        {
            ["Karibu:BookingPage:MaxBookingsPerPhonePerDay"] = "1",
            ["Karibu:BookingPage:MaxBookingsPerIpPerHour"] = "2",
        });
        var url = shop.TimesUrl("2026-11-24");

        Assert.Equal(HttpStatusCode.Redirect, (await shop.PostBookingAsync(url, "2026-11-24T11:00", "Ana", "55 8765 4321")).StatusCode);
        var again = await shop.PostBookingAsync(url, "2026-11-24T14:00", "Ana", "55 8765 4321");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Este número ya hizo varias reservas hoy.", await BookingPageShop.ReadHtmlAsync(again));

        Assert.Equal(HttpStatusCode.Redirect, (await shop.PostBookingAsync(url, "2026-11-24T15:00", "Beto", "55 8765 4322")).StatusCode);
        var third = await shop.PostBookingAsync(url, "2026-11-24T16:00", "Carla", "55 8765 4323");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("Se hicieron muchas reservas desde esta conexión.", await BookingPageShop.ReadHtmlAsync(third));

        // A day later the phone may book again; an hour later the address may.
        shop.App.Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(HttpStatusCode.Redirect, (await shop.PostBookingAsync(shop.TimesUrl("2026-11-25"), "2026-11-25T11:00", "Ana", "55 8765 4321")).StatusCode);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(3, await db.Appointments.CountAsync());
        }
    }
}
