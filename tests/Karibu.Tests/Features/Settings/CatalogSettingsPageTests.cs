using System.Net;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Karibu.Tests.Features.Settings.SettingsHarness;

namespace Karibu.Tests.Features.Settings;

/// <summary>/app/settings/services, /staff, /faq and /templates.</summary>
public sealed class CatalogSettingsPageTests
{
    [Fact]
    public async Task Services_AddOnceEvenIfPostedTwice_EditDeactivate_AndExplainABadPrice()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/services/new";
        var html = await (await h.Owner.GetAsync(page)).HtmlAsync();
        var once = System.Text.RegularExpressions.Regex.Match(html, "name=\"Form.Once\" value=\"([0-9a-f]+)\"").Groups[1].Value;

        var bad = await h.Owner.PostFormAsync(page, "service", ("Form.Once", once), ("Form.Name", "Barba"), ("Form.Price", "mucho"), ("Form.Duration", "30"), ("Form.Active", "true"));
        await AssertFieldErrorAsync(bad, "price-error", "Escribe el precio con números, por ejemplo 150 o 150.50.");

        (string, string)[] good = [("Form.Once", once), ("Form.Name", "Barba"), ("Form.Price", "150.50"), ("Form.Duration", "25"), ("Form.Active", "true")];
        AssertRedirect(await h.Owner.PostFormAsync(page, "service", good), "/app/settings/services?saved=1");
        AssertRedirect(await h.Owner.PostFormAsync(page, "service", good), "/app/settings/services?saved=1");

