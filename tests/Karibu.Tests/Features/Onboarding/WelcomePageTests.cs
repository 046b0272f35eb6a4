using System.Net;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Onboarding;

/// <summary>/app/welcome: the new owner's wizard, saving through the same rules as the JSON API.</summary>
public sealed class WelcomePageTests
{
    private static async Task<(KaribuApp App, HttpClient Browser, Guid OrganizationId, string Slug)> SignedUpAsync()
    {
        var app = await SignupPageTests.StartAsync();
        var browser = app.Browser();
        var response = await browser.PostFormAsync("/signup?lang=es", "signup", SignupPageTests.Fields());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (db, scope) = app.Db();
        using (scope)
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
            return (app, browser, organization.Id, organization.Slug);
        }
    }

    /// <summary>The services form as a browser posts it: every row (5 template rows, 2 extra), "Keep" only on the ticked ones.</summary>
    private static (string, string)[] Services(string once, params (int Row, string Name, string Price, string Minutes, bool Extra)[] ticked) =>
        [("Offer.Once", once), .. Enumerable.Range(0, 7).SelectMany(i =>
        {
            var row = ticked.FirstOrDefault(t => t.Row == i);
            var fields = new List<(string, string)>
            {
                ($"Offer.Items[{i}].Extra", i >= 5 ? "true" : "false"), ($"Offer.Items[{i}].Name", row.Name ?? (i >= 5 ? "" : $"Plantilla {i}")),
                ($"Offer.Items[{i}].Price", row.Price ?? (i >= 5 ? "" : "100")), ($"Offer.Items[{i}].Minutes", row.Minutes ?? (i >= 5 ? "" : "30")),
            };
            if (row.Name is not null && i < 5)
            {
                fields.Add(($"Offer.Items[{i}].Keep", "true"));
            }

            return fields;
        })];

    private static (string, string)[] Week(params (int Day, bool Open, string From, string To)[] changes)
    {
        var days = Enumerable.Range(0, 7).Select(d => (Day: d, Open: d < 6, From: "09:00", To: "19:00")).ToList();
        foreach (var c in changes)
        {
            days[c.Day] = c;
        }

        return days.SelectMany(d => (d.Open ? new[] { ($"Week.Days[{d.Day}].Open", "true") } : []).Concat(
            [($"Week.Days[{d.Day}].From", d.From), ($"Week.Days[{d.Day}].To", d.To)])).ToArray();
    }

    [Fact]
    public async Task TheServicesStep_SavesTheTickedServices_WithTheOwnersPrices_Once()
    {
        var (app, browser, organizationId, _) = await SignedUpAsync();
        await using var _ = app;
        using var __ = browser;

        var fields = Services("key-1", (0, "Corte de cabello", "160", "30", false), (5, "Tinte de barba", "$1,250.50", "40", true));
        var saved = await browser.PostFormAsync("/app/welcome", "services", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/app/welcome/hours", saved.Headers.Location!.AbsolutePath);
        // A second tap on the same form goes where the first went and adds nothing.
        var twice = await browser.PostFormAsync("/app/welcome", "services", fields);
        Assert.Equal("/app/welcome/hours", twice.Headers.Location!.AbsolutePath);

        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            var services = await db.Services.OrderBy(s => s.Name).ToListAsync();
            Assert.Equal(2, services.Count);
            Assert.Equal(("Corte de cabello", 16000L, 30, "MXN", (int?)21), (services[0].Name, services[0].PriceCents, services[0].DurationMinutes, services[0].Currency, services[0].RebookIntervalDays));
            Assert.Equal(("Tinte de barba", 125050L, 40, (int?)null), (services[1].Name, services[1].PriceCents, services[1].DurationMinutes, services[1].RebookIntervalDays));
        }

        // The wizard resumes at the next step, and the services step now lists what exists.
        Assert.Contains("¿Qué días y horas abres?", await (await browser.GetAsync("/app/welcome")).HtmlAsync(), StringComparison.Ordinal);
        var list = await (await browser.GetAsync("/app/welcome/services")).HtmlAsync();
        Assert.Contains("Tinte de barba", list, StringComparison.Ordinal);
        Assert.Contains("$1,250", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServicesStep_ShowsMistakesNextToTheRow_AndSavesNothing()
    {
        var (app, browser, organizationId, _) = await SignedUpAsync();
        await using var _ = app;
        using var __ = browser;

        var response = await browser.PostFormAsync("/app/welcome", "services",
            Services("key-2", (0, "Corte de cabello", "150", "30", false), (1, "", "mucho", "0", false)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.Contains("id=\"items-1-error\">Escribe el nombre del servicio. Escribe el precio en números, por ejemplo 150. La duración va de 1 a 1440 minutos.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"items-0-error\"", html, StringComparison.Ordinal);

        var none = await browser.PostFormAsync("/app/welcome", "services", ("Offer.Once", "key-3"));
        var noneHtml = await none.HtmlAsync();
        Assert.True(noneHtml.Contains("Marca al menos un servicio, o salta este paso.", StringComparison.Ordinal), noneHtml);

        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            Assert.False(await db.Services.AnyAsync());
        }
    }

    [Fact]
    public async Task TheHoursStep_ReplacesTheBusinessHours_ByTheApisRules()
    {
        var (app, browser, organizationId, _) = await SignedUpAsync();
        await using var _ = app;
        using var __ = browser;

        var page = await (await browser.GetAsync("/app/welcome/hours")).HtmlAsync();
        Assert.Contains("name=\"Week.Days[5].To\" value=\"19:00\"", page, StringComparison.Ordinal);

        var wrong = await browser.PostFormAsync("/app/welcome/hours", "hours", Week((2, true, "18:00", "09:00")));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("id=\"days-2-error\">La hora de cierre debe ser después de la de apertura.", await wrong.HtmlAsync(), StringComparison.Ordinal);

        var saved = await browser.PostFormAsync("/app/welcome/hours", "hours", Week((0, true, "10:00", "18:00")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/app/welcome/staff", saved.Headers.Location!.AbsolutePath);

        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            var hours = (await db.Locations.SingleAsync(l => l.IsPrimary)).BusinessHours;
            Assert.Equal([new OpenInterval("10:00", "18:00")], hours.Mon);
            Assert.Equal([new OpenInterval("09:00", "19:00")], hours.Sat);
            Assert.Empty(hours.Sun);
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "business_hours.updated"));
        }
    }

    [Fact]
    public async Task TheStaffStep_AddsPeopleByTheApisRules_AllOrNothing_AndSkippingMovesOn()
    {
        var (app, browser, organizationId, slug) = await SignedUpAsync();
        await using var _ = app;
        using var __ = browser;

        var wrong = await browser.PostFormAsync("/app/welcome/staff", "staff", ("Team.Once", "team-1"),
            ("Team.People[0].Name", "Luis Pérez"), ("Team.People[0].Phone", "55 9000 0001"),
            ("Team.People[1].Name", "Ana"), ("Team.People[1].Phone", "12"),
            ("Team.People[2].Name", "Mía"), ("Team.People[2].Phone", "55 1234 0001"));
        var html = await wrong.HtmlAsync();
        Assert.Contains("id=\"people-1-error\">Revisa el número. Por ejemplo 55 1234 5678.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"people-2-error\">Ya hay alguien del equipo con este número.", html, StringComparison.Ordinal);

        var saved = await browser.PostFormAsync("/app/welcome/staff", "staff", ("Team.Once", "team-2"),
            ("Team.People[0].Name", "Luis Pérez"), ("Team.People[0].Phone", "55 9000 0001"));
        Assert.Equal("/app/welcome/channel", saved.Headers.Location!.AbsolutePath);

        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            var luis = await db.Staff.SingleAsync(s => s.Role == StaffRole.Employee);
            Assert.Equal(("Luis Pérez", "+525590000001"), (luis.Name, luis.PhoneNumber));
        }

        var channel = await (await browser.GetAsync("/app/welcome/channel")).HtmlAsync();
        Assert.Contains("href=\"/app/settings/channels\"", channel, StringComparison.Ordinal);
        var later = await browser.PostFormAsync("/app/welcome/channel", "skip", ("Skip.Step", "channel"));
        Assert.Equal("/app/welcome/share", later.Headers.Location!.AbsolutePath);

        // Services and hours are still open: the wizard resumes there; skipping them leaves the share step.
        Assert.Contains("¿Qué servicios ofreces?", await (await browser.GetAsync("/app/welcome")).HtmlAsync(), StringComparison.Ordinal);
        await browser.PostFormAsync("/app/welcome", "skip", ("Skip.Step", "services"));
        await browser.PostFormAsync("/app/welcome", "skip", ("Skip.Step", "hours"));
        var share = await (await browser.GetAsync("/app/welcome")).HtmlAsync();
        Assert.Contains($"value=\"https://localhost/b/{slug}\"", share, StringComparison.Ordinal);
        Assert.Contains($"https://wa.me/?text=%C2%A1Ya%20puedes%20reservar%20tu%20cita%20en%20Barber%C3%ADa%20Luc%C3%ADa%20en%20l%C3%ADnea%21%20https%3A%2F%2Flocalhost%2Fb%2F{slug}", share, StringComparison.Ordinal);
        Assert.Contains("href=\"/app\"", share, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmployee_CannotOpenTheWizard_AndGetsAPoliteNote()
    {
        await using var app = await SignupPageTests.StartAsync();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "luis@example.com", "Luis Pérez", "55 9000 0001", role: "employee");
        using var browser = await app.SignedInAsync("luis@example.com");

        var response = await browser.GetAsync("/app/welcome/services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.Contains("La configuración es del dueño", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
    }
}
