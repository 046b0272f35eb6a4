using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Hosting;

/// <summary>Marks endpoints under <c>/organizations/{org_id}</c>: they act for that organization only.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class TenantScopedAttribute : Attribute;

/// <summary>
/// Sets the tenant of the request from the <c>org_id</c> route value, before the body is even read.
/// A tenant key on another organization's route gets 404, exactly like an id that does not exist,
/// so ids never leak. The admin key may act for any organization.
/// </summary>
internal sealed class TenantScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<TenantScopedAttribute>() is null)
        {
            await next(context);
            return;
        }

        var routeValue = context.GetRouteValue("org_id")?.ToString();
        var user = context.User;
        if (!Guid.TryParse(routeValue, out var organizationId)
            || !(user.IsAdmin() || user.OrganizationId() == organizationId))
        {
            await Problems.NotFound("organization").ExecuteAsync(context);
            return;
        }

        // Resolved only here: webhooks and other unscoped requests never build a DbContext for this.
        var db = context.RequestServices.GetRequiredService<KaribuDb>();
        var organization = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .Where(o => o.Id == organizationId)
            .Select(o => new { o.Id, o.TimeZone, o.CountryCode, o.Currency })
            .FirstOrDefaultAsync(context.RequestAborted);
        if (organization is null)
        {
            await Problems.NotFound("organization").ExecuteAsync(context);
            return;
        }

        tenant.Set(organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);
        await next(context);
    }
}
