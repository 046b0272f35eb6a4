using System.Net;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Settings;

/// <summary>A barbershop with its owner signed in to the owner app (and, on demand, an employee).</summary>
internal sealed class SettingsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private SettingsHarness(KaribuApp app, Tenant tenant, HttpClient owner, Guid ownerId) => (App, Tenant, Owner, OwnerId) = (app, tenant, owner, ownerId);

    public KaribuApp App { get; }

    public Tenant Tenant { get; }

    /// <summary>The owner's browser (cookies, no redirects followed).</summary>
    public HttpClient Owner { get; }

    public Guid OwnerId { get; }

    public static async Task<SettingsHarness> StartAsync(IDictionary<string, string?>? settings = null, string provider = "Sqlite")
    {
        var app = await KaribuApp.StartAsync(provider, settings, environment: "Development");
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var ownerId = await app.AddPersonAsync(tenant, "ramon@example.com");
        return new SettingsHarness(app, tenant, await app.SignedInAsync("ramon@example.com"), ownerId);
    }

    /// <summary>An employee signed in with just these permissions.</summary>
    public async Task<HttpClient> EmployeeAsync(params string[] permissions)
    {
        await App.AddPersonAsync(Tenant, "tono@example.com", name: "Toño", phone: "55 9000 0010", role: "employee", permissions: permissions);
        return await App.SignedInAsync("tono@example.com");
    }

    /// <summary>A second business (its API client), for ids that are not this business's.</summary>
    public async Task<(Tenant Tenant, HttpClient Api)> OtherBusinessAsync()
    {
        var other = await App.CreateAsync(Tenants.NairobiSalon());
        return (other, App.Client(other.ApiKey));
    }

    public static void AssertRedirect(HttpResponseMessage response, string location)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = response.Headers.Location!;
        Assert.Equal(location, target.IsAbsoluteUri ? target.PathAndQuery : target.OriginalString);
    }

    public static async Task AssertFieldErrorAsync(HttpResponseMessage response, string id, string message)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.True(html.Contains($"id=\"{id}\">{message}", StringComparison.Ordinal), $"No '{message}' at #{id} in:\n{html}");
    }

    /// <summary>What an employee without the permission sees: a polite note and no form.</summary>
    public static async Task AssertPoliteNoteAsync(HttpClient browser, string page)
    {
        var response = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();
        Assert.Contains("Esta sección la maneja el dueño del negocio.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Owner.Dispose();
        await App.DisposeAsync();
    }
}
