using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Onboarding;

/// <summary>Signup and onboarding to a first booking, in Chromium on a phone-sized screen.</summary>
public sealed class SignupBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task ANewOwner_SignsUp_GoesThroughTheWizard_SharesTheLink_AndACustomerBooks()
    {
        await using var app = KaribuApp.StartListening();
        // Monday 23 November 2026, 10:00 in Mexico City.
        app.Time.Set(SignupPageTests.Now);
        var page = await chromium.NewPageAsync(app.Address!, Chromium.Phone);

        await page.GotoAsync("/signup");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Crea tu negocio");
        await page.Locator("#business").FillAsync("Barbería Lucía");
        await page.Locator("label.choice", new() { HasText = "Barbería" }).ClickAsync();
        await page.Locator("#name").FillAsync("Lucía Ramos");
        await page.Locator("#phone").FillAsync("55 1234 0001");
        await page.Locator("#email").FillAsync("lucia@example.com");
        await page.Locator("#password").FillAsync(SignupPageTests.Password);
        await Chromium.ScreenshotAsync(page, "signup.png", fullPage: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear mi negocio" }).ClickAsync();

        // Services: keep the barbershop's template.
        await Expect(page.Locator("h1")).ToHaveTextAsync("¿Qué servicios ofreces?");
        await Expect(page.Locator("input[name='Offer.Items[0].Name']")).ToHaveValueAsync("Corte de cabello");
        await Expect(page.Locator("input[name='Offer.Items[0].Price']")).ToHaveValueAsync("150");
        await Expect(page.Locator(".steps p")).ToHaveTextAsync("Paso 1 de 5");
        await Chromium.ScreenshotAsync(page, "welcome-services.png", fullPage: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar servicios" }).ClickAsync();

        // Hours: keep Monday to Saturday, 9 to 7.
        await Expect(page.Locator("h1")).ToHaveTextAsync("¿Qué días y horas abres?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar horario" }).ClickAsync();

        // Team and channel: later.
        await Expect(page.Locator("h1")).ToHaveTextAsync("¿Quién trabaja contigo?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trabajo solo, saltar" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Conecta tu WhatsApp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Más tarde" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("¡Tu página de reservas está lista!");
        var link = await page.Locator("#share-url").InputValueAsync();
        Assert.Equal($"{app.Address}b/barberia-lucia", link);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Compartir por WhatsApp" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://wa\\.me/\\?text="));
        await Chromium.ScreenshotAsync(page, "welcome-share.png", fullPage: false);

        // A customer opens the shared link and books.
        var customer = await chromium.NewPageAsync(app.Address!, Chromium.Phone);
        await customer.GotoAsync(link);
        await Expect(customer.Locator("h1")).ToHaveTextAsync("Barbería Lucía");
        await customer.Locator(".service", new() { HasText = "Corte de cabello" }).First.ClickAsync();
        await Expect(customer.Locator("#book h2")).ToHaveTextAsync("Elige el día");
        await customer.Locator("a.day", new() { HasText = "Mar 24" }).ClickAsync();
        await customer.Locator("label.time", new() { HasText = "10:30 a.m." }).ClickAsync();
        await customer.Locator("#name").FillAsync("Ana López");
        await customer.Locator("#phone").FillAsync("55 8765 4321");
        await customer.Locator("button[type=submit]").ClickAsync();
        await Expect(customer.Locator("h1")).ToHaveTextAsync("¡Tu cita está confirmada!");

        var (db, scope) = app.Db();
        using (scope)
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
            var appointment = await db.Appointments.IgnoreQueryFilters().SingleAsync();
            Assert.Equal(organization.Id, appointment.OrganizationId);
            Assert.Equal(AppointmentSource.Web, appointment.Source);
            Assert.Equal(new DateTime(2026, 11, 24, 16, 30, 0), appointment.StartAt);
            Assert.Equal(5, await db.Services.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == organization.Id));
        }
    }
}
