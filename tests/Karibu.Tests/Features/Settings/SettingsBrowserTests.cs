using Karibu.Features.Accounts;
using Karibu.Features.Staff;
using Karibu.Tests.Features.BookingPage;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Settings;

/// <summary>The settings screens in Chromium on a phone: the owner changes the hours and adds a service, and the booking page shows both.</summary>
public sealed class SettingsBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task TheOwner_ChangesHoursAndAddsAService_AndTheBookingPageShowsThem()
    {
        await using var shop = await BookingPageShop.ArrangeAsync(KaribuApp.StartListening());
        var page = await OwnerSignedInAsync(shop);

        await page.GotoAsync("/app/settings");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Ajustes");
        await Expect(page.Locator("#booking-link")).ToContainTextAsync($"/b/{shop.Slug}");
        await Chromium.ScreenshotAsync(page, "settings.png");

        await page.Locator("a[href='/app/settings/hours']").ClickAsync();
        await page.Locator("#mon-to1").FillAsync("14:00");
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator(".success")).ToContainTextAsync("tu horario está guardado");

        await page.GotoAsync("/app/settings/services/new");
        await page.Locator("#name").FillAsync("Tinte de barba");
        await page.Locator("#price").FillAsync("120");
        await page.Locator("#duration").FillAsync("20");
        await page.Locator("button.primary").ClickAsync();
        await Expect(page.Locator(".settings-list")).ToContainTextAsync("Tinte de barba");
        await Chromium.ScreenshotAsync(page, "settings-services.png");

        await page.GotoAsync("/app/settings/channels");
        await Expect(page.Locator("#whatsapp h2")).ToHaveTextAsync("WhatsApp");
        await Chromium.ScreenshotAsync(page, "settings-channels.png");

        await page.GotoAsync(shop.Page);
        await Expect(page.Locator(".service", new() { HasText = "Tinte de barba" }).First).ToContainTextAsync("$120");
        await Expect(page.Locator(".hours tr", new() { HasText = "Lunes" })).ToContainTextAsync("9:00 a.m. – 2:00 p.m.");
    }

    [BrowserFact]
    public async Task AnOwnersBigPhoto_IsShrunkInThePhoneTo512px_BeforeUpload_AndTheBookingPageShowsIt()
    {
        await using var shop = await BookingPageShop.ArrangeAsync(KaribuApp.StartListening());
        var page = await OwnerSignedInAsync(shop);
        await page.GotoAsync("/app/settings/business");
        await Expect(page.Locator("#photo-initials")).ToHaveTextAsync("BC");

        // An 800×600 photo that compresses badly (well over the 128 KB the server keeps), as a camera's would.
        var big = TestImages.Png(800, 600, noisy: true);
        Assert.True(big.Length > 1024 * 1024);
        await page.Locator("#photo-file").SetInputFilesAsync(new FilePayload { Name = "IMG_2041.png", MimeType = "image/png", Buffer = big });
        await Expect(page.Locator("#photo-file")).ToHaveAttributeAsync("data-ready", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await Expect(page.Locator("#photo-preview")).ToBeVisibleAsync();
        await Expect(page.Locator("#photo-initials")).ToBeHiddenAsync();

        var chosen = await page.EvaluateAsync<int[]>(
            "async () => { const f = document.getElementById('photo-file').files[0]; const b = await createImageBitmap(f); return [b.width, b.height, f.size]; }");
        Assert.Equal(512, chosen[0]);
        Assert.Equal(384, chosen[1]);
        Assert.InRange(chosen[2], 1, 128 * 1024);

        await page.Locator("#photo-save").ClickAsync();
        await Expect(page.Locator(".success")).ToContainTextAsync("tu foto ya está en tu página de reservas");
        var (db2, scope2) = shop.App.Db(shop.Tenant.Id);
        using (scope2)
        {
            var photo = await db2.BusinessPhotos.SingleAsync();
            Assert.Equal("image/webp", photo.ContentType);
            Assert.Equal(chosen[2], photo.Bytes.Length);
        }

        await page.GotoAsync(shop.Page);
        var header = page.Locator(".hero img.avatar");
        await Expect(header).ToHaveAttributeAsync("width", "72");
        Assert.Equal(512, await header.EvaluateAsync<int>("async img => { await img.decode(); return img.naturalWidth; }"));
    }

    /// <summary>The shop's owner, Ramón, signed in on a phone-sized page.</summary>
    private async Task<IPage> OwnerSignedInAsync(BookingPageShop shop)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var owner = new StaffMember { Name = "Ramón Díaz", PhoneNumber = "+525590001234", Role = StaffRole.Owner, Email = "ramon@example.com" };
            owner.PasswordHash = SignInFlow.HashPassword(owner, OwnerAppSessions.Password);
            db.Staff.Add(owner);
            await db.SaveChangesAsync();
        }

        var page = await chromium.NewPageAsync(shop.App.Address!, Chromium.Phone);
        await page.SignInAsync("ramon@example.com");
        return page;
    }
}
