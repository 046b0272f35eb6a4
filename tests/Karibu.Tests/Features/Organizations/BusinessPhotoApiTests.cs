using System.Net;
using System.Net.Http.Headers;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Organizations;

/// <summary><c>PUT</c> and <c>DELETE /api/v1/organizations/{org_id}/photo</c>: the image as the body, problem+json refusals.</summary>
public sealed class BusinessPhotoApiTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PutStoresTheImage_TheBookingPageServesIt_AndDeleteRemovesIt(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var api = app.Client(tenant.ApiKey);
        var png = TestImages.Png(40, 40);

        var put = await api.PutAsync($"{tenant.Path}/photo", Image(png, "image/png"));

        var body = await put.AssertStatusAsync(200);
        Assert.Equal("image/png", body.Str("content_type"));
        Assert.Equal(png.Length, body["size_bytes"]!.GetValue<int>());
        var url = new Uri(body.Str("url"));
        Assert.Equal("/b/barberia-centro/photo", url.AbsolutePath);
        Assert.StartsWith("?v=", url.Query, StringComparison.Ordinal);
        Assert.EndsWith("-06:00", body.Str("updated_at"), StringComparison.Ordinal); // the business's offset, like every instant

        using var visitor = app.CreateClient();
        var served = await visitor.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        conditional.Headers.IfNoneMatch.Add(served.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await visitor.SendAsync(conditional)).StatusCode);

        // The declared type does not matter: a WebP sent as octet-stream is a WebP.
        var webp = "RIFF\0\0\0\0WEBPVP8 "u8.ToArray().Concat(new byte[64]).ToArray();
        var replaced = await (await api.PutAsync($"{tenant.Path}/photo", Image(webp, "application/octet-stream"))).AssertStatusAsync(200);
        Assert.Equal("image/webp", replaced.Str("content_type"));
        Assert.NotEqual(body.Str("url"), replaced.Str("url"));

        var delete = await api.DeleteAsync($"{tenant.Path}/photo");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"{tenant.Path}/photo")).StatusCode); // again: nothing to remove
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WrongType_TooLarge_AForm_AndNoBody_AreProblems_AndAnotherTenantsIdIs404(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var a = await app.CreateAsync();
        var b = await app.CreateAsync(Tenants.NairobiSalon());
        using var api = app.Client(a.ApiKey);
        var path = $"{a.Path}/photo";

        var text = await api.PutAsync(path, Image(TestImages.TextRenamedJpg(), "image/jpeg"));
        var problem = await text.AssertProblemAsync(415);
        Assert.Contains("JPEG, PNG or WebP", problem.Str("detail"), StringComparison.Ordinal);

        var large = await api.PutAsync(path, Image(TestImages.JpegLike(128 * 1024 + 1), "image/jpeg"));
        Assert.Contains("128 KB", (await large.AssertProblemAsync(413)).Str("detail"), StringComparison.Ordinal);
        var huge = await api.PutAsync(path, Image(TestImages.JpegLike(2 * 1024 * 1024), "image/jpeg"));
        await huge.AssertProblemAsync(413);
        var exactly = await api.PutAsync(path, Image(TestImages.JpegLike(128 * 1024), "image/jpeg"));
        await exactly.AssertStatusAsync(200);

        using var form = new MultipartFormDataContent { { Image(TestImages.Png(4, 4), "image/png"), "file", "logo.png" } };
        await (await api.PutAsync(path, form)).AssertProblemAsync(415); // the image itself is the body, not a form
        await (await api.PutAsync(path, Image([], "image/png"))).AssertProblemAsync(400);

        // B's key on A's organization: 404, and A's photo is untouched.
        using var other = app.Client(b.ApiKey);
        await (await other.PutAsync(path, Image(TestImages.Png(4, 4), "image/png"))).AssertProblemAsync(404);
        await (await other.DeleteAsync(path)).AssertProblemAsync(404);
        using var visitor = app.CreateClient();
        var still = await visitor.GetAsync("/b/barberia-centro/photo");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        Assert.Equal("image/jpeg", still.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/b/{b.Body.Str("slug")}/photo")).StatusCode);

        // A suspended business has no public page, nor a photo.
        using var admin = app.Admin();
        await (await admin.PatchJsonAsync(a.Path, new { status = "suspended" })).AssertStatusAsync(200);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/b/barberia-centro/photo")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheImageBody()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).AssertStatusAsync(200);

        var content = document["paths"]!["/api/v1/organizations/{org_id}/photo"]!["put"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["image/jpeg", "image/png", "image/webp"], content.Select(c => c.Key).ToArray());
        Assert.Equal("binary", content["image/png"]!["schema"]!.Str("format"));
    }

    private static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
