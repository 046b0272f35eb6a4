using System.Net;
using System.Text.RegularExpressions;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Karibu.Tests.Features.Settings.SettingsHarness;

namespace Karibu.Tests.Features.Settings;

/// <summary>
/// The business photo through Settings → Business (a multipart form), served at /b/{slug}/photo and shown on the booking
/// page; the initials when there is none.
/// </summary>
public sealed partial class BusinessPhotoPageTests
{
    private const string Page = "/app/settings/business";

    [GeneratedRegex("<img class=\"avatar\" src=\"(/b/barberia-centro/photo\\?v=(\\d+))\" width=\"72\" height=\"72\" alt decoding=\"async\" />")]
    private static partial Regex HeaderPhoto();

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheOwnerUploadsAPhoto_ThePageShowsItWithOgImage_ItIsServedCached_AndRemovingItBringsBackTheInitials(string provider)
    {
        await using var h = await StartAsync(provider: provider);
        using var visitor = h.App.Browser();

        // Before: the initials in a coloured circle, no image at all.
        var before = await (await visitor.GetAsync("/b/barberia-centro")).HtmlAsync();
        Assert.Matches("<span class=\"avatar avatar-[0-5]\" aria-hidden=\"true\">BC</span>", before);
        Assert.DoesNotContain("og:image", before, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/b/barberia-centro/photo")).StatusCode);

        var png = TestImages.Png(64, 48);
        var saved = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "logo.jpg", "image/jpeg", png));

