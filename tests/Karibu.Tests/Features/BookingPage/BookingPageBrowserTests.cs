using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>The booking page in Chromium on a phone-sized screen, against the app listening on 127.0.0.1.</summary>
public sealed class BookingPageBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>Set to a folder to save the screenshots there (docs/screenshots holds the committed ones).</summary>
    private const string ScreenshotVariable = "KARIBU_SCREENSHOTS";

    static BookingPageBrowserTests() => SetDefaultExpectTimeout(30_000);

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
        await SaveAsync(page, "booking-page.png", fullPage: true);

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
        await SaveAsync(page, "booking-confirmed.png", fullPage: false);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            Assert.Equal(AppointmentSource.Web, appointment.Source);
            Assert.Equal(new DateTime(2026, 11, 24, 16, 30, 0), appointment.StartAt);
        }
    }

    private static async Task SaveAsync(IPage page, string name, bool fullPage)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
        }
    }
}
