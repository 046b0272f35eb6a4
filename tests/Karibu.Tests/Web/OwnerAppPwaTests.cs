using System.Net;
using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Web;

/// <summary>The owner app as an installable PWA: manifest, icons, service worker, offline shell and last agenda.</summary>
public sealed class OwnerAppPwaTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TheManifest_MakesTheAppInstallable_WithIconsThatExist()
    {
        await using var app = await KaribuApp.StartAsync();
        using var browser = app.Browser();

        var response = await browser.GetAsync("/manifest.webmanifest");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType!.MediaType);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("Karibu", "/app", "/app", "standalone"),
            (manifest.Str("short_name"), manifest.Str("start_url"), manifest.Str("scope"), manifest.Str("display")));

        var sizes = new List<string>();
        foreach (var icon in manifest["icons"]!.AsArray().Select(i => i!))
        {
            var png = await browser.GetAsync(icon.Str("src"));
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
            var bytes = await png.Content.ReadAsByteArrayAsync();
            // The PNG header's width and height match what the manifest says.
            var (width, height) = (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
            Assert.Equal(icon.Str("sizes"), $"{width}x{height}");
            sizes.Add($"{icon.Str("sizes")} {icon.Str("purpose")}");
        }

        Assert.Equal(["192x192 any", "512x512 any", "512x512 maskable"], sizes);
        var worker = await browser.GetAsync("/sw.js");
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/offline.html", await worker.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/offline.html")).StatusCode);
    }

    [Fact]
    public async Task EveryOwnerAppScreen_LinksTheManifest_AndTheScriptThatRegistersTheServiceWorker()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        using var browser = await app.SignedInAsync("ramon@example.com");

        var html = await (await browser.GetAsync("/app")).HtmlAsync();

        Assert.Contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/js/app.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"offline-banner\"", html, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task Offline_TheLastLoadedAgendaStillOpens_WithTheOfflineBanner_AndOtherScreensGetTheShell()
    {
        await using var app = KaribuApp.StartListening();
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        var page = await chromium.NewPageAsync(app.Address!, Chromium.Phone);
        await page.SignInAsync("ramon@example.com");

        await page.GotoAsync("/app");
        await Expect(page.Locator("#offline-banner")).ToBeHiddenAsync();
        // Wait for the service worker to control the page, then load the agenda through it so it is kept.
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        await page.ReloadAsync();
        var online = await page.Locator(".app-main").InnerTextAsync();

        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Expect(page.Locator("#offline-banner")).ToBeVisibleAsync();
        Assert.Equal(online, await page.Locator(".app-main").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "offline-agenda.png");

        await page.GotoAsync("/app/customers");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sin conexión");
        await Expect(page.Locator("#offline-banner")).ToBeVisibleAsync();

        await page.Context.SetOfflineAsync(false);
        await page.GotoAsync("/app");
        await Expect(page.Locator("#offline-banner")).ToBeHiddenAsync();
    }

    private static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KARIBU_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name) });
        }
    }
}
