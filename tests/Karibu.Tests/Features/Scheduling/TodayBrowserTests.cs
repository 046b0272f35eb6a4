using System.Text.RegularExpressions;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>The Today screens in Chromium on a phone-sized screen, signed in as the owner.</summary>
public sealed partial class TodayBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [GeneratedRegex(@"\bnext\b")]
    private static partial Regex Next();

    [BrowserFact]
    public async Task TheOwner_SeesTheAgenda_BooksAWalkInInThreeTaps_AndMarksAnAppointmentDone()
    {
        await using var shop = await TodayShop.StartAsync(app: KaribuApp.StartListening());
        await shop.BookAsync(shop.BarberId, "2026-11-24T12:00", "55 3000 0004", "Diego Mora");
        await shop.BookAsync(shop.OwnerId, "2026-11-25T17:00", "55 3000 0005", "Elena Ríos");
        var page = await chromium.NewPageAsync(shop.App.Address!, Chromium.Phone);
        await page.SignInAsync(TodayShop.Owner);

        await page.GotoAsync("/app");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Hoy");
        await Expect(page.Locator($"#a-{shop.Ana}")).ToHaveClassAsync(Next());
        await Expect(page.Locator($"#a-{shop.Ana} .next-badge")).ToHaveTextAsync("Siguiente");
        await Expect(page.Locator(".free").First).ToContainTextAsync("Libre");
        await Chromium.ScreenshotAsync(page, "today.png", fullPage: false);

        // Three taps: the service, "now" with Luis, confirm (after typing the phone).
        await page.Locator(".today-links a", new() { HasText = "+ Cita" }).ClickAsync();
        await page.Locator(".service", new() { HasText = "Corte de cabello" }).ClickAsync();
        await page.Locator(".now-link", new() { HasText = "Luis" }).ClickAsync();
        await Expect(page.Locator(".when")).ToContainTextAsync("Ahora");
        await page.Locator("#phone").FillAsync("55 4000 0005");
        await page.Locator("#name").FillAsync("Iván");
        await Chromium.ScreenshotAsync(page, "walk-in.png", fullPage: false);
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator(".success")).ToContainTextAsync("¡Listo! La cita quedó agendada.");
        await Expect(page.Locator(".appt", new() { HasText = "Iván" })).ToContainTextAsync("Corte de cabello");

        // Beto's 9:30 haircut is over: one tap marks it done.
        await page.Locator($"#a-{shop.Beto} button", new() { HasText = "Terminada" }).ClickAsync();
        await Expect(page.Locator($"#a-{shop.Beto} .status")).ToHaveTextAsync("Terminada");

        await page.Locator(".today-links a", new() { HasText = "Semana" }).ClickAsync();
        await Expect(page.Locator(".week-day.is-today")).ToContainTextAsync("4 citas");
        await Chromium.ScreenshotAsync(page, "week.png", fullPage: true);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var walkIn = await db.Appointments.SingleAsync(a => a.Source == AppointmentSource.WalkIn);
            Assert.Equal(shop.BarberId, walkIn.StaffId);
            Assert.Equal(AppointmentStatus.Completed, (await db.Appointments.SingleAsync(a => a.Id == shop.Beto)).Status);
        }
    }
}
