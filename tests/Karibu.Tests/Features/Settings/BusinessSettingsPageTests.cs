using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Karibu.Tests.Features.Settings.SettingsHarness;

namespace Karibu.Tests.Features.Settings;

/// <summary>/app/settings, /app/settings/business, /app/settings/hours and /app/settings/assistant.</summary>
public sealed class BusinessSettingsPageTests
{
    [Fact]
    public async Task TheIndex_ListsTheSections_TheBookingLink_AndSignOut_AndAnEmployeeSeesOnlyWhatTheyMayOpen()
    {
        await using var h = await StartAsync();
        var html = await (await h.Owner.GetAsync("/app/settings")).HtmlAsync();
        foreach (var section in new[] { "business", "hours", "services", "staff", "templates", "faq", "assistant", "channels", "api-keys" })
        {
            Assert.Contains($"href=\"/app/settings/{section}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"/b/barberia-centro\"", html, StringComparison.Ordinal);
        Assert.Contains("data-share=\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/sign-out\"", html, StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_services");
        var theirs = await (await employee.GetAsync("/app/settings")).HtmlAsync();
        Assert.Contains("href=\"/app/settings/services\"", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/app/settings/business\"", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/app/settings/api-keys\"", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChoosingALanguage_SetsTheCookie_AndTheAppSpeaksIt()
    {
        await using var h = await StartAsync();

        var response = await h.Owner.PostFormAsync("/app/settings", "language", ("Form.Language", "sw"));

        AssertRedirect(response, "/app/settings");
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("karibu_lang=sw", StringComparison.Ordinal));
        var html = await (await h.Owner.GetAsync("/app/settings")).HtmlAsync();
        Assert.Contains("<h1>Mipangilio</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Business_SavesNameAddressPhoneAndZone_RefusesAnEmptyName_AndIsNotForEmployees()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/business";

        var empty = await h.Owner.PostFormAsync(page, "business", ("Form.Name", " "), ("Form.Address", "Calle 5"), ("Form.Phone", "55 1234 5678"),
            ("Form.Locale", "es-MX"), ("Form.TimeZone", "America/Mexico_City"));
        await AssertFieldErrorAsync(empty, "name-error", "Escribe el nombre del negocio.");

        var saved = await h.Owner.PostFormAsync(page, "business", ("Form.Name", "Barbería Centro Sur"), ("Form.Address", "Av. Juárez 10, Centro"),
            ("Form.Phone", "55 2222 3333"), ("Form.Locale", "es-MX"), ("Form.TimeZone", "America/Cancun"));
        AssertRedirect(saved, "/app/settings/business?saved=1");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var organization = await db.Organizations.SingleAsync();
            Assert.Equal("Barbería Centro Sur", organization.Name);
            Assert.Equal("+525522223333", organization.PhoneNumber);
            Assert.Equal("America/Cancun", organization.TimeZone);
            Assert.Equal("Av. Juárez 10, Centro", (await db.Locations.SingleAsync()).Address);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "organization.updated" && e.Actor == $"staff:{h.OwnerId}"));
        }

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, page);
    }

    [Fact]
    public async Task Hours_SavesTwoRangesAndAClosedDay_AndExplainsAClosingBeforeOpening()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/hours";
        var fields = Week();
        fields[("Form.Days[1].To1")] = "08:00"; // Tuesday closes before it opens

        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(page, "hours", fields.ToList()), "tue-error", "La hora de cierre debe ser después de la de apertura.");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Assert.Single((await db.Locations.AsNoTracking().SingleAsync()).BusinessHours.Tue);
        }

        var good = Week();
        good["Form.Days[0].From2"] = "16:00";
        good["Form.Days[0].To2"] = "20:00";
        good["Form.Days[0].To1"] = "14:00";
        good.Remove("Form.Days[2].Open"); // Wednesday closed
        AssertRedirect(await h.Owner.PostFormAsync(page, "hours", good.ToList()), "/app/settings/hours?saved=1");
        (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var hours = (await db.Locations.AsNoTracking().SingleAsync()).BusinessHours;
            Assert.Equal(["09:00-14:00", "16:00-20:00"], hours.Mon.Select(i => $"{i.Open}-{i.Close}"));
            Assert.Empty(hours.Wed);
            Assert.Single(hours.Sun);
        }

        using var employee = await h.EmployeeAsync("manage_staff");
        await AssertPoliteNoteAsync(employee, page);
    }

    [Fact]
    public async Task Assistant_SavesSwitchToneGuidanceQuietHoursAndWinBack_AndExplainsWhatIsOutOfRange()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/assistant";
        (string, string)[] Fields(string reminder, string tone = "formal", string instructions = "Solo aceptamos efectivo.") =>
        [
            ("Form.Engine", "guided"), ("Form.Tone", tone), ("Form.Instructions", instructions), ("Form.AutoConfirm", "true"),
            ("Form.QuietStart", "21:00"), ("Form.QuietEnd", "09:00"), ("Form.ReminderHours", reminder), ("Form.WinBack", "auto"), ("Form.PageConfirm", "code"),
        ];

        Assert.Contains("name=\"Form.Enabled\" value=\"true\" checked", await (await h.Owner.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);
        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(page, "assistant", Fields("0")), "reminder-error", "Escribe cuántas horas antes, de 1 a 168.");
        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(page, "assistant", Fields("3", tone: "sarcastic")), "tone-error", "Elige una opción de la lista.");
        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(page, "assistant", Fields("3", instructions: new string('x', 1001))),
            "instructions-error", "Escribe como máximo 1000 caracteres.");
        // The switch is a checkbox: left unticked, the assistant is off.
        AssertRedirect(await h.Owner.PostFormAsync(page, "assistant", Fields("3")), "/app/settings/assistant?saved=1");

        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var settings = (await db.Organizations.SingleAsync()).Settings;
            Assert.Equal(("guided", "21:00", "09:00", 3, true), (settings.AssistantEngine, settings.QuietHoursStart, settings.QuietHoursEnd, settings.ReminderHoursBefore, settings.WinBackAutomatic));
            Assert.Equal((false, "formal", "Solo aceptamos efectivo."), (settings.AssistantEnabled, settings.AssistantTone, settings.AssistantInstructions));
            // Page bookings: one of confirm as usual, by reply, by code.
            Assert.Equal((false, true), (settings.ConfirmPageBookingsByReply, settings.ConfirmPageBookingsByCode));
        }

        var saved = await (await h.Owner.GetAsync($"{page}?saved=1")).HtmlAsync();
        Assert.Contains("name=\"Form.Enabled\" value=\"true\" />", saved, StringComparison.Ordinal);
        Assert.Contains("<option value=\"formal\" selected", saved, StringComparison.Ordinal);
        Assert.Contains(">Solo aceptamos efectivo.</textarea>", saved, StringComparison.Ordinal);
        Assert.Contains("name=\"Form.PageConfirm\" value=\"code\" checked", saved, StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, page);
    }

    private static Dictionary<string, string> Week()
    {
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < 7; i++)
        {
            fields[$"Form.Days[{i}].Open"] = "true";
            fields[$"Form.Days[{i}].From1"] = "09:00";
            fields[$"Form.Days[{i}].To1"] = "19:00";
        }

        return fields;
    }
}
