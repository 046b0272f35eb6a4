using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>The booking page in Chromium on a phone-sized screen, against the app listening on 127.0.0.1.</summary>
public sealed class BookingPageBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task ACustomer_BooksOnAPhone_ChoosingServiceDayAndTime_AndSeesTheConfirmation()
    {
        await using var shop = await BookingPageShop.ArrangeAsync(KaribuApp.StartListening());
        var page = await chromium.NewPageAsync(shop.App.Address!, Chromium.Phone);
        await page.GotoAsync(shop.Page);

        await Expect(page.Locator("h1")).ToHaveTextAsync("Barbería Centro");
        await Expect(page.Locator(".today")).ToHaveTextAsync("Hoy: 9:00 a.m. – 7:00 p.m.");
        await Expect(page.Locator(".service").First).ToContainTextAsync("$150");
        // The stylesheet loaded: the WhatsApp button is painted green.
        await Expect(page.Locator(".button.whatsapp")).ToHaveCSSAsync("background-color", "rgb(29, 168, 81)");
        await Chromium.ScreenshotAsync(page, "booking-page.png", fullPage: true);

        await page.Locator(".service", new() { HasText = "Corte de cabello" }).ClickAsync();
        await Expect(page.Locator("#book h2")).ToHaveTextAsync("Elige el día");
        await page.Locator("a.day", new() { HasText = "Mar 24" }).ClickAsync();
        await Expect(page.Locator(".chosen strong").Nth(1)).ToHaveTextAsync("Mañana martes 24 de noviembre");

        await page.Locator("label.time", new() { HasText = "10:30 a.m." }).ClickAsync();
        await page.Locator("#name").FillAsync("Ana López");
        await page.Locator("#phone").FillAsync("55 8765 4321");
        await page.Locator("button[type=submit]").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("¡Tu cita está confirmada!");
        await Expect(page.Locator(".when")).ToContainTextAsync("Mañana martes 24 de noviembre");
        await Expect(page.Locator(".when")).ToContainTextAsync("10:30 a.m.");
        await Chromium.ScreenshotAsync(page, "booking-confirmed.png", fullPage: false);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            Assert.Equal(AppointmentSource.Web, appointment.Source);
            Assert.Equal(new DateTime(2026, 11, 24, 16, 30, 0), appointment.StartAt);
        }
    }

    [BrowserFact]
    public async Task WhenTheBusinessAsksForACode_TheCustomerTypesTheCodeSentToTheirPhone_AndTheBookingIsConfirmed()
    {
        await using var shop = await BookingPageShop.ArrangeAsync(KaribuApp.StartListening());
        await shop.ConnectSmsAsync();
        await (await shop.Api.PatchJsonAsync(shop.Tenant.Path, new { settings = new { confirm_page_bookings_by_code = true } })).AssertStatusAsync(200);
        var page = await chromium.NewPageAsync(shop.App.Address!, Chromium.Phone);
        await page.GotoAsync(shop.TimesUrl("2026-11-24"));

        await page.Locator("label.time", new() { HasText = "10:30 a.m." }).ClickAsync();
        await page.Locator("#name").FillAsync("Ana López");
        await page.Locator("#phone").FillAsync("55 8765 4321");
        await page.Locator("button[type=submit]").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Confirma con el código");
        await Expect(page.Locator("#code")).ToContainTextAsync("4321");
        await Expect(page.Locator("#code .business")).ToHaveTextAsync("Barbería Centro");
        string code;
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Pending, (await db.Appointments.SingleAsync()).Status);
            code = (await db.Messages.SingleAsync()).Body![..6];
        }

        // A typo first: the message is next to the field, and the booking still waits.
        await page.Locator("#code-input").FillAsync(code == "000000" ? "111111" : "000000");
        await page.Locator("#code button.primary").ClickAsync();
        await Expect(page.Locator("#code-error")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "booking-code.png", fullPage: false);

        await page.Locator("#code-input").FillAsync(code);
        await page.Locator("#code button.primary").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("¡Tu cita está confirmada!");
        await Expect(page.Locator(".when")).ToContainTextAsync("10:30 a.m.");
        (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Confirmed, (await db.Appointments.SingleAsync()).Status);
        }
    }
}