        Guid id;
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var service = await db.Services.SingleAsync();
            Assert.Equal(("Barba", 15050L, 25, "MXN", true), (service.Name, service.PriceCents, service.DurationMinutes, service.Currency, service.IsActive));
            id = service.Id;
        }

        var list = await (await h.Owner.GetAsync("/app/settings/services")).HtmlAsync();
        Assert.Contains("Barba", list, StringComparison.Ordinal);
        Assert.Contains("25 min", list, StringComparison.Ordinal);

        AssertRedirect(await h.Owner.PostFormAsync($"/app/settings/services/{id}", "service", ("Form.Name", "Barba completa"), ("Form.Price", "$180"), ("Form.Duration", "30"), ("Form.Active", "true")),
            "/app/settings/services?saved=1");
        AssertRedirect(await h.Owner.PostFormAsync($"/app/settings/services/{id}", "deactivate-service"), "/app/settings/services?saved=1");
        (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var service = await db.Services.SingleAsync();
            Assert.Equal(("Barba completa", 18000L, false), (service.Name, service.PriceCents, service.IsActive));
        }
    }

    [Fact]
    public async Task Services_OfAnotherBusiness_AreAFriendlyNotFound_AndEmployeesNeedThePermission()
    {
        await using var h = await StartAsync();
        var other = await h.OtherBusinessAsync();
        var created = await (await other.Api.PostJsonAsync($"{other.Tenant.Path}/services", new { name = "Kusuka", duration_minutes = 60, price_cents = 50000 })).AssertStatusAsync(201);

        var response = await h.Owner.GetAsync($"/app/settings/services/{created.Id()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.Contains("No encontramos eso en tu negocio.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Kusuka", html, StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_staff");
        await AssertPoliteNoteAsync(employee, "/app/settings/services");
        await AssertPoliteNoteAsync(employee, "/app/settings/services/new");
    }

    [Fact]
    public async Task Staff_AddWithPermissionsAndServices_RefusesABadPhone_AndNeverDeactivatesTheLastOwner()
    {
        await using var h = await StartAsync();
        using var api = h.App.Client(h.Tenant.ApiKey);
        var corte = (await (await api.PostJsonAsync($"{h.Tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201)).Id();
        const string page = "/app/settings/staff/new";
        var html = await (await h.Owner.GetAsync(page)).HtmlAsync();
        var once = System.Text.RegularExpressions.Regex.Match(html, "name=\"Form.Once\" value=\"([0-9a-f]+)\"").Groups[1].Value;

        var bad = await h.Owner.PostFormAsync(page, "staff", ("Form.Once", once), ("Form.Name", "Luis"), ("Form.Phone", "12"), ("Form.Role", "employee"));
        await AssertFieldErrorAsync(bad, "phone-error", "Revisa el número: no parece un teléfono válido.");

        var good = await h.Owner.PostFormAsync(page, "staff", new KeyValuePair<string, string>[]
        {
            new("Form.Once", once), new("Form.Name", "Luis"), new("Form.Phone", "55 3333 4444"), new("Form.Role", "employee"),
            new("Form.Permission", "manage_appointments"), new("Form.Permission", "view_all_schedules"), new("Form.Service", corte.ToString()),
        });
        AssertRedirect(good, "/app/settings/staff?saved=1");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var luis = await db.Staff.SingleAsync(s => s.Name == "Luis");
            Assert.Equal(("+525533334444", StaffRole.Employee), (luis.PhoneNumber, luis.Role));
            Assert.Equal(["manage_appointments", "view_all_schedules"], luis.Permissions.Order());
            Assert.Equal([corte], luis.ServiceIds!);
        }

        var last = await h.Owner.PostFormAsync($"/app/settings/staff/{h.OwnerId}", "deactivate-staff");
        await AssertFieldErrorAsync(last, "deactivate-error", "Es el único dueño del negocio: no se puede desactivar. Primero haz dueño a alguien más.");
        (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Assert.True((await db.Staff.SingleAsync(s => s.Id == h.OwnerId)).IsActive);
        }
    }

    [Fact]
    public async Task Staff_OfAnotherBusiness_AreAFriendlyNotFound_AndEmployeesWithoutManageStaffGetANote()
    {
        await using var h = await StartAsync();
        var other = await h.OtherBusinessAsync();
        var theirs = await (await other.Api.PostJsonAsync($"{other.Tenant.Path}/staff", new { name = "Njeri", phone_number = "0712 000 111" })).AssertStatusAsync(201);

        var response = await h.Owner.GetAsync($"/app/settings/staff/{theirs.Id()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No encontramos eso en tu negocio.", await response.HtmlAsync(), StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, "/app/settings/staff");
    }

    [Fact]
    public async Task Faq_AddEditDelete_ExplainsAMissingAnswer_AndHidesOtherBusinessesEntries()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/faq/new";
        var html = await (await h.Owner.GetAsync(page)).HtmlAsync();
        var once = System.Text.RegularExpressions.Regex.Match(html, "name=\"Form.Once\" value=\"([0-9a-f]+)\"").Groups[1].Value;

        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(page, "faq", ("Form.Once", once), ("Form.Question", "¿Tienen estacionamiento?"), ("Form.Answer", "")),
            "answer-error", "Escribe la respuesta.");
        AssertRedirect(await h.Owner.PostFormAsync(page, "faq", ("Form.Once", once), ("Form.Question", "¿Tienen estacionamiento?"), ("Form.Answer", "Sí, enfrente."), ("Form.Active", "true")),
            "/app/settings/faq?saved=1");
        Guid id;
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            id = (await db.FaqEntries.SingleAsync()).Id;
        }

        Assert.Contains("Sí, enfrente.", await (await h.Owner.GetAsync("/app/settings/faq")).HtmlAsync(), StringComparison.Ordinal);
        AssertRedirect(await h.Owner.PostFormAsync($"/app/settings/faq/{id}", "delete-faq"), "/app/settings/faq?saved=1");
        (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Assert.False(await db.FaqEntries.AnyAsync());
        }

        var other = await h.OtherBusinessAsync();
        var theirs = await (await other.Api.PostJsonAsync($"{other.Tenant.Path}/faq", new { question = "Mna maegesho?", answer = "Ndiyo." })).AssertStatusAsync(201);
        Assert.Contains("No encontramos eso en tu negocio.", await (await h.Owner.GetAsync($"/app/settings/faq/{theirs.Id()}")).HtmlAsync(), StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, "/app/settings/faq");
    }

    [Fact]
    public async Task Templates_PreviewWithSampleData_SaveRefusesUnknownPlaceholders_AndResetGoesBack()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/templates";

        var list = await (await h.Owner.GetAsync(page)).HtmlAsync();
        // The reminder's default wording, filled with sample data in the business's language (Spanish).
        Assert.Contains("Hola Ana 👋 Te recordamos tu cita de Corte de cabello el ", list, StringComparison.Ordinal);
        Assert.Contains("con Ramón Díaz en Barbería Centro.", list, StringComparison.Ordinal);
        Assert.DoesNotContain("{customer_name}", list, StringComparison.Ordinal);

        const string edit = page + "?edit=reminder";
        await AssertFieldErrorAsync(await h.Owner.PostFormAsync(edit, "template", ("Form.Body", "Hola {custmer_name}")),
            "body-error", "No conocemos {custmer_name}. Usa sólo los de la lista.");
        AssertRedirect(await h.Owner.PostFormAsync(edit, "template", ("Form.Body", "¡{customer_name}, te esperamos a las {time}!")), page + "?saved=1");
        var preview = await (await h.Owner.GetAsync(edit)).HtmlAsync();
        Assert.Contains("¡Ana, te esperamos a las 10:30 a.m.!", preview, StringComparison.Ordinal);

        AssertRedirect(await h.Owner.PostFormAsync(edit, "reset-template"), page + "?saved=1");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Assert.False(await db.MessageTemplates.AnyAsync());
        }

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, page);
    }
}
