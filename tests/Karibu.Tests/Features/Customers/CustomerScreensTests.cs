using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Customers;

/// <summary>
/// The owner app's customer screens over HTTP: the list and search, a customer's profile and its form, "who to contact
/// today" with its personal message, and importing contacts (preview, confirm, contact picker). A Mexico City
/// barbershop; today is Saturday 2026-11-21, 09:00 local.
/// </summary>
public sealed partial class CustomerScreensTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Confirm.Payload\" value=\"([^\"]+)\"")]
    private static partial Regex Payload();

    [GeneratedRegex("name=\"Confirm.Once\" value=\"([^\"]+)\"")]
    private static partial Regex ConfirmOnce();

    [GeneratedRegex("name=\"Send.Once\" value=\"([^\"]+)\"")]
    private static partial Regex SendOnce();

    private sealed record Shop(KaribuApp App, Tenant Tenant, HttpClient Api, HttpClient Owner) : IAsyncDisposable
    {
        public async Task<Guid> CustomerAsync(string name, string phone, string[]? tags = null) =>
            (await (await Api.PostJsonAsync($"{Tenant.Path}/customers", new { phone_number = phone, name, tags })).AssertStatusAsync(201)).Id();

        public async Task CheckInAsync(Guid customer, string day, long amount = 0) =>
            await (await Api.PostJsonAsync($"{Tenant.Path}/customers/{customer}/check-ins", new { at = $"{day}T10:00", amount_cents = amount })).AssertStatusAsync(201);

        public async Task<HttpClient> StaffAsync(string email, params string[] permissions)
        {
            await App.AddPersonAsync(Tenant, email, name: "Luis Pérez", phone: $"55 9000 {Random.Shared.Next(1000, 9999)}", role: "employee", permissions: permissions);
            return await App.SignedInAsync(email);
        }

        public async ValueTask DisposeAsync()
        {
            Owner.Dispose();
            Api.Dispose();
            await App.DisposeAsync();
        }
    }

    private static async Task<Shop> OpenAsync()
    {
        var app = await KaribuApp.StartAsync(environment: "Development");
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        return new Shop(app, tenant, app.Client(tenant.ApiKey), await app.SignedInAsync("ramon@example.com"));
    }

    private static void Has(string html, string text) => Assert.True(html.Contains(text, StringComparison.Ordinal), $"Not found: {text}\n{html}");

    private static async Task<string> HtmlAsync(HttpClient browser, string url, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await browser.GetAsync(url);
        var html = await response.HtmlAsync();
        Assert.True(response.StatusCode == status, $"Expected {status} for {url}, got {response.StatusCode}: {html}");
        return html;
    }

    /// <summary>Posts the import page's upload form as multipart, like the browser (and the contact picker script) does.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient browser, byte[]? file, string? text = null, string fileName = "clientes.csv")
    {
        var html = await (await browser.GetAsync("/app/customers/import")).Content.ReadAsStringAsync();
        var content = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent(text ?? ""), "Upload.Text" },
        };
        // No file chosen (as when the contact picker posts): the browser still sends the part, with an empty file name.
        var part = new ByteArrayContent(file ?? []);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        part.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data")
        {
            Name = "\"Upload.File\"", FileName = file is null ? "\"\"" : $"\"{fileName}\"",
        };
        content.Add(part);
        return await browser.PostAsync("/app/customers/import", content);
    }

    private static async Task<HttpResponseMessage> ConfirmAsync(HttpClient browser, string previewHtml, string? payload = null)
    {
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "confirm",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(previewHtml).Groups[1].Value),
            ["Confirm.Payload"] = payload ?? WebUtility.HtmlDecode(Payload().Match(previewHtml).Groups[1].Value),
            ["Confirm.Once"] = ConfirmOnce().Match(previewHtml).Groups[1].Value,
        };
        return await browser.PostAsync("/app/customers/import", new FormUrlEncodedContent(form));
    }

    /// <summary>Posts a form the page may no longer show (a double tap, a crafted post), with a token from the sign-out page.</summary>
    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient browser, string page, string formName, params (string Name, string Value)[] fields)
    {
        var html = await (await browser.GetAsync("/app/sign-out")).Content.ReadAsStringAsync();
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Concat(
        [
            new("_handler", formName), new("__RequestVerificationToken", WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value)),
        ]);
        return await browser.PostAsync(page, new FormUrlEncodedContent(form));
    }

    private static async Task<List<Customer>> CustomersAsync(Shop shop)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            return await db.Customers.AsNoTracking().OrderBy(c => c.PhoneNumber).ToListAsync();
        }
    }

    [Fact]
    public async Task TheList_ShowsRecentVisitsFirst_AndSearchesByNameOrPhoneFragment()
    {
        await using var shop = await OpenAsync();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678", ["vip"]);
        var beto = await shop.CustomerAsync("Beto Ruiz", "33 1000 0002");
        var angeles = await shop.CustomerAsync("ÁNGELES Peña", "81 2000 0003");
        await shop.CheckInAsync(ana, "2026-11-01");
        await shop.CheckInAsync(beto, "2026-11-15");
        await shop.CheckInAsync(angeles, "2026-10-01");

        var all = await HtmlAsync(shop.Owner, "/app/customers");
        Assert.True(all.IndexOf("Beto Ruiz", StringComparison.Ordinal) < all.IndexOf("Ana López", StringComparison.Ordinal));
        Assert.True(all.IndexOf("Ana López", StringComparison.Ordinal) < all.IndexOf("ÁNGELES Peña", StringComparison.Ordinal));
        Assert.Contains("Última visita: 15 nov", all, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge\">vip</span>", all, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/customers/{ana}\"", all, StringComparison.Ordinal);

        var byName = await HtmlAsync(shop.Owner, "/app/customers?q=%C3%A1ngeles");
        Assert.Contains("ÁNGELES Peña", byName, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana López", byName, StringComparison.Ordinal);

        var byPhone = await HtmlAsync(shop.Owner, "/app/customers?q=1000-0002");
        Assert.Contains("Beto Ruiz", byPhone, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana López", byPhone, StringComparison.Ordinal);

        Assert.Contains("Nadie coincide con «zzz».", await HtmlAsync(shop.Owner, "/app/customers?q=zzz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewing_NeedsTheOwnerOrACustomerPermission_OthersGetAPoliteNote()
    {
        await using var shop = await OpenAsync();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678");
        await (await shop.Api.PatchJsonAsync($"{shop.Tenant.Path}/customers/{ana}", new { notes = "Corte corto" })).AssertStatusAsync(200);
        using var barber = await shop.StaffAsync("luis@example.com", "view_all_schedules");
        using var messenger = await shop.StaffAsync("caro@example.com", "message_customers");

        foreach (var url in new[] { "/app/customers", $"/app/customers/{ana}", "/app/customers/contact", "/app/customers/import" })
        {
            var html = await HtmlAsync(barber, url);
            Has(html, "Para ver a los clientes necesitas el permiso");
            Assert.DoesNotContain("Ana López", html, StringComparison.Ordinal);
        }

        // Messaging customers lets them see and write, not change or import.
        var profile = await HtmlAsync(messenger, $"/app/customers/{ana}");
        Has(profile, "Ana López");
        Has(profile, "<p class=\"customer-notes\">Corte corto</p>");
        Has(profile, $"href=\"/app/inbox/customer/{ana}\"");
        Assert.DoesNotContain("name=\"Form.Notes\"", profile, StringComparison.Ordinal);
        Assert.Contains("necesitas el permiso de gestionar clientes", await HtmlAsync(messenger, "/app/customers/import"), StringComparison.Ordinal);
        Assert.DoesNotContain("Importar contactos", await HtmlAsync(messenger, "/app/customers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProfile_ShowsVisitsSpendAppointmentsAndOptOuts_WithMessageAndBookLinks()
    {
        await using var shop = await OpenAsync();
        var path = shop.Tenant.Path;
        var corte = (await (await shop.Api.PostJsonAsync($"{path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678", ["vip"]);
        await shop.CheckInAsync(ana, "2026-10-01", 25000);
        await shop.CheckInAsync(ana, "2026-11-01", 125000);
        await (await shop.Api.PostJsonAsync($"{path}/appointments", new { service_id = corte, start = "2026-11-23T10:00", customer_id = ana, override_availability = true })).AssertStatusAsync(201);
        var cancelled = (await (await shop.Api.PostJsonAsync($"{path}/appointments", new { service_id = corte, start = "2026-11-24T10:00", customer_id = ana, override_availability = true })).AssertStatusAsync(201)).Id();
        await (await shop.Api.PostJsonAsync($"{path}/appointments/{cancelled}/cancel", new { reason = "viaje" })).AssertStatusAsync(200);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var customer = await db.Customers.SingleAsync();
            customer.OptedOutAt = new DateTime(2026, 11, 10, 18, 0, 0, DateTimeKind.Utc);
            customer.OptedOutChannels = ["whatsapp"];
            customer.MarketingOptedOutAt = new DateTime(2026, 11, 10, 18, 0, 0, DateTimeKind.Utc);
            await db.SaveChangesAsync();
        }

        var html = await HtmlAsync(shop.Owner, $"/app/customers/{ana}");

        Has(html, "<h1>Ana López</h1>");
        Has(html, "<strong>2</strong><span class=\"muted\">visitas</span>");
        Has(html, "<strong>$1,500</strong>");
        Assert.Contains("Pasado mañana", html.Replace("Lunes 23 de noviembre", "Pasado mañana", StringComparison.Ordinal), StringComparison.Ordinal);
        Has(html, "Confirmada");
        Has(html, "Cancelada");
        Has(html, "Sin promociones");
        Has(html, "Pidió no recibir mensajes (WhatsApp) el 10 nov.");
        Has(html, "que responda ALTA");
        Has(html, $"href=\"/app/inbox/customer/{ana}\"");
        Has(html, $"href=\"/app/book?customer={ana}\"");
        Assert.Contains("checked", html[html.IndexOf("Form.NoPromotions", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingNotesAndTags_SavesWithThePatchRules_AndShowsMistakesNextToTheField()
    {
        await using var shop = await OpenAsync();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678");
        var page = $"/app/customers/{ana}";

        var tooLong = await shop.Owner.PostFormAsync(page, "customer",
            ("Form.Name", "Ana López"), ("Form.Notes", "Corte corto"), ("Form.Tags", $"vip, {new string('x', 51)}"), ("Form.Email", "ana@"));
        var html = await tooLong.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Has(html, "id=\"tags-error\">Hasta 20 etiquetas, de 50 letras como máximo cada una.");
        Has(html, "id=\"email-error\">Revisa el correo");
        Has(html, "aria-invalid=\"true\"");
        Has(html, ">Corte corto</textarea>");
        Assert.Null((await CustomersAsync(shop)).Single().Notes);

        var saved = await shop.Owner.PostFormAsync(page, "customer",
            ("Form.Name", "Ana López"), ("Form.Notes", "Corte corto"), ("Form.Tags", "vip, VIP, barba"), ("Form.Email", ""), ("Form.NoPromotions", "true"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{page}?saved=true", saved.Headers.Location!.PathAndQuery);
        var customer = (await CustomersAsync(shop)).Single();
        Assert.Equal(("Corte corto", "vip,barba"), (customer.Notes, string.Join(',', customer.Tags)));
        Assert.NotNull(customer.MarketingOptedOutAt);
        Assert.Contains("Cambios guardados.", await HtmlAsync(shop.Owner, $"{page}?saved=true"), StringComparison.Ordinal);

        // Someone who may only message customers cannot change them, even by posting the form.
        using var messenger = await shop.StaffAsync("caro@example.com", "message_customers");
        var html2 = await (await PostWithTokenAsync(messenger, page, "customer", ("Form.Notes", "x"))).HtmlAsync();
        Has(html2, "necesitas el permiso de gestionar clientes");
        Assert.Equal("Corte corto", (await CustomersAsync(shop)).Single().Notes);
        Assert.DoesNotContain("Cambios guardados", html2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherBusinesssCustomer_LeadsBackToTheListWithAFriendlyNote()
    {
        await using var shop = await OpenAsync();
        var other = await shop.App.CreateAsync(Tenants.NairobiSalon());
        using var otherApi = shop.App.Client(other.ApiKey);
        var theirs = (await (await otherApi.PostJsonAsync($"{other.Path}/customers", new { phone_number = "0712 345 678", name = "Njeri" })).AssertStatusAsync(201)).Id();

        var response = await shop.Owner.GetAsync($"/app/customers/{theirs}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/customers?missing=true", response.Headers.Location!.PathAndQuery);

        var html = await HtmlAsync(shop.Owner, "/app/customers?missing=true");
        Has(html, "No encontramos a ese cliente.");
        Assert.DoesNotContain("Njeri", html, StringComparison.Ordinal);

        // Their customer's form cannot be posted from here either.
        var post = await PostWithTokenAsync(shop.Owner, $"/app/customers/{theirs}", "customer", ("Form.Notes", "x"));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task WhoToContact_OffersAPersonalMessage_SentOnceAsAWinBack_AndMarksThemContacted()
    {
        await using var shop = await OpenAsync();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678");
        await shop.CheckInAsync(ana, "2026-10-01");
        var eva = await shop.CustomerAsync("Eva Mora", "55 1234 0005");
        await shop.CheckInAsync(eva, "2026-10-01");
        await (await shop.Api.PatchJsonAsync($"{shop.Tenant.Path}/customers/{eva}", new { marketing_opted_out = true })).AssertStatusAsync(200);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Africastalking, ExternalId = "KARIBU" });
            await db.SaveChangesAsync();
        }

        const string page = "/app/customers/contact";
        var html = await HtmlAsync(shop.Owner, page);
        Has(html, "Ana López");
        Assert.DoesNotContain("Eva Mora", html, StringComparison.Ordinal);
        Has(html, "¡Hola Ana! Hace 51 días de tu último visita en Barbería Centro.");
        Assert.Contains("Última visita hace 51 días; suele volver cada 30.", html, StringComparison.Ordinal);
        var once = SendOnce().Match(html).Groups[1].Value;
        var form = $"send-{ana:N}";

        var empty = await shop.Owner.PostFormAsync(page, form, ("Send.Text", "  "), ("Send.Once", once));
        Assert.Contains($"id=\"text-{ana:N}-error\">Escribe el mensaje.", await empty.HtmlAsync(), StringComparison.Ordinal);

        var sent = await shop.Owner.PostFormAsync(page, form, ("Send.Text", "¡Hola Ana! Hace un mes de tu último corte. ¿Te guardo lugar el martes?"), ("Send.Once", once));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"{page}?sent={ana}", sent.Headers.Location!.PathAndQuery);
        var again = await PostWithTokenAsync(shop.Owner, page, form, ("Send.Text", "otra vez"), ("Send.Once", once));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);

        (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Purpose == MessagePurpose.WinBack);
            Assert.Equal("¡Hola Ana! Hace un mes de tu último corte. ¿Te guardo lugar el martes?", message.Body);
            Assert.Equal((MessageChannel.Sms, SenderType.Staff), (message.Channel, message.SenderType));
            Assert.Equal(ana, (await db.Conversations.SingleAsync(c => c.Id == message.ConversationId)).CustomerId);
        }

        var after = await HtmlAsync(shop.Owner, $"{page}?sent={ana}");
        Has(after, "Listo: mensaje enviado a Ana López.");
        Has(after, "Contactado el 21 nov");
        Assert.DoesNotContain($"send-{ana:N}", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoToContact_InQuietHours_HoldsTheMessageUntilTheyEnd_AndWithoutAChannelSaysSo()
    {
        await using var shop = await OpenAsync();
        var ana = await shop.CustomerAsync("Ana López", "55 1234 5678");
        await shop.CheckInAsync(ana, "2026-10-01");
        const string page = "/app/customers/contact";
        Assert.Contains("Conecta WhatsApp o SMS en Ajustes", await HtmlAsync(shop.Owner, page), StringComparison.Ordinal);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Africastalking, ExternalId = "KARIBU" });
            await db.SaveChangesAsync();
        }

        shop.App.Time.Set(new DateTimeOffset(2026, 11, 21, 22, 30, 0, TimeSpan.FromHours(-6)));
        var html = await HtmlAsync(shop.Owner, page);
        Has(html, "Es horario de descanso: lo que envíes ahora sale a las 8:00 a.m.");
        var sent = await shop.Owner.PostFormAsync(page, $"send-{ana:N}", ("Send.Text", "¡Hola Ana!"), ("Send.Once", SendOnce().Match(html).Groups[1].Value));
        Assert.Equal($"{page}?sent={ana}&held=true", sent.Headers.Location!.PathAndQuery);

        (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Purpose == MessagePurpose.WinBack);
            Assert.Equal(new DateTime(2026, 11, 22, 14, 0, 0), message.NextAttemptAt);
        }
    }

    [Fact]
    public async Task Import_PreviewsAddsExistingAndSkippedRows_ThenConfirmAddsTheGoodOnesOnce()
    {
        await using var shop = await OpenAsync();
        await shop.CustomerAsync("Beto Ruiz", "33 1000 0002");
        var csv = "\uFEFFNombre;Teléfono;Notas;Etiquetas\n"
            + "Ana López;55 1234 5678;Le gusta temprano;vip\n"
            + "Beto R;+52 33 1000 0002;;\n"
            + "Sin Teléfono;;;\n"
            + "Mal Número;12345;;\n"
            + "Ana otra vez;044 55 1234 5678;;\n"
            + $"{new string('N', 201)};55 9999 0001;;\n"
            + "\"Carla \"\"La Güera\"\"\";55 1234 0003;;\"color, uñas\"\n";

        var preview = await UploadAsync(shop.Owner, Encoding.UTF8.GetBytes(csv));
        var html = await preview.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Has(html, "Leímos 7 contactos.");
        Has(html, "Se agregarán: 2");
        Has(html, "Ya son clientes: 1");
        Has(html, "Se omiten: 4");
        Has(html, "Fila 4</span> Sin Teléfono — <span class=\"reason\">sin teléfono");
        Has(html, "Fila 5</span> Mal Número — <span class=\"reason\">teléfono no válido: «12345»");
        Has(html, "Fila 6</span> Ana otra vez — <span class=\"reason\">repetido: el mismo teléfono que la fila 2");
        Has(html, "Fila 7</span> " + new string('N', 201) + " — <span class=\"reason\">nombre demasiado largo");
        Has(html, "Agregar 2 clientes");
        Assert.Single(await CustomersAsync(shop)); // nothing added by the preview

        var confirmed = await ConfirmAsync(shop.Owner, html);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/app/customers?imported=2", confirmed.Headers.Location!.PathAndQuery);
        var twice = await ConfirmAsync(shop.Owner, html);
        Assert.Equal(HttpStatusCode.Redirect, twice.StatusCode);
        Assert.Equal("/app/customers?imported=2", twice.Headers.Location!.PathAndQuery);

        var customers = await CustomersAsync(shop);
        Assert.Equal(["+523310000002", "+525512340003", "+525512345678"], customers.Select(c => c.PhoneNumber));
        var ana = customers.Single(c => c.PhoneNumber == "+525512345678");
        Assert.Equal(("Ana López", "Le gusta temprano", CustomerSource.Import), (ana.DisplayName, ana.Notes, ana.Source));
        Assert.Equal(["vip"], ana.Tags);
        Assert.Equal(["color", "uñas"], customers.Single(c => c.DisplayName == "Carla \"La Güera\"").Tags);
        Assert.Equal("Beto Ruiz", customers.Single(c => c.PhoneNumber == "+523310000002").DisplayName);
        var list = await HtmlAsync(shop.Owner, "/app/customers?imported=2");
        Has(list, "Se agregaron 2 clientes.");
        Has(list, "Carla \"La Güera\"");
    }

    [Fact]
    public async Task Import_ATamperedPreview_IsRefused_AndConfirmReValidatesAgainstTodaysCustomers()
    {
        await using var shop = await OpenAsync();
        var html = await (await UploadAsync(shop.Owner, Encoding.UTF8.GetBytes("name,phone\nAna,5512345678\nBeto,3310000002\n"))).HtmlAsync();

        var payload = WebUtility.HtmlDecode(Payload().Match(html).Groups[1].Value);
        var tampered = await (await ConfirmAsync(shop.Owner, html, payload[..^4] + "AAAA")).HtmlAsync();
        Has(tampered, "Esta vista previa ya venció o no es válida. Sube el archivo otra vez.");
        Assert.Empty(await CustomersAsync(shop));

        // Beto became a customer between the preview and the confirm: only Ana is added.
        await shop.CustomerAsync("Beto Ruiz", "33 1000 0002");
        var confirmed = await ConfirmAsync(shop.Owner, html);
        Assert.Equal("/app/customers?imported=1", confirmed.Headers.Location!.PathAndQuery);
        Assert.Equal(2, (await CustomersAsync(shop)).Count);

        // Another person's preview does not work for someone else.
        await shop.App.AddPersonAsync(shop.Tenant, "ana2@example.com", phone: "55 9000 0101");
        using var other = await shop.App.SignedInAsync("ana2@example.com");
        var html3 = await (await UploadAsync(other, Encoding.UTF8.GetBytes("name,phone\nZoe,5512349999\n"))).HtmlAsync();
        Assert.Contains("Esta vista previa ya venció", await (await ConfirmAsync(other, html3, payload)).HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_VCardFile_TooBigFile_AndNothingChosen_SayWhatToDo()
    {
        await using var shop = await OpenAsync();
        var vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:María de los Ángeles\r\n  Hernández\r\nTEL;TYPE=HOME:55 1111 2222\r\nTEL;TYPE=CELL:55 3333 4444\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nadie\r\nEND:VCARD\r\n";

        var html = await (await UploadAsync(shop.Owner, Encoding.UTF8.GetBytes(vcf), fileName: "contactos.vcf")).HtmlAsync();
        Has(html, "Contacto 1</span> María de los Ángeles Hernández <span class=\"muted\">+525533334444");
        Has(html, "Contacto 2</span> Nadie — <span class=\"reason\">sin teléfono");

        var big = await (await UploadAsync(shop.Owner, new byte[ContactImport.MaxBytes + 1])).HtmlAsync();
        Has(big, "id=\"file-error\">El archivo pesa más de 1 MB.");

        var none = await (await UploadAsync(shop.Owner, null)).HtmlAsync();
        Has(none, "id=\"file-error\">Elige un archivo o pega la lista.");
    }

    [Fact]
    public async Task Import_TheContactPickerPayload_GoesToTheSamePreview()
    {
        await using var shop = await OpenAsync();
        var page = await HtmlAsync(shop.Owner, "/app/customers/import");
        Assert.Contains("id=\"pick-contacts\" hidden", page, StringComparison.Ordinal);
        Assert.Contains("Elegir de mis contactos", page, StringComparison.Ordinal);

        // What app.js posts after navigator.contacts.select(['name','tel'], {multiple:true}): vCard 4 text, no file.
        const string picked = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana López\r\nTEL:+52 55 1234 5678\r\nTEL:55 1111 2222\r\nEND:VCARD\r\n"
            + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Beto\\, el del taller\r\nTEL:(33) 1000-0002\r\nEND:VCARD\r\n";
        var html = await (await UploadAsync(shop.Owner, null, picked)).HtmlAsync();
        Has(html, "Se agregarán: 2");
        Has(html, "Beto, el del taller");

        Assert.Equal(HttpStatusCode.Redirect, (await ConfirmAsync(shop.Owner, html)).StatusCode);
        Assert.Equal(["+523310000002", "+525512345678"], (await CustomersAsync(shop)).Select(c => c.PhoneNumber));
    }
}
