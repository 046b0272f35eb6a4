using System.Net;
using System.Text.RegularExpressions;
using Karibu.Features.Organizations;
using Karibu.Tests.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Karibu.Tests.Features.Settings.SettingsHarness;

namespace Karibu.Tests.Features.Settings;

/// <summary>/app/settings/channels (WhatsApp by Embedded Signup or by hand, SMS, M-Pesa) and /app/settings/api-keys.</summary>
public sealed partial class ChannelsSettingsPageTests
{
    private const string Page = "/app/settings/channels";

    [GeneratedRegex("<code class=\"secret\" id=\"new-key\">(kb_live_[^<]+)</code>")]
    private static partial Regex NewKey();

    [Fact]
    public async Task EmbeddedSignup_TheButtonAppearsWhenConfigured_AndItsCodeGoesThroughTheConnectLogic()
    {
        await using var graph = await ConnectWhatsAppTests.FakeGraph.StartAsync();
        var settings = graph.Settings();
        settings["Karibu:WhatsApp:EmbeddedSignup:AppId"] = ConnectWhatsAppTests.AppId;
        settings["Karibu:WhatsApp:EmbeddedSignup:ConfigId"] = "987654321";
        await using var h = await StartAsync(settings);

        var html = await (await h.Owner.GetAsync(Page)).HtmlAsync();
        Assert.Contains("id=\"embedded-signup\"", html, StringComparison.Ordinal);
        Assert.Contains("data-config-id=\"987654321\"", html, StringComparison.Ordinal);

        var response = await h.Owner.PostFormAsync(Page, "embedded", ("Embedded.Code", ConnectWhatsAppTests.SignupCode),
            ("Embedded.PhoneNumberId", ConnectWhatsAppTests.PhoneNumberId), ("Embedded.WabaId", ConnectWhatsAppTests.WabaId));

        AssertRedirect(response, Page + "?saved=whatsapp");
        Assert.Equal(["GET /v23.0/oauth/access_token", $"POST /v23.0/{ConnectWhatsAppTests.WabaId}/subscribed_apps"], graph.Calls.ToArray());
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var account = await db.ChannelAccounts.SingleAsync();
            Assert.Equal((ChannelKind.Whatsapp, ConnectWhatsAppTests.PhoneNumberId, true), (account.Kind, account.ExternalId, account.IsActive));
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "whatsapp.connected" && e.Actor == $"staff:{h.OwnerId}"));
        }

        var connected = await (await h.Owner.GetAsync(Page + "?saved=whatsapp")).HtmlAsync();
        Assert.Contains("¡Listo! Tu WhatsApp quedó conectado.", connected, StringComparison.Ordinal);
        Assert.DoesNotContain(ConnectWhatsAppTests.ExchangedToken, connected, StringComparison.Ordinal);

        // A spent code: WhatsApp's refusal, in the person's words, and nothing new stored.
        var refused = await h.Owner.PostFormAsync(Page, "embedded", ("Embedded.Code", "spent"),
            ("Embedded.PhoneNumberId", "200000000000002"), ("Embedded.WabaId", ConnectWhatsAppTests.WabaId));
        Assert.Contains("WhatsApp no aceptó la conexión; tu número no se conectó.", await refused.HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutEmbeddedSignupConfigured_ThereIsNoFacebookScript_AndManualConnectExplainsABadId()
    {
        await using var h = await StartAsync();

        var html = await (await h.Owner.GetAsync(Page)).HtmlAsync();
        Assert.DoesNotContain("embedded-signup", html, StringComparison.Ordinal);

        var bad = await h.Owner.PostFormAsync(Page, "whatsapp", ("Manual.PhoneNumberId", "abc"), ("Manual.AccessToken", "EAAGtoken"));
        await AssertFieldErrorAsync(bad, "wa-id-error", "Escribe el ID numérico del número, como aparece en WhatsApp Manager.");

        AssertRedirect(await h.Owner.PostFormAsync(Page, "whatsapp", ("Manual.PhoneNumberId", "200000000000009"), ("Manual.AccessToken", "EAAGtoken"),
            ("Manual.DisplayPhoneNumber", "+52 55 1234 5678")), Page + "?saved=whatsapp");
        Assert.Contains("+52 55 1234 5678", await (await h.Owner.GetAsync(Page)).HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mpesa_ShowsTheForwardingUrlAndTokenOnce_SmsExplainsMissingCredentials_AndEmployeesGetANote()
    {
        await using var h = await StartAsync();

        var bad = await h.Owner.PostFormAsync(Page, "mpesa", ("Mpesa.ShortCode", "12"));
        await AssertFieldErrorAsync(bad, "mpesa-error", "Escribe tu Paybill o Till: de 5 a 8 dígitos, como 600984.");

        var connected = await (await h.Owner.PostFormAsync(Page, "mpesa", ("Mpesa.ShortCode", "600984"))).HtmlAsync();
        var token = Regex.Match(connected, "/api/v1/webhooks/mpesa/([0-9a-f]{48})/sms").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.Contains($"<code class=\"secret\">{token}</code>", connected, StringComparison.Ordinal);
        var later = await (await h.Owner.GetAsync(Page)).HtmlAsync();
        Assert.DoesNotContain(token, later, StringComparison.Ordinal);
        Assert.Contains("Número corto 600984", later, StringComparison.Ordinal);

        var sms = await h.Owner.PostFormAsync(Page, "sms", ("Sms.Provider", "africastalking"), ("Sms.Username", ""), ("Sms.ApiKey", "key"));
        await AssertFieldErrorAsync(sms, "sms-username-error", "Escribe tu usuario de Africa's Talking.");

        using var employee = await h.EmployeeAsync("manage_settings");
        await AssertPoliteNoteAsync(employee, Page);
    }

    [Fact]
    public async Task ApiKeys_CreateShowsTheSecretOnce_RevokeWorks_AndAnotherBusinessKeyIsNotFound()
    {
        await using var h = await StartAsync();
        const string page = "/app/settings/api-keys";
        var html = await (await h.Owner.GetAsync(page)).HtmlAsync();
        var once = Regex.Match(html, "name=\"Form.Once\" value=\"([0-9a-f]+)\"").Groups[1].Value;

        var created = await h.Owner.PostFormAsync(page, "create-key", ("Form.Once", once), ("Form.Name", "Mi web"));
        var secret = NewKey().Match(await created.HtmlAsync()).Groups[1].Value;
        Assert.StartsWith("kb_live_", secret, StringComparison.Ordinal);
        // The same post again (a refresh) creates nothing and shows no secret.
        AssertRedirect(await h.Owner.PostFormAsync(page, "create-key", ("Form.Once", once), ("Form.Name", "Mi web")), page);
        using (var client = h.App.Client(secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(h.Tenant.Path)).StatusCode);
        }

        Guid id;
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            id = (await db.ApiKeys.SingleAsync(k => k.Name == "Mi web")).Id;
        }

        var list = await (await h.Owner.GetAsync(page)).HtmlAsync();
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        AssertRedirect(await h.Owner.PostFormAsync(page, "revoke", ("Revoke.Id", id.ToString())), page + "?revoked=1");
        using (var client = h.App.Client(secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(h.Tenant.Path)).StatusCode);
        }

        var other = await h.OtherBusinessAsync();
        var theirs = (await (await other.Api.GetAsync($"{other.Tenant.Path}/api-keys")).AssertStatusAsync(200))["data"]![0]!.Id();
        var notFound = await h.Owner.PostFormAsync(page, "revoke", ("Revoke.Id", theirs.ToString()));
        Assert.Equal(HttpStatusCode.OK, notFound.StatusCode);
        Assert.Contains("No encontramos esa clave en tu negocio.", await notFound.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.Api.GetAsync(other.Tenant.Path)).StatusCode);

        using var employee = await h.EmployeeAsync("manage_settings");
        await AssertPoliteNoteAsync(employee, page);
    }
}
