using System.Net;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task Healthz_And_Readyz_AnswerWithoutAKey()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryApiEndpoint()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).AssertStatusAsync(200);
        var paths = document["paths"]!.AsObject();

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m.ToLowerInvariant(), Path: OpenApiPath(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
        Assert.True(endpoints.Count >= 30, $"Expected the API's endpoints, found {endpoints.Count}.");
        var missing = endpoints.Where(e => paths[e.Path]?[e.Method] is null).Select(e => $"{e.Method} {e.Path}").ToList();
        Assert.True(missing.Count == 0, $"Missing from /openapi/v1.json: {string.Join(", ", missing)}");

        // The contract's names: snake_case properties and the bearer scheme.
        Assert.NotNull(document["components"]?["securitySchemes"]?["bearer"]);
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.True(schemas["ServiceResponse"]?["properties"]?["duration_minutes"] is not null, "ServiceResponse should expose duration_minutes");
    }

    [Fact]
    public async Task DocsPage_IsServed()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.CreateClient();
        var response = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemJson404()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.Admin();
        var body = await (await client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(404);
        Assert.NotNull(body["detail"]);
    }

    [Fact]
    public async Task MissingKey_Answers401_WithAHelpfulDetail()
    {
        await using var app = await KaribuApp.StartAsync();
        using var client = app.CreateClient();
        var body = await (await client.GetAsync($"/api/v1/organizations/{Guid.CreateVersion7()}")).AssertProblemAsync(401);
        Assert.Contains("Bearer", body.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddedDefault_SeedsTheDemoBusinessOnce()
    {
        var database = TestDatabase.Sqlite();
        await using var _ = database;
        var settings = new Dictionary<string, string?> { ["Karibu:SeedDemoBusiness"] = null };
        await using (var first = KaribuApp.Start(database, settings: settings))
        {
            var (db, scope) = first.Db();
            using (scope)
            {
                var organization = await db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]).SingleAsync();
                Assert.Equal(DemoBusiness.Name, organization.Name);
                Assert.Equal("America/Mexico_City", organization.TimeZone);
                Assert.Equal("es-MX", organization.Locale);
                Assert.Equal("MXN", organization.Currency);
                Assert.True(await db.Services.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync() >= 3);
                var staff = await db.Staff.IgnoreQueryFilters([KaribuDb.TenantFilter]).ToListAsync();
                Assert.Equal(2, staff.Count);
                Assert.All(staff, s => Assert.StartsWith("+52", s.PhoneNumber, StringComparison.Ordinal));
                Assert.True(await db.Customers.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync() >= 3);
                var hours = (await db.Locations.IgnoreQueryFilters([KaribuDb.TenantFilter]).SingleAsync()).BusinessHours;
                Assert.NotEmpty(hours.Tue);
            }

            // The one-time key printed at start works.
            var banner = first.Services.GetRequiredService<DemoBusiness.StartupBanner>();
            using var client = first.Client(banner.DemoApiKey);
            var body = await (await client.GetAsync($"/api/v1/organizations/{banner.DemoOrganizationId}")).AssertStatusAsync(200);
            Assert.Equal(DemoBusiness.Name, body.Str("name"));
        }

        await using var second = KaribuApp.Start(database, settings: settings);
        var (again, scope2) = second.Db();
        using (scope2)
        {
            Assert.Equal(1, await again.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
        }

        Assert.Null(second.Services.GetRequiredService<DemoBusiness.StartupBanner>().DemoApiKey);
    }

    /// <summary>/api/v1/organizations/{org_id:guid}/services/{id:guid} → /api/v1/organizations/{org_id}/services/{id}</summary>
    private static string OpenApiPath(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "{([^:}]+)(:[^}]+)?}", "{$1}").TrimEnd('/') is { Length: > 0 } p ? p : "/";
}
