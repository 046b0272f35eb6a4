using System.Net;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Accounts;

/// <summary>Owners and staff signing in to the owner app: a code by phone, email and password, lockout, sign out everywhere.</summary>
public sealed class SignInTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private static async Task<(KaribuApp App, Tenant Tenant, Guid OwnerId)> StartAsync(string environment = "Development")
    {
        var app = await KaribuApp.StartAsync(environment: environment);
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        using var api = app.Client(tenant.ApiKey);
        var owner = await (await api.PostJsonAsync($"{tenant.Path}/staff", new { name = "Ramón Díaz", phone_number = "55 9000 0009", role = "owner" })).AssertStatusAsync(201);
        return (app, tenant, owner.Id());
    }

    [Fact]
    public async Task TheOwner_SignsInWithACodeSentToTheirPhone_AndTheSessionCookieIsHttpOnlySecureAndLax()
    {
        var (app, tenant, ownerId) = await StartAsync();
        await using var _ = app;
        using var browser = app.Browser();

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/account/me")).StatusCode);
        await (await browser.PostJsonAsync("/account/code", new { phone = "+52 55 9000 0009" })).AssertStatusAsync(202);
        var code = await app.LastSignInCodeAsync(tenant, ownerId);
        Assert.Matches(@"^\d{6}$", code);

        var verified = await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code });
        await verified.AssertStatusAsync(200);
        var cookie = Assert.Single(verified.Headers.GetValues("Set-Cookie"), c => c.StartsWith("karibu_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await (await browser.GetAsync("/account/me")).AssertStatusAsync(200);
        Assert.Equal(("Ramón Díaz", "owner", tenant.Id.ToString()), (me.Str("name"), me.Str("role"), me.Str("organization_id")));
        Assert.Contains("manage_settings", me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));

        // A code works once.
        using var other = app.Browser();
        await (await other.PostJsonAsync("/account/verify", new { phone = "+525590000009", code })).AssertStatusAsync(400);
    }

    [Fact]
    public async Task FiveWrongCodes_LockSignIn_EvenWithTheRightCode_UntilFifteenMinutesPass()
    {
        var (app, tenant, ownerId) = await StartAsync();
        await using var _ = app;
        using var browser = app.Browser();
        await (await browser.PostJsonAsync("/account/code", new { phone = "55 9000 0009", organization_id = tenant.Id })).AssertStatusAsync(202);
        var code = await app.LastSignInCodeAsync(tenant, ownerId);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++)
        {
            var answer = await (await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code = wrong })).AssertStatusAsync(400);
            Assert.Equal("The code is wrong or has expired.", answer["errors"]!["code"]![0]!.GetValue<string>());
        }

        var locked = await (await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code })).AssertStatusAsync(429);
        Assert.Contains("Try again in 15 minutes", locked.Str("detail"), StringComparison.Ordinal);

        app.Time.Set(Now.AddMinutes(9)); // Still locked; the code itself is still valid (ten minutes).
        await (await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code })).AssertStatusAsync(429);
        app.Time.Set(Now.AddMinutes(16)); // Unlocked, but the code has expired meanwhile.
        await (await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code })).AssertStatusAsync(400);
        await (await browser.PostJsonAsync("/account/code", new { phone = "+525590000009" })).AssertStatusAsync(202);
        await (await browser.PostJsonAsync("/account/verify", new { phone = "+525590000009", code = await app.LastSignInCodeAsync(tenant, ownerId) })).AssertStatusAsync(200);
    }

    [Fact]
    public async Task UnknownNumbers_GetTheSameAnswer_AndBadOnesAClearError()
    {
        var (app, _, _) = await StartAsync();
        await using var __ = app;
        using var browser = app.Browser();
        await (await browser.PostJsonAsync("/account/code", new { phone = "+52 55 1111 2222" })).AssertStatusAsync(202);
        var noCountry = await (await browser.PostJsonAsync("/account/code", new { phone = "55 1111 2222" })).AssertStatusAsync(400);
        Assert.Contains("country code", noCountry["errors"]!["phone"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await (await browser.PostJsonAsync("/account/code", new { phone = "+52 12" })).AssertStatusAsync(400);
        await (await browser.PostJsonAsync("/account/verify", new { phone = "+52 55 1111 2222", code = "123456" })).AssertStatusAsync(400);
    }

    [Fact]
    public async Task EmailAndPassword_AfterTheOwnerSetsThem_AndSignOutEverywhereEndsEverySession()
    {
        var (app, tenant, ownerId) = await StartAsync();
        await using var _ = app;
        using var phone = app.Browser();
        await (await phone.PostJsonAsync("/account/code", new { phone = "+525590000009" })).AssertStatusAsync(202);
        await (await phone.PostJsonAsync("/account/verify", new { phone = "+525590000009", code = await app.LastSignInCodeAsync(tenant, ownerId) })).AssertStatusAsync(200);

        var weak = await (await phone.PutJsonAsync("/account/credentials", new { email = "ramon@example", password = "short" })).AssertStatusAsync(400);
        Assert.NotNull(weak["errors"]!["email"]);
        Assert.NotNull(weak["errors"]!["password"]);
        await (await phone.PutJsonAsync("/account/credentials", new { email = "Ramon@Example.com", password = "corte-y-barba-2026" })).AssertStatusAsync(200);

        using var laptop = app.Browser();
        await (await laptop.PostJsonAsync("/account/password", new { email = "ramon@example.com", password = "wrong-password" })).AssertStatusAsync(400);
        var signedIn = await (await laptop.PostJsonAsync("/account/password", new { email = "ramon@example.com", password = "corte-y-barba-2026" })).AssertStatusAsync(200);
        Assert.Equal("ramon@example.com", signedIn.Str("email"));
        await (await laptop.GetAsync("/account/me")).AssertStatusAsync(200);

        // Changing the password now needs the current one.
        await (await laptop.PutJsonAsync("/account/credentials", new { email = "ramon@example.com", password = "nueva-clave-2026" })).AssertStatusAsync(400);

        await (await phone.PostAsync("/account/sign-out-everywhere", null)).AssertStatusAsync(204);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/account/me")).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_ABusinessWithoutAChannel_SendsNoCode()
    {
        var (app, tenant, ownerId) = await StartAsync(environment: "Production");
        await using var _ = app;
        using var browser = app.Browser();
        await (await browser.PostJsonAsync("/account/code", new { phone = "+525590000009" })).AssertStatusAsync(202);
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.False(await db.SignInCodes.AnyAsync(c => c.StaffId == ownerId));
            Assert.False(await db.Messages.AnyAsync());
        }
    }
}
