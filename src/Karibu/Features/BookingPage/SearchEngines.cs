using System.Text;
using System.Xml;
using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.BookingPage;

/// <summary>
/// What search engines read first: <c>/robots.txt</c> (the public booking pages are welcome, the app, the API and
/// sign-in are not) and <c>/sitemap.xml</c>, the booking page of every open business that has services to book.
/// The sitemap is one of the few places that reads across businesses, and it reads only slugs.
/// </summary>
internal static class SearchEngines
{
    /// <summary>A sitemap holds at most 50,000 addresses (sitemaps.org).</summary>
    private const int MaxUrls = 50_000;

    public static IEndpointRouteBuilder MapSearchEngineFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/robots.txt", (HttpRequest request) => TypedResults.Text(Robots(BaseUrl(request)), "text/plain; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/sitemap.xml", SitemapAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static string Robots(string baseUrl) =>
        $"""
        User-agent: *
        Allow: /b/
        Disallow: /app
        Disallow: /api/
        Disallow: /account/
        Disallow: /signup
        Disallow: /playground

        Sitemap: {baseUrl}/sitemap.xml

        """;

    private static async Task<IResult> SitemapAsync(HttpRequest request, KaribuDb db, CancellationToken ct)
    {
        var services = db.Services.IgnoreQueryFilters(KaribuDb.TenantFilterOnly);
        var slugs = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .Where(o => !o.IsDemo && o.Slug != "" && o.Status != OrganizationStatus.Suspended && o.Status != OrganizationStatus.Churned
                        && services.Any(s => s.OrganizationId == o.Id && s.IsActive))
            .OrderBy(o => o.Slug).Select(o => o.Slug).Take(MaxUrls).ToListAsync(ct);
        return TypedResults.Text(Sitemap(BaseUrl(request), slugs), "application/xml; charset=utf-8");
    }

    public static string Sitemap(string baseUrl, IEnumerable<string> slugs)
    {
        using var bytes = new MemoryStream();
        using (var xml = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            foreach (var slug in slugs)
            {
                xml.WriteStartElement("url");
                xml.WriteElementString("loc", $"{baseUrl}/b/{Uri.EscapeDataString(slug)}");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
