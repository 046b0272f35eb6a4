using System.Net;
using System.Text.RegularExpressions;
using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>
/// Confirming a booking from the public page with a one-time code (<c>confirm_page_bookings_by_code</c>): the time is
/// held pending while a code goes to the phone; the right code confirms, wrong ones and the clock release the hold.
/// </summary>
public sealed partial class BookingCodeTests
{
    private const string Day = "2026-11-24";
    private const string Phone = "55 8765 4321";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheCodeIsSent_AndTheBookingHeld_ThenTheRightCodeConfirms_AndASecondSubmitIsHarmless(string provider)
    {
        await using var shop = await StartAsync(provider);
        var start = BookingPageShop.OfferedStarts(await shop.GetHtmlAsync(shop.TimesUrl(Day)))[0];

        var booked = await shop.PostBookingAsync(shop.TimesUrl(Day), start, "Ana López", Phone);

        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var codePage = booked.Headers.Location!.PathAndQuery;
        Assert.Matches(@"^/b/barberia-centro/code/[A-Za-z0-9_-]{32}$", codePage);
        Guid appointmentId;
        string code;
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            appointmentId = appointment.Id;
            Assert.Equal(AppointmentStatus.Pending, appointment.Status);
            // Only the code goes out: no confirmation, no notice to the team, until the code is typed.
            var message = await db.Messages.SingleAsync();
            Assert.Equal(MessagePurpose.System, message.Purpose);
            Assert.EndsWith("es tu código para confirmar tu cita de Corte de cabello el martes 24 de noviembre a las 9:00 a.m. en Barbería Centro. Vence en 15 minutos; no lo compartas con nadie.", message.Body, StringComparison.Ordinal);
            code = message.Body![..6];
            Assert.Matches("^[0-9]{6}$", code);
            var hold = await db.BookingCodes.SingleAsync();
            Assert.NotEqual(code, hold.CodeHash);
            Assert.DoesNotContain(codePage.Split('/')[^1], hold.HandleHash, StringComparison.Ordinal);
        }

        var html = await shop.GetHtmlAsync(codePage);
        Assert.Contains("<h1>Confirma con el código</h1>", html);
        Assert.Contains("al número que termina en 4321", html);
        Assert.Contains("autocomplete=\"one-time-code\"", html);
        Assert.DoesNotContain("Ana", html);
        Assert.DoesNotContain("<script", html);

        // While held, no reminder goes to a number nobody has proved is theirs.
        await shop.App.Services.GetRequiredService<NotificationWorker>().RunOnceAsync(CancellationToken.None);

        var form = await FormAsync(shop, codePage);
        var confirmed = await PostCodeAsync(shop, codePage, form, $"{code[..3]} {code[3..]}");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal($"/b/barberia-centro/confirmed/{appointmentId}", confirmed.Headers.Location!.PathAndQuery);
        Assert.Contains("¡Tu cita está confirmada!", await shop.GetHtmlAsync(confirmed.Headers.Location.PathAndQuery));

