using System.Net;
using System.Text.RegularExpressions;
using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>
/// A Mexico City barbershop made through the API, with one barber, two services and an address, on
/// Monday 23 November 2026 at 10:00 local time; and a browser-like client that keeps cookies and posts forms.
/// </summary>
internal sealed partial class BookingPageShop : IAsyncDisposable
{
    // Monday 23 November 2026, 10:00 in Mexico City (UTC−6).
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);
    public const string Address = "Calle Madero 10, Centro, CDMX";

    private BookingPageShop(KaribuApp app, Tenant tenant, HttpClient api, HttpClient browser, Guid haircut, Guid barber, string slug)
    {
        App = app;
        Tenant = tenant;
        Api = api;
        Browser = browser;
        HaircutId = haircut;
        BarberId = barber;
        Slug = slug;
    }

    public KaribuApp App { get; }
    public Tenant Tenant { get; }
    public HttpClient Api { get; }

    /// <summary>No API key, cookies kept, redirects not followed.</summary>
    public HttpClient Browser { get; }

    public Guid HaircutId { get; }
    public Guid BarberId { get; }
    public string Slug { get; }
    public string Page => $"/b/{Slug}";

    public static async Task<BookingPageShop> StartAsync(IDictionary<string, string?>? settings = null) =>
        await ArrangeAsync(await KaribuApp.StartAsync(settings: settings));

    public static async Task<BookingPageShop> ArrangeAsync(KaribuApp app)
    {
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var api = app.Client(tenant.ApiKey);
        if (app.Address is { } address)
        {
            api.BaseAddress = address;
        }

        var haircut = await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Arreglo de barba", description = "Con toalla caliente.", duration_minutes = 20, price_cents = 9000 })).AssertStatusAsync(201);
        var barber = await (await api.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis Pérez", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            (await db.Locations.SingleAsync(l => l.IsPrimary)).Address = Address;
            await db.SaveChangesAsync();
        }

        var browser = app.Address is { } listening
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = listening }
            : app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return new BookingPageShop(app, tenant, api, browser, haircut.Id(), barber.Id(), tenant.Body.Str("slug"));
    }

    /// <summary>Gives the business an SMS account, so booking changes send messages.</summary>
    public async Task ConnectSmsAsync()
    {
        var (db, scope) = App.Db(Tenant.Id);
        using (scope)
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Africastalking, ExternalId = "KARIBU" });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>The page's HTML with character references decoded (the renderer writes "í" as "&amp;#xED;"), so tests read text as shown.</summary>
    public async Task<string> GetHtmlAsync(string url, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await Browser.GetAsync(url);
        var html = await ReadHtmlAsync(response);
        Assert.True(response.StatusCode == status, $"Expected {status} for {url}, got {response.StatusCode}: {html}");
        return html;
    }

    public static async Task<string> ReadHtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public string TimesUrl(string day) => $"{Page}?service={HaircutId}&day={day}";

    /// <summary>The start values (yyyy-MM-ddTHH:mm) the page offers as radio buttons.</summary>
    public static List<string> OfferedStarts(string html) => StartRadio().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Posts the booking form of the page at <paramref name="url"/> as a browser would, with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostBookingAsync(string url, string? start, string name, string phone)
    {
        var html = await GetHtmlAsync(url);
        var token = Token().Match(html);
        Assert.True(token.Success, "The form carries an antiforgery token.");
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "book",
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["Form.Name"] = name,
            ["Form.Phone"] = phone,
        };
        if (start is not null)
        {
            fields["Form.Start"] = start;
        }

        return await Browser.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex(""""name="Form.Start" value="([^"]+)"""")]
    private static partial Regex StartRadio();

    [GeneratedRegex(""""name="__RequestVerificationToken" value="([^"]+)"""")]
    private static partial Regex Token();

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        Api.Dispose();
        await App.DisposeAsync();
    }
}
