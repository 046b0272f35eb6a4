using Karibu.Data;
using Karibu.Features.Accounts;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.BookingPage;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using NodaTime;

namespace Karibu.Web;

/// <summary>
/// The signed-in owner or staff member behind one request to the owner app, loaded once (by the layout, before the
/// page) and shared with the page: their business becomes the request's tenant, and their language and the
/// business's zone say how every screen speaks and tells time.
/// </summary>
internal sealed class OwnerSession(KaribuDb db, TenantContext tenant, TimeProvider time)
{
    private bool _loaded;

    public StaffMember Member { get; private set; } = default!;

    public Organization Organization { get; private set; } = default!;

    public Language Language { get; private set; } = Language.Es;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public bool IsSignedIn { get; private set; }

    public bool IsOwner => Member.Role == StaffRole.Owner;

    /// <summary>The owner may do everything; an employee what their permissions list.</summary>
    public bool Can(string permission) => IsOwner || Member.Permissions.Contains(permission);

    public ZonedDateTime Now => Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(Zone);

    public LocalDate Today => Now.Date;

    /// <summary>The words of a screen, in this person's language.</summary>
    public string T(string es, string en, string sw) => Language.Pick(es, en, sw);

    public async Task<bool> LoadAsync(HttpContext http)
    {
        if (_loaded)
        {
            return IsSignedIn;
        }

        _loaded = true;
        if (await SignInFlow.CurrentAsync(db, http.User, http.RequestAborted) is not { } current)
        {
            return false;
        }

        (Member, Organization) = current;
        SignInFlow.Enter(tenant, Organization);
        Zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Organization.TimeZone) ?? DateTimeZone.Utc;
        Language = PageTexts.Parse(http.Request.Cookies[OwnerApp.LanguageCookie]) ?? GuidedTexts.FromLocale(Organization.Locale);
        IsSignedIn = true;
        return true;
    }
}