        AssertRedirect(saved, "/app/settings/business?photo=1");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var photo = await db.BusinessPhotos.SingleAsync();
            Assert.Equal("image/png", photo.ContentType); // read from the bytes, not from the declared type or the name
            Assert.Equal(png, photo.Bytes);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "business_photo.updated" && e.Actor == $"staff:{h.OwnerId}"));
        }

        var settings = await (await h.Owner.GetAsync($"{Page}?photo=1")).HtmlAsync();
        Assert.Contains("Listo, tu foto ya está en tu página de reservas.", settings, StringComparison.Ordinal);
        Assert.Contains("id=\"photo-preview\" src=\"/b/barberia-centro/photo?v=", settings, StringComparison.Ordinal);
        Assert.Contains("Quitar foto", settings, StringComparison.Ordinal);

        // The booking page shows it (fixed size, versioned address) and names it for link previews.
        var html = await (await visitor.GetAsync("/b/barberia-centro")).HtmlAsync();
        var img = HeaderPhoto().Match(html);
        Assert.True(img.Success, html);
        var (path, version) = (img.Groups[1].Value, img.Groups[2].Value);
        Assert.Contains($"<meta property=\"og:image\" content=\"https://localhost{path}\" />", html, StringComparison.Ordinal);
        Assert.DoesNotContain("loading=\"lazy\"", html, StringComparison.Ordinal);

        var served = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("public, max-age=31536000, immutable", served.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = served.Headers.ETag!;
        Assert.Equal($"\"{version}\"", etag.Tag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await visitor.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        // Without the current version the address may change its bytes: cached briefly only.
        var unversioned = await visitor.GetAsync("/b/barberia-centro/photo");
        Assert.Equal("public, max-age=300", unversioned.Headers.CacheControl?.ToString());

        // A new photo at the same moment still gets a new version, so the page shows it at once.
        var second = TestImages.Png(32, 32);
        AssertRedirect(await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "logo.png", "image/png", second)), "/app/settings/business?photo=1");
        var newer = HeaderPhoto().Match(await (await visitor.GetAsync("/b/barberia-centro")).HtmlAsync());
        Assert.NotEqual(version, newer.Groups[2].Value);
        using var stale = new HttpRequestMessage(HttpMethod.Get, newer.Groups[1].Value);
        stale.Headers.IfNoneMatch.Add(etag);
        var fresh = await visitor.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(second, await fresh.Content.ReadAsByteArrayAsync());

        // Removing it: 404 for the photo, the initials again.
        var removed = await h.Owner.PostMultipartFormAsync(Page, "photo", null, ("Photo.Remove", "1"));
        AssertRedirect(removed, "/app/settings/business?photo=2");
        Assert.Contains("Quitamos la foto.", await (await h.Owner.GetAsync($"{Page}?photo=2")).HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(path)).StatusCode);
        var after = await (await visitor.GetAsync("/b/barberia-centro")).HtmlAsync();
        Assert.Contains(">BC</span>", after, StringComparison.Ordinal);
        Assert.DoesNotContain("og:image", after, StringComparison.Ordinal);
        var (db2, scope2) = h.App.Db(h.Tenant.Id);
        using (scope2)
        {
            Assert.False(await db2.BusinessPhotos.AnyAsync());
            Assert.Equal(1, await db2.AuditEvents.CountAsync(e => e.Action == "business_photo.removed"));
        }
    }

    [Fact]
    public async Task ATextFileRenamedJpg_ATooLargePhoto_AndNoFile_AreExplainedNextToTheField_AndNothingIsStored()
    {
        await using var h = await StartAsync();

        var text = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "precios.jpg", "image/jpeg", TestImages.TextRenamedJpg()));
        await AssertFieldErrorAsync(text, "photo-error", "Ese archivo no es una foto. Elige una imagen JPEG, PNG o WebP.");

        var large = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "foto.jpg", "image/jpeg", TestImages.JpegLike(200 * 1024)));
        await AssertFieldErrorAsync(large, "photo-error", "La foto pesa más de 128 KB. Elige una más pequeña o una captura de pantalla.");

        // A camera photo sent as it is (no script): over the API's 1 MB body limit, still answered by the page.
        var camera = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "IMG_2041.jpg", "image/jpeg", TestImages.JpegLike(3 * 1024 * 1024)));
        await AssertFieldErrorAsync(camera, "photo-error", "La foto pesa más de 128 KB. Elige una más pequeña o una captura de pantalla.");

        var none = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "", "application/octet-stream", []));
        await AssertFieldErrorAsync(none, "photo-error", "Elige una foto primero.");

        // In the person's language.
        await h.Owner.PostFormAsync("/app/settings", "language", ("Form.Language", "sw"));
        var swahili = await h.Owner.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "precios.jpg", "image/jpeg", TestImages.TextRenamedJpg()));
        await AssertFieldErrorAsync(swahili, "photo-error", "Faili hilo si picha. Chagua picha ya JPEG, PNG au WebP.");

        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Assert.False(await db.BusinessPhotos.AnyAsync());
        }
    }

    [Fact]
    public async Task TheForm_IsMultipart_TakesImagesFromThePhone_AndIsOnlyForPeopleWhoManageSettings()
    {
        await using var h = await StartAsync();

        var html = await (await h.Owner.GetAsync(Page)).HtmlAsync();
        Assert.Contains("enctype=\"multipart/form-data\"", html, StringComparison.Ordinal);
        Assert.Contains("<input id=\"photo-file\" type=\"file\" name=\"Photo.File\" accept=\"image/*\" data-max-bytes=\"131072\" data-max-pixels=\"512\"", html, StringComparison.Ordinal);
        Assert.Matches("<span class=\"avatar avatar-[0-5]\" id=\"photo-initials\" aria-hidden=\"true\">BC</span>", html);
        Assert.DoesNotContain("Quitar foto", html, StringComparison.Ordinal);

        using var employee = await h.EmployeeAsync("manage_services");
        await AssertPoliteNoteAsync(employee, Page);
        using var settingsPerson = await h.App.SignedInAsync("tono@example.com");
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var tono = await db.Staff.SingleAsync(s => s.Email == "tono@example.com");
            tono.Permissions = [.. tono.Permissions, "manage_settings"];
            await db.SaveChangesAsync();
        }

        var byManager = await settingsPerson.PostMultipartFormAsync(Page, "photo", new UploadedFile("Photo.File", "logo.png", "image/png", TestImages.Png(8, 8)));
        AssertRedirect(byManager, "/app/settings/business?photo=1");
    }
}
