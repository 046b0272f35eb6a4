using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Playground;

/// <summary>The playground page in Chromium, against the app listening on 127.0.0.1.</summary>
public sealed class PlaygroundBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task ANewCustomer_BooksByChat_TappingATime_AndTheAppointmentAppearsInTheAgenda()
    {
        await using var shop = await PlaygroundShop.StartListeningAsync();
        var page = await chromium.NewPageAsync(shop.App.Address!, Chromium.Phone);
        await page.GotoAsync("/playground");

        await Expect(page.Locator("#business-name")).ToHaveTextAsync("Barbería El Bigote");
        await Expect(page.Locator("#business option:checked")).ToHaveTextAsync("Barbería El Bigote");
        await Expect(page.Locator("#sender option:checked")).ToHaveAttributeAsync("data-kind", "new_customer");
        await Expect(page.Locator("#text")).ToHaveAttributeAsync("placeholder", "Escribe un mensaje");
        await Expect(page.Locator("#agenda-day")).ToHaveTextAsync("Hoy, martes, 24 de noviembre");

        await page.Locator("#text").FillAsync("Hola, quiero un corte mañana en la tarde");
        await page.Locator("#text").PressAsync("Enter");
        await Expect(page.Locator(".bubble.in").First).ToContainTextAsync("Hola, quiero un corte mañana en la tarde");
        var offer = page.Locator(".bubble.out").First;
        await Expect(offer).ToContainTextAsync("Mañana miércoles 25 de noviembre tengo estos horarios para corte de cabello");
        await Expect(offer.Locator(".list-title")).ToHaveTextAsync("Ver horarios");

        var choice = offer.Locator(".choice").Nth(1);
        var time = await choice.TextContentAsync();
        await choice.ClickAsync();
        await Expect(page.Locator(".bubble.in").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(time!)}"));
        await Expect(page.Locator(".bubble.out").Nth(1)).ToContainTextAsync($"¿Te agendo corte de cabello mañana miércoles 25 de noviembre a las {time}");

        await page.Locator("#text").FillAsync("sí");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".bubble.out").Nth(2)).ToContainTextAsync("Tu cita quedó confirmada");

        // The booking is tomorrow: step the agenda one day on.
        await page.Locator("#agenda-next").ClickAsync();
        await Expect(page.Locator("#agenda-day")).ToHaveTextAsync("miércoles, 25 de noviembre");
        var booked = page.Locator(".appt");
        await Expect(booked).ToHaveCountAsync(1);
        await Expect(booked).ToContainTextAsync("Corte de cabello");
        await Expect(booked).ToContainTextAsync("Confirmada");

        var appointment = await Query(shop, db => db.Appointments.SingleAsync(a => a.CustomerId != shop.CarlosId));
        Assert.Equal(AppointmentStatus.Confirmed, appointment.Status);
        var local = appointment.StartAt.AddHours(-6);
        Assert.Equal(new DateOnly(2026, 11, 25), DateOnly.FromDateTime(local));
        await Expect(booked.Locator(".time")).ToContainTextAsync($"{local:HH:mm}–");

        if (Chromium.ScreenshotFolder is { } folder)
        {
            // The phone fills the screen, the agenda below it: show the chat from its header down.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.Locator("#thread").EvaluateAsync("t => t.scrollTop = t.scrollHeight");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "playground.png") });
        }
    }

    [BrowserFact]
    public async Task AStaffMember_AsksWhatTheyHaveToday_AndSeesTheirDay_InTheChatAndTheAgenda()
    {
        await using var shop = await PlaygroundShop.StartListeningAsync();
        var page = await chromium.NewPageAsync(shop.App.Address!);
        await page.GotoAsync("/playground");

        await Expect(page.Locator("#sender option")).ToHaveCountAsync(7);
        await page.Locator("#sender").SelectOptionAsync($"staff:{shop.LuisId}");
        await Expect(page.Locator("#chat-subtitle")).ToHaveTextAsync("Escribes como: Luis · Personal");

        await page.Locator("#text").FillAsync("¿Qué tengo hoy?");
        await page.Locator("#text").PressAsync("Enter");
        var answer = page.Locator(".bubble.out").First;
        await Expect(answer).ToContainTextAsync("Hoy tienes 1 cita:");
        await Expect(answer).ToContainTextAsync("11:00 a.m. Corte de cabello — Carlos Méndez");

        // Luis's column: the appointment and his block, in time order.
        var column = page.Locator($"[data-staff-id='{shop.LuisId}']");
        await Expect(column.Locator("li")).ToHaveCountAsync(2);
        await Expect(column.Locator("li").Nth(0)).ToContainTextAsync("11:00–11:30");
        await Expect(column.Locator("li").Nth(0)).ToContainTextAsync("Carlos Méndez");
        await Expect(column.Locator("li").Nth(1)).ToContainTextAsync("15:00–16:00 · Bloqueado — Dentista");
        await Expect(page.Locator("#agenda-hours")).ToHaveTextAsync("Abierto: 10:00–20:00");
    }

    private static async Task<T> Query<T>(PlaygroundShop shop, Func<Karibu.Data.KaribuDb, Task<T>> query)
    {
        var (db, scope) = shop.App.Db(shop.DemoId);
        using (scope)
        {
            return await query(db);
        }
    }
}
