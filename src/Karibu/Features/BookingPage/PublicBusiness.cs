using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.BookingPage;

/// <summary>What the public page shows of a business, found by its slug; the request then acts for that business only.</summary>
internal sealed record PublicBusiness(Organization Organization, Location? Location, List<Service> Services, DateTimeZone Zone, LocalDate Today)
{
    /// <summary>The version of the business's photo (see <see cref="BusinessPhotos"/>), or null when it has none.</summary>
    public long? PhotoVersion { get; init; }

    /// <summary>The photo's address on this site, versioned so a new photo shows at once; null when there is none.</summary>
    public string? PhotoPath => PhotoVersion is { } v ? BusinessPhotos.Path(Organization.Slug, v) : null;

    /// <summary>The business's active page by slug (suspended and churned businesses have none), setting the tenant; else null.</summary>
    public static async Task<PublicBusiness?> LoadAsync(KaribuDb db, TenantContext tenant, TimeProvider time, string slug, CancellationToken ct)
    {
        var key = slug.ToLowerInvariant();
        var found = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .Where(o => o.Slug == key && o.Status != OrganizationStatus.Suspended && o.Status != OrganizationStatus.Churned)
            .Select(o => new
            {
                Organization = o,
                // The photo's time only, in the same query (whose IgnoreQueryFilters covers it too): the browser fetches
                // the bytes from /b/{slug}/photo.
                Photo = db.BusinessPhotos.Where(p => p.OrganizationId == o.Id).Select(p => (DateTime?)p.UpdatedAt).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (found?.Organization is not { } organization || DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone) is not { } zone)
        {
            return null;
        }

        tenant.Set(organization.Id, zone, organization.CountryCode, organization.Currency);
        var location = await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.IsPrimary, ct);
        var services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Id).ToListAsync(ct);
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        return new PublicBusiness(organization, location, services, zone, today) { PhotoVersion = found.Photo?.Ticks };
    }

    public Language DefaultLanguage => GuidedTexts.FromLocale(Organization.Locale);

    /// <summary>https://wa.me/525512345678, or null when the business has no phone.</summary>
    public string? WhatsAppLink => Organization.PhoneNumber is { Length: > 1 } phone ? $"https://wa.me/{phone.TrimStart('+')}" : null;

    public string? MapLink => Location?.Address is { Length: > 0 } address
        ? $"https://www.google.com/maps/search/?api=1&query={Uri.EscapeDataString(address)}"
        : null;
}

/// <summary>What a page hands its parts (header, hours, language links): the business, the language, and where each language's version is.</summary>
internal sealed record PageContext(PublicBusiness? Business, Language Language, Func<Language, string>? LanguageHref);
