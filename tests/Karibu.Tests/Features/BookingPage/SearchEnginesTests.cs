using System.Xml.Linq;
using Karibu.Features.BookingPage;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.BookingPage;

/// <summary>robots.txt and sitemap.xml: search engines find the booking pages, and only those.</summary>
public sealed class SearchEnginesTests
{
    [Fact]
    public async Task TheSitemap_ListsTheBookingPageOfEveryOpenBusinessWithServices_AndRobotsPointsToIt()
    {
        await using var shop = await BookingPageShop.StartAsync();
        await shop.App.CreateAsync(Tenants.NairobiSalon()); // no services yet: nothing to book
        var demo = await shop.App.CreateAsync(Tenants.MexicoBarbershop("Barbería Demo"));
        using (var demoApi = shop.App.Client(demo.ApiKey))
        {
            await (await demoApi.PostJsonAsync($"{demo.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        }

        var (db, scope) = shop.App.Db(demo.Id);
        using (scope)
        {
            (await db.Organizations.SingleAsync()).IsDemo = true;
            await db.SaveChangesAsync();
        }

        var sitemap = await shop.Browser.GetAsync("/sitemap.xml");
        Assert.Equal("application/xml", sitemap.Content.Headers.ContentType?.MediaType);
        var xml = XDocument.Parse(await sitemap.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = xml.Root!.Elements(ns + "url").Select(u => new Uri(u.Element(ns + "loc")!.Value).AbsolutePath).ToList();
        Assert.Equal([shop.Page], urls);

        var robots = await shop.Browser.GetStringAsync("/robots.txt");
        Assert.Contains("Allow: /b/\n", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /app\n", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /api/\n", robots, StringComparison.Ordinal);
        Assert.Matches(@"Sitemap: https?://[^/\s]+/sitemap\.xml", robots);
    }

    [Fact]
    public void TheDocument_IsUtf8WithOneLocPerPage() =>
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url>\n    <loc>https://karibu.example/b/barberia-centro</loc>\n  </url>\n</urlset>",
            SearchEngines.Sitemap("https://karibu.example", ["barberia-centro"]).ReplaceLineEndings("\n"));
}
