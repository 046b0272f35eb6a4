using System.Text;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Customers;

/// <summary>The customer screens in Chromium on a phone-sized screen, signed in as the owner of a Mexico City barbershop.</summary>
public sealed class CustomerScreensBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task TheOwner_ImportsACsvWithABrokenRow_SeesWhyItIsSkipped_AndFindsTheNewCustomers()
    {
        await using var app = KaribuApp.StartListening();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        var ana = await ArrangeAnaAsync(app, tenant);

        var page = await chromium.NewPageAsync(app.Address!, Chromium.Phone);
        await page.SignInAsync("ramon@example.com");
        await page.GotoAsync("/app/customers/import");
        // Headless Chromium has no contact picker: its button stays hidden.
        await Expect(page.Locator("#pick-contacts")).ToBeHiddenAsync();

        var csv = "Nombre,Teléfono,Etiquetas\n"
            + "Carla Méndez,55 1234 0003,color\n"
            + "Número Roto,55 12,\n"
            + "Diego Salas,+52 33 1000 0004,\n"
            + "Ana López,55 1234 5678,\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "clientes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ver vista previa" }).ClickAsync();

        await Expect(page.Locator(".import-preview h2")).ToHaveTextAsync("Vista previa");
        await Expect(page.Locator(".skipped li")).ToHaveTextAsync("Fila 3 Número Roto — teléfono no válido: «55 12»");
        await Expect(page.Locator(".existing summary")).ToContainTextAsync("Ya son clientes: 1");
        await Expect(page.Locator(".add summary")).ToHaveTextAsync("Se agregarán: 2");
        await Chromium.ScreenshotAsync(page, "import.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar 2 clientes" }).ClickAsync();

        await Expect(page.Locator(".success")).ToHaveTextAsync("Se agregaron 2 clientes.");
        await Expect(page.Locator(".customers")).ToContainTextAsync("Carla Méndez");
        await Expect(page.Locator(".customers")).ToContainTextAsync("Diego Salas");
        await Expect(page.Locator(".customers")).Not.ToContainTextAsync("Número Roto");
        await Chromium.ScreenshotAsync(page, "customers.png");

        await page.Locator(".customer-row", new() { HasText = "Ana López" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Ana López");
        await Expect(page.Locator(".figures")).ToContainTextAsync("$1,450");
        await Expect(page.Locator(".appointments").First).ToContainTextAsync("Confirmada");
        Assert.EndsWith($"/app/customers/{ana}", page.Url, StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, "customer.png", fullPage: false);

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.Equal(3, await db.Customers.CountAsync());
        }
    }

    /// <summary>A regular: two visits, a haircut booked for Monday, tags and a note.</summary>
    private static async Task<Guid> ArrangeAnaAsync(KaribuApp app, Tenant tenant)
    {
        using var api = app.Client(tenant.ApiKey);
        var corte = (await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id();
        await (await api.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis Pérez", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        var ana = (await (await api.PostJsonAsync($"{tenant.Path}/customers", new
        {
            phone_number = "55 1234 5678", name = "Ana López", tags = new List<string> { "vip", "barba" }, notes = "Prefiere a Luis, corte corto.",
        })).AssertStatusAsync(201)).Id();
        await (await api.PostJsonAsync($"{tenant.Path}/customers/{ana}/check-ins", new { at = "2026-10-03T10:00", amount_cents = 25000, service_id = corte })).AssertStatusAsync(201);
        await (await api.PostJsonAsync($"{tenant.Path}/customers/{ana}/check-ins", new { at = "2026-11-07T12:00", amount_cents = 120000, service_id = corte })).AssertStatusAsync(201);
        await (await api.PostJsonAsync($"{tenant.Path}/appointments", new { service_id = corte, start = "2026-11-23T10:00", customer_id = ana, override_availability = true })).AssertStatusAsync(201);
        return ana;
    }
}
