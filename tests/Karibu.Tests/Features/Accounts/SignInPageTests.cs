using System.Net;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Accounts;

/// <summary>The owner app's sign-in screens: plain forms over the same rules as the /account endpoints.</summary>
public sealed class SignInPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private static async Task<(KaribuApp App, Tenant Tenant, Guid OwnerId)> StartAsync()
    {
        var app = await KaribuApp.StartAsync(environment: "Development");
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var owner = await app.AddPersonAsync(tenant, "ramon@example.com");
        return (app, tenant, owner);
    }

    [Fact]
    public async Task TheApp_SendsSomeoneNotSignedInToTheSignInPage_RememberingWhereTheyWereGoing()
    {
        var (app, _, _) = await StartAsync();
        await using var _ = app;
        using var browser = app.Browser();

        var response = await browser.GetAsync("/app/sign-out?from=today");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/sign-in?return=%2Fapp%2Fsign-out%3Ffrom%3Dtoday", response.Headers.Location!.OriginalString);
        // The JSON API still answers 401, not a redirect.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/account/me")).StatusCode);
    }

    [Fact]
    public async Task TheOwner_SignsInWithACode_OnTheSignInPage_AndLandsWhereTheyWereGoing()
    {
        var (app, tenant, ownerId) = await StartAsync();
        await using var _ = app;
        using var browser = app.Browser();
        const string page = "/app/sign-in?return=%2Fapp%2Fsign-out&lang=es";

        var sent = await browser.PostFormAsync(page, "phone", ("Phone.Phone", "+52 55 9000 0009"));
        var html = await sent.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Te enviamos un código de 6 dígitos a +52 55 9000 0009.", html, StringComparison.Ordinal);

        var wrong = await browser.PostFormAsync(page, "code", ("Code.Phone", "+52 55 9000 0009"), ("Code.Code", "000000"));
        var wrongHtml = await wrong.HtmlAsync();
        Assert.True(wrongHtml.Contains("id=\"code-error\">El código no es correcto o ya venció.", StringComparison.Ordinal), wrongHtml);

        var code = await app.LastSignInCodeAsync(tenant, ownerId);
        var signedIn = await browser.PostFormAsync(page, "code", ("Code.Phone", "+52 55 9000 0009"), ("Code.Code", code));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/app/sign-out", signedIn.Headers.Location!.AbsolutePath);

        var signOutPage = await browser.GetAsync("/app/sign-out");
        Assert.Equal(HttpStatusCode.OK, signOutPage.StatusCode);
        var body = await signOutPage.HtmlAsync();
        Assert.Contains("Entraste como Ramón Díaz.", body, StringComparison.Ordinal);
        Assert.Contains("Barbería Centro", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswords_GetAMessageNextToTheField_AndTheFifthLocksSignIn()
    {
        var (app, _, _) = await StartAsync();
        await using var _ = app;
        using var browser = app.Browser();
        const string page = "/app/sign-in?with=email&lang=en";

        var missing = await browser.PostFormAsync(page, "password", ("Password.Email", "ramon@example.com"), ("Password.Password", ""));
        Assert.Contains("id=\"password-error\">Enter your email and password.", await missing.HtmlAsync(), StringComparison.Ordinal);

        for (var i = 0; i < 4; i++)
        {
            var wrong = await browser.PostFormAsync(page, "password", ("Password.Email", "ramon@example.com"), ("Password.Password", "nope nope"));
            Assert.Contains("id=\"password-error\">The email or the password is not right.", await wrong.HtmlAsync(), StringComparison.Ordinal);
        }

        var locking = await browser.PostFormAsync(page, "password", ("Password.Email", "ramon@example.com"), ("Password.Password", "nope nope"));
        Assert.Contains("The email or the password is not right.", await locking.HtmlAsync(), StringComparison.Ordinal);
        var locked = await browser.PostFormAsync(page, "password", ("Password.Email", "ramon@example.com"), ("Password.Password", OwnerAppSessions.Password));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Too many wrong tries. Try again in 15 min.", await locked.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/account/me")).StatusCode);
    }

    [Fact]
    public async Task SigningOutEverywhere_EndsTheOtherPhonesSessionToo()
    {
        var (app, _, _) = await StartAsync();
        await using var _ = app;
        using var phone = await app.SignedInAsync("ramon@example.com");
        using var tablet = await app.SignedInAsync("ramon@example.com");

        var done = await phone.PostFormAsync("/app/sign-out", "everywhere");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        var after = await tablet.GetAsync("/app");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/app/sign-in", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
