using System.Net;
using System.Text.RegularExpressions;
using Karibu.Features.Accounts;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Onboarding;

/// <summary>/signup: a new business and its owner in one go, signed in and sent to the welcome wizard.</summary>
public sealed partial class SignupPageTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);
    internal const string Password = "tijeras2026";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Form.Once\" value=\"([^\"]+)\"")]
    private static partial Regex Once();

    internal static (string, string)[] Fields(string email = "lucia@example.com", string business = "Barbería Lucía", string type = "barbershop",
        string country = "mx", string name = "Lucía Ramos", string phone = "55 1234 0001", string password = Password) =>
    [
        ("Form.Business", business), ("Form.Type", type), ("Form.Country", country), ("Form.Name", name),
        ("Form.Phone", phone), ("Form.Email", email), ("Form.Password", password),
    ];

    internal static async Task<KaribuApp> StartAsync(IDictionary<string, string?>? settings = null, string provider = "Sqlite")
    {
        var app = await KaribuApp.StartAsync(provider, settings);
        app.Time.Set(Now);
        return app;
    }

    [Fact]
    public async Task Signup_CreatesTheBusinessAndItsOwner_SignsThemIn_AndOpensTheWelcomeWizard()
    {
        await using var app = await StartAsync();
        using var browser = app.Browser();

        var page = await (await browser.GetAsync("/signup")).HtmlAsync();
        Assert.Contains("Crea tu negocio", page, StringComparison.Ordinal);
        Assert.Contains("value=\"mx\" checked", page, StringComparison.Ordinal);

        var response = await browser.PostFormAsync("/signup", "signup", Fields());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/welcome", response.Headers.Location!.AbsolutePath);

        var (db, scope) = app.Db();
        using (scope)
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
            Assert.Equal(("Barbería Lucía", "barberia-lucia", BusinessType.Barbershop), (organization.Name, organization.Slug, organization.BusinessType));
            Assert.Equal(("MX", "es-MX", "America/Mexico_City", "MXN"), (organization.CountryCode, organization.Locale, organization.TimeZone, organization.Currency));
            Assert.Equal("+525512340001", organization.PhoneNumber);
            var owner = await db.Staff.IgnoreQueryFilters().SingleAsync();
            Assert.Equal((organization.Id, "Lucía Ramos", "+525512340001", StaffRole.Owner, "lucia@example.com"),
                (owner.OrganizationId, owner.Name, owner.PhoneNumber, owner.Role, owner.Email));
            Assert.True(SignInFlow.PasswordMatches(owner, Password));
            var hours = (await db.Locations.IgnoreQueryFilters().SingleAsync(l => l.OrganizationId == organization.Id && l.IsPrimary)).BusinessHours;
            Assert.Equal([new OpenInterval("09:00", "19:00")], hours.Sat);
            Assert.Empty(hours.Sun);
            Assert.True(await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.OrganizationId == organization.Id));
        }

        var welcome = await browser.GetAsync("/app/welcome");
        Assert.Equal(HttpStatusCode.OK, welcome.StatusCode);
        var html = await welcome.HtmlAsync();
        Assert.Contains("¿Qué servicios ofreces?", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Corte de cabello\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"150\"", html, StringComparison.Ordinal);
        // The new owner can also sign in again later with the email and password.
        using var again = app.Browser();
        Assert.Equal(HttpStatusCode.Redirect,
            (await again.PostFormAsync("/app/sign-in?with=email", "password", ("Password.Email", "lucia@example.com"), ("Password.Password", Password))).StatusCode);
    }

    [Fact]
    public async Task Signup_InKenyaInSwahili_GetsKenyanNumbersAndShillings_AndASalonsServices()
    {
        await using var app = await StartAsync();
        using var browser = app.Browser();

        var response = await browser.PostFormAsync("/signup?lang=sw", "signup",
            Fields("njeri@example.com", "Salon ya Njeri", "beauty_salon", "ke-sw", "Njeri Wanjiku", "0712 345 678"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var (db, scope) = app.Db();
        using (scope)
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
            Assert.Equal(("KE", "sw-KE", "Africa/Nairobi", "KES", "+254712345678"),
                (organization.CountryCode, organization.Locale, organization.TimeZone, organization.Currency, organization.PhoneNumber));
        }

        var html = await (await browser.GetAsync("/app/welcome")).HtmlAsync();
        Assert.Contains("Unatoa huduma gani?", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Blow-dry\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"800\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Braids\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFields_GetAMessageNextToEachField_AndNothingIsCreated()
    {
        await using var app = await StartAsync();
        using var browser = app.Browser();

        var response = await browser.PostFormAsync("/signup?lang=en", "signup",
            ("Form.Business", " "), ("Form.Country", "ke-en"), ("Form.Name", ""), ("Form.Phone", ""), ("Form.Email", ""), ("Form.Password", ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.Contains("id=\"business-error\">Enter your business's name.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"type-error\">Choose the kind of business.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"name-error\">Enter your name.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"phone-error\">Please check your number. For example 0712 345 678.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"email-error\">Enter your email: you'll sign in with it.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"password-error\">The password needs at least 8 characters.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"business\"[^>]*aria-invalid=\"true\"", html);

        var wrong = await browser.PostFormAsync("/signup?lang=es", "signup", Fields(email: "lucia@", phone: "12", password: "corta", country: "xx"));
        var wrongHtml = await wrong.HtmlAsync();
        Assert.Contains("id=\"country-error\">Elige dónde está tu negocio.", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"email-error\">Revisa el correo: debe ser como nombre@ejemplo.com.", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"password-error\">La contraseña necesita al menos 8 caracteres.", wrongHtml, StringComparison.Ordinal);
        // What was typed stays in the form, except the password.
        Assert.Contains("value=\"Barbería Lucía\"", wrongHtml, StringComparison.Ordinal);

        var badPhone = await browser.PostFormAsync("/signup?lang=es", "signup", Fields(phone: "12"));
        Assert.Contains("id=\"phone-error\">Revisa tu número. Por ejemplo 55 1234 5678.", await badPhone.HtmlAsync(), StringComparison.Ordinal);

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.False(await db.Organizations.IgnoreQueryFilters().AnyAsync());
        }
    }

    [Fact]
    public async Task AnEmailSomeoneAlreadySignsInWith_IsRefused_NextToTheEmail()
    {
        await using var app = await StartAsync();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        using var browser = app.Browser();

        var response = await browser.PostFormAsync("/signup?lang=en", "signup", Fields(email: " Ramon@Example.com "));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"email-error\">There is already an account with this email.", await response.HtmlAsync(), StringComparison.Ordinal);

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(1, await db.Organizations.IgnoreQueryFilters().CountAsync());
        }
    }

    [Fact]
    public async Task TheSameFormPostedTwice_CreatesOneBusiness_AndBothPostsEndSignedIn()
    {
        await using var app = await StartAsync();
        // Cookies by hand: the second tap leaves before the first answer's session cookie arrives.
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });
        var get = await browser.GetAsync("/signup");
        var html = await get.Content.ReadAsStringAsync();
        var cookie = string.Join("; ", get.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var fields = Fields().Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Concat(
        [
            new("Form.Once", Once().Match(html).Groups[1].Value), new("_handler", "signup"),
            new("__RequestVerificationToken", WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value)),
        ]).ToList();

        for (var i = 0; i < 2; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/signup") { Content = new FormUrlEncodedContent(fields) };
            post.Headers.Add("Cookie", cookie);
            var response = await browser.SendAsync(post);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/app/welcome", response.Headers.Location!.AbsolutePath);
            Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("karibu_session=", StringComparison.Ordinal));
        }

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(1, await db.Organizations.IgnoreQueryFilters().CountAsync());
            Assert.Equal(1, await db.Staff.IgnoreQueryFilters().CountAsync());
        }

        // A new form (new key) with the same email is a second business: refused by the email.
        using var other = app.Browser();
        var again = await other.PostFormAsync("/signup?lang=en", "signup", Fields(business: "Otra Barbería"));
        Assert.Contains("id=\"email-error\">There is already an account with this email.", await again.HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneConnection_MayOpenOnlyAFewBusinessesAnHour()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Karibu:Signup:MaxSignupsPerIpPerHour"] = "2" });

        for (var i = 0; i < 2; i++)
        {
            using var browser = app.Browser();
            var ok = await browser.PostFormAsync("/signup", "signup", Fields(email: $"owner{i}@example.com", phone: $"55 1234 000{i}"));
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        using var third = app.Browser();
        var refused = await third.PostFormAsync("/signup?lang=en", "signup", Fields(email: "owner2@example.com", phone: "55 1234 0002"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Several businesses were already created from this connection. Please try again in an hour.", await refused.HtmlAsync(), StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromMinutes(61));
        var later = await third.PostFormAsync("/signup?lang=en", "signup", Fields(email: "owner2@example.com", phone: "55 1234 0002"));
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(3, await db.Organizations.IgnoreQueryFilters().CountAsync());
        }
    }
}
