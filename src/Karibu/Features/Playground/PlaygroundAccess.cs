using Karibu.Data;
using Karibu.Hosting;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Playground;

/// <summary>
/// Who the playground may show. It needs no API key, so it is open only where that is harmless: every
/// business on a Development machine, and elsewhere only demo businesses (<c>is_demo</c>, set by the
/// seed). Any other business answers 404, exactly like one that does not exist.
/// </summary>
internal static class PlaygroundAccess
{
    public static bool IsOpen(IHostEnvironment environment, bool isDemo) => isDemo || environment.IsDevelopment();

    /// <summary>
    /// Runs before every <c>/playground/api/businesses/{org_id}/…</c> handler: answers 404 for a business the
    /// playground may not show, and otherwise sets the tenant, so every query that follows sees only that business.
    /// </summary>
    internal sealed class Filter(IHostEnvironment environment) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (!Guid.TryParse(http.GetRouteValue("org_id")?.ToString(), out var organizationId))
            {
                return Problems.NotFound("business");
            }

            var db = http.RequestServices.GetRequiredService<KaribuDb>();
            var organization = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
                .Where(o => o.Id == organizationId)
                .Select(o => new { o.Id, o.TimeZone, o.CountryCode, o.Currency, o.IsDemo })
                .FirstOrDefaultAsync(http.RequestAborted);
            if (organization is null || !IsOpen(environment, organization.IsDemo))
            {
                return Problems.NotFound("business");
            }

            http.RequestServices.GetRequiredService<TenantContext>().Set(
                organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);
            return await next(context);
        }
    }
}