        // The same form posted again (a double tap, the back button) lands on the same confirmation and sends nothing more.
        var again = await PostCodeAsync(shop, codePage, form, code);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"/b/barberia-centro/confirmed/{appointmentId}", again.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, (await shop.Browser.GetAsync(codePage)).StatusCode);

        (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Confirmed, (await db.Appointments.SingleAsync()).Status);
            var confirmation = await db.Messages.SingleAsync(m => m.Purpose == MessagePurpose.Confirmation);
            Assert.StartsWith("¡Listo, Ana! Tu cita de Corte de cabello quedó confirmada", confirmation.Body, StringComparison.Ordinal);
            Assert.Equal(0, await db.Messages.CountAsync(m => m.Purpose == MessagePurpose.Reminder));
            Assert.NotNull((await db.BookingCodes.SingleAsync()).ConfirmedAt);
        }
    }

    [Fact]
    public async Task AWrongCode_IsAFieldErrorInThePagesLanguage_AndCountsDown()
    {
        await using var shop = await StartAsync("Sqlite");
        var codePage = await BookAsync(shop, "?lang=en");
        Assert.EndsWith("?lang=en", codePage, StringComparison.Ordinal);
        var code = await CodeAsync(shop);

        var wrong = await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), Other(code));
        var html = await BookingPageShop.ReadHtmlAsync(wrong);

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("<p class=\"field-error\" id=\"code-error\">That code isn't right. 4 tries left.</p>", html);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"code-error\"", html);

        // A few digits are not a guess: asked again, nothing counted.
        var shortCode = await BookingPageShop.ReadHtmlAsync(await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), "12"));
        Assert.Contains("Enter the 6 digits of the code.", shortCode);

        var spanish = codePage.Replace("?lang=en", "", StringComparison.Ordinal);
        var second = await BookingPageShop.ReadHtmlAsync(await PostCodeAsync(shop, spanish, await FormAsync(shop, spanish), Other(code)));
        Assert.Contains("Ese código no es correcto. Te quedan 3 intentos.", second);
        var swahili = spanish + "?lang=sw";
        var third = await BookingPageShop.ReadHtmlAsync(await PostCodeAsync(shop, swahili, await FormAsync(shop, swahili), Other(code)));
        Assert.Contains("Nambari hiyo si sahihi. Umebakiwa na majaribio 2.", third);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Pending, (await db.Appointments.SingleAsync()).Status);
            Assert.Equal(3, (await db.BookingCodes.SingleAsync()).FailedAttempts);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FiveWrongCodes_ReleaseTheHold_AndTheRightCodeNoLongerWorks(string provider)
    {
        await using var shop = await StartAsync(provider);
        var codePage = await BookAsync(shop);
        var code = await CodeAsync(shop);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), Other(code))).StatusCode);
        }

        var fifth = await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), Other(code));
        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        var html = await shop.GetHtmlAsync(fifth.Headers.Location!.PathAndQuery);

        Assert.Contains("Hubo demasiados intentos con un código equivocado, así que liberamos el horario.", html);
        Assert.Contains("href=\"/b/barberia-centro\"", html);
        Assert.DoesNotContain("id=\"code-input\"", html);
        await AssertReleasedAsync(shop);

        // The time is free again for anyone.
        Assert.Contains("2026-11-24T09:00", BookingPageShop.OfferedStarts(await shop.GetHtmlAsync(shop.TimesUrl(Day))));

        // The right code now, even from a form still open in another tab: the page says what happened, nothing is confirmed.
        var late = await shop.Browser.PostAsync(codePage, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "code", ["__RequestVerificationToken"] = await TokenAsync(shop, shop.TimesUrl(Day)), ["Form.Code"] = code,
        }));
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Contains("Hubo demasiados intentos", await shop.GetHtmlAsync(late.Headers.Location!.PathAndQuery));
        await AssertReleasedAsync(shop);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AHoldNotConfirmedIn15Minutes_IsReleasedByTheNotificationWorker(string provider)
    {
        await using var shop = await StartAsync(provider);
        var codePage = await BookAsync(shop);
        var worker = shop.App.Services.GetRequiredService<NotificationWorker>();

        shop.App.Time.Advance(TimeSpan.FromMinutes(14));
        await worker.RunOnceAsync(CancellationToken.None);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Pending, (await db.Appointments.SingleAsync()).Status);
        }

        shop.App.Time.Advance(TimeSpan.FromMinutes(1));
        await worker.RunOnceAsync(CancellationToken.None);

        await AssertReleasedAsync(shop);
        Assert.Contains("El tiempo para confirmar se terminó y liberamos el horario.", await shop.GetHtmlAsync(codePage));
    }

    [Fact]
    public async Task AnExpiredHold_IsAlsoReleasedWhenItsPageIsOpened()
    {
        await using var shop = await StartAsync("Sqlite");
        var codePage = await BookAsync(shop);
        var form = await FormAsync(shop, codePage);
        var code = await CodeAsync(shop);

        shop.App.Time.Advance(TimeSpan.FromMinutes(16));
        var late = await PostCodeAsync(shop, codePage, form, code);

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Contains("El tiempo para confirmar se terminó", await shop.GetHtmlAsync(late.Headers.Location!.PathAndQuery));
        await AssertReleasedAsync(shop);
    }

    [Fact]
    public async Task AMadeUpHandle_AnAppointmentId_OrAnotherBusinesssHandle_GetAFriendlyNotFoundPage()
    {
        await using var shop = await StartAsync("Sqlite");
        var codePage = await BookAsync(shop);
        Guid appointmentId;
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            appointmentId = (await db.Appointments.SingleAsync()).Id;
        }

        // Another business on the same platform, also confirming by code.
        var other = await shop.App.CreateAsync(Tenants.MexicoBarbershop());
        var otherSlug = other.Body.Str("slug");
        Assert.NotEqual(shop.Slug, otherSlug);
        var handle = codePage.Split('/')[^1];

        foreach (var url in new[]
                 {
                     $"{shop.Page}/code/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", $"{shop.Page}/code/{appointmentId}",
                     $"/b/{otherSlug}/code/{handle}", $"{shop.Page}/code/{handle}x",
                 })
        {
            var html = await shop.GetHtmlAsync(url, HttpStatusCode.NotFound);
            Assert.Contains("No encontramos esta reserva", html);
            Assert.Contains("<meta name=\"robots\" content=\"noindex\"", html);
        }

        // Posting a code to a made-up handle is the same page, never an error.
        var forged = await shop.Browser.PostAsync($"{shop.Page}/code/{appointmentId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "code", ["__RequestVerificationToken"] = await TokenAsync(shop, codePage), ["Form.Code"] = await CodeAsync(shop),
        }));
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Contains("No encontramos esta reserva", await shop.GetHtmlAsync(forged.Headers.Location!.PathAndQuery, HttpStatusCode.NotFound));
        (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(AppointmentStatus.Pending, (await db.Appointments.SingleAsync()).Status);
        }

        Assert.Contains("No encontramos esta reserva", await shop.GetHtmlAsync($"/b/no-existe/code/{handle}", HttpStatusCode.NotFound));
        Assert.Contains("No encontramos este negocio", await shop.GetHtmlAsync("/b/no-existe", HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task SendAgain_WaitsAMinute_AndTheNewCodeReplacesTheOld()
    {
        await using var shop = await StartAsync("Sqlite");
        var codePage = await BookAsync(shop);
        var first = await CodeAsync(shop);

        var tooSoon = await BookingPageShop.ReadHtmlAsync(await PostResendAsync(shop, codePage));
        Assert.Contains("Espera 60 segundos para pedir otro código.", tooSoon);

        shop.App.Time.Advance(TimeSpan.FromSeconds(61));
        var resent = await BookingPageShop.ReadHtmlAsync(await PostResendAsync(shop, codePage));
        Assert.Contains("Te enviamos un código nuevo; el anterior ya no sirve.", resent);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        string second;
        using (scope)
        {
            var codes = await db.Messages.Where(m => m.Purpose == MessagePurpose.System).OrderBy(m => m.Id).Select(m => m.Body).ToListAsync();
            Assert.Equal(2, codes.Count);
            second = codes[1]![..6];
        }

        if (first != second)
        {
            var old = await BookingPageShop.ReadHtmlAsync(await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), first));
            Assert.Contains("Ese código no es correcto.", old);
        }

        var ok = await PostCodeAsync(shop, codePage, await FormAsync(shop, codePage), second);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("/confirmed/", ok.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithBothSettingsOn_TheCodeWins_AndWithoutAChannelTheBookingIsConfirmedAsUsual()
    {
        await using var shop = await StartAsync("Sqlite");
        await (await shop.Api.PatchJsonAsync(shop.Tenant.Path, new { settings = new { confirm_page_bookings_by_reply = true } })).AssertStatusAsync(200);
        var settings = await (await shop.Api.GetAsync($"{shop.Tenant.Path}/settings")).AssertStatusAsync(200);
        Assert.True(settings["confirm_page_bookings_by_code"]!.GetValue<bool>());
        Assert.True(settings["confirm_page_bookings_by_reply"]!.GetValue<bool>());

        var codePage = await BookAsync(shop);
        Assert.Contains("/code/", codePage, StringComparison.Ordinal);
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Messages.CountAsync(m => m.Purpose == MessagePurpose.Confirmation));
        }

        // No WhatsApp or SMS (and not Development): no way to send a code, so the page books as it always did.
        await using var quiet = await BookingPageShop.StartAsync();
        await (await quiet.Api.PatchJsonAsync(quiet.Tenant.Path, new { settings = new { confirm_page_bookings_by_code = true } })).AssertStatusAsync(200);
        var booked = await quiet.PostBookingAsync(quiet.TimesUrl(Day), "2026-11-24T09:00", "Ana López", Phone);
        Assert.Contains("/confirmed/", booked.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var (db2, scope2) = quiet.App.Db(quiet.Tenant.Id);
        using (scope2)
        {
            Assert.Equal(AppointmentStatus.Confirmed, (await db2.Appointments.SingleAsync()).Status);
        }
    }

    private static async Task<BookingPageShop> StartAsync(string provider)
    {
        var shop = await BookingPageShop.ArrangeAsync(await KaribuApp.StartAsync(provider));
        await shop.ConnectSmsAsync();
        await (await shop.Api.PatchJsonAsync(shop.Tenant.Path, new { settings = new { confirm_page_bookings_by_code = true } })).AssertStatusAsync(200);
        return shop;
    }

    /// <summary>Books 9:00 tomorrow through the page and returns the code page it redirects to.</summary>
    private static async Task<string> BookAsync(BookingPageShop shop, string query = "")
    {
        var url = shop.TimesUrl(Day) + query.Replace('?', '&');
        var response = await shop.PostBookingAsync(url, "2026-11-24T09:00", "Ana López", Phone);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.PathAndQuery;
    }

    /// <summary>The latest code sent, read from the outbox.</summary>
    private static async Task<string> CodeAsync(BookingPageShop shop)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            return (await db.Messages.Where(m => m.Purpose == MessagePurpose.System).OrderByDescending(m => m.Id).FirstAsync()).Body![..6];
        }
    }

    private static string Other(string code) => code == "000000" ? "111111" : "000000";

    private static async Task<string> FormAsync(BookingPageShop shop, string url) => await TokenAsync(shop, url);

    private static async Task<string> TokenAsync(BookingPageShop shop, string url)
    {
        var token = Token().Match(await shop.GetHtmlAsync(url));
        Assert.True(token.Success, "The page carries an antiforgery token.");
        return token.Groups[1].Value;
    }

    private static Task<HttpResponseMessage> PostCodeAsync(BookingPageShop shop, string url, string token, string code) =>
        shop.Browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "code", ["__RequestVerificationToken"] = token, ["Form.Code"] = code,
        }));

    private static async Task<HttpResponseMessage> PostResendAsync(BookingPageShop shop, string url) =>
        await shop.Browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "resend", ["__RequestVerificationToken"] = await TokenAsync(shop, url), ["Resend.Go"] = "1",
        }));

    private static async Task AssertReleasedAsync(BookingPageShop shop)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync();
            Assert.Equal(AppointmentStatus.Cancelled, appointment.Status);
            Assert.NotNull((await db.BookingCodes.SingleAsync()).ReleasedAt);
            // Nobody was told of the hold, so nobody is told it ended.
            Assert.Equal(0, await db.Messages.CountAsync(m => m.Purpose == MessagePurpose.Confirmation || m.Purpose == MessagePurpose.Cancellation));
        }
    }

    [GeneratedRegex(""""name="__RequestVerificationToken" value="([^"]+)"""")]
    private static partial Regex Token();
}
