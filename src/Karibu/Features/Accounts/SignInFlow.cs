using System.Security.Claims;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Accounts;

internal enum SignInFailure { None, InvalidPhone, MissingCountryCode, MissingFields, WrongCode, WrongPassword, Locked, TooManyCodes }

/// <summary>What a sign-in step came to: signed in (<see cref="Member"/> set), or why not.</summary>
internal sealed record SignInOutcome(SignInFailure Failure, StaffMember? Member = null, Organization? Organization = null, string? Detail = null, int LockedMinutes = 0)
{
    public static readonly SignInOutcome Done = new(SignInFailure.None);

    public bool Succeeded => Failure == SignInFailure.None;
}

/// <summary>
/// The rules of signing in, shared by the JSON endpoints and the owner app's sign-in page: a one-time code sent
/// to the staff member's phone over the business's channel, or email and password; lockout after
/// <see cref="MaxFailures"/> wrong tries; the session cookie that carries the staff member's session version.
/// </summary>
internal sealed class SignInFlow(
    KaribuDb db, TenantContext tenant, BookingNotices notices, TimeProvider time, IHostEnvironment environment, ILogger<SignInFlow> log)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    public const string OrganizationClaim = "karibu:organization";
    public const string VersionClaim = "karibu:session_version";
    private const int CodesPerHour = 5;
    private static readonly PasswordHasher<StaffMember> Hasher = new();

    /// <summary>Succeeds for every well-formed number, whether or not it belongs to someone: the answer tells nobody who works where.</summary>
    public async Task<SignInOutcome> SendCodeAsync(string? phone, Guid? organizationId, CancellationToken ct)
    {
        var found = await FindByPhoneAsync(phone, organizationId, ct);
        if (!found.Outcome.Succeeded || found.Member is not { } member || found.Organization is not { } organization)
        {
            return found.Outcome;
        }

        Enter(organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.SignInCodes.CountAsync(c => c.StaffId == member.Id && c.CreatedAt > now.AddHours(-1), ct) >= CodesPerHour)
        {
            return new SignInOutcome(SignInFailure.TooManyCodes);
        }

        var channel = await OneTimeCode.ChannelAsync(db, organization, environment, ct);
        if (channel is null)
        {
            log.LogWarning("No channel to send a sign-in code for business {OrganizationId}; the person must use email and password", organization.Id);
            return SignInOutcome.Done;
        }

        var code = OneTimeCode.New();
        db.SignInCodes.Add(new SignInCode { StaffId = member.Id, CodeHash = OneTimeCode.Hash(member.Id, code), ExpiresAt = now + CodeLifetime });
        var language = GuidedTexts.FromLocale(organization.Locale);
        await notices.ToStaffAsync(member, channel.Value, TemplatePurpose.SignInCode, MessagePurpose.System, language,
            new BookingNotices.Values(new Dictionary<string, string?>
            {
                ["code"] = code, ["business_name"] = organization.Name, ["staff_name"] = member.Name.Split(' ')[0],
            }), ct);
        await db.SaveChangesAsync(ct);
        if (channel == MessageChannel.Simulator)
        {
            log.LogInformation("Sign-in code for {Name} at {Business} (simulator): {Code}", member.Name, organization.Name, code);
        }

        return SignInOutcome.Done;
    }

    public async Task<SignInOutcome> VerifyCodeAsync(HttpContext http, string? phone, string? typed, Guid? organizationId, CancellationToken ct)
    {
        var found = await FindByPhoneAsync(phone, organizationId, ct);
        if (!found.Outcome.Succeeded)
        {
            return found.Outcome;
        }

        if (found.Member is not { } member || found.Organization is not { } organization)
        {
            return new SignInOutcome(SignInFailure.WrongCode);
        }

        Enter(organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (Locked(member, now) is { } locked)
        {
            return locked;
        }

        var code = OneTimeCode.Digits(typed);
        var hash = OneTimeCode.Hash(member.Id, code);
        var match = code.Length == OneTimeCode.Length
            ? (await db.SignInCodes.Where(c => c.StaffId == member.Id && c.UsedAt == null && c.ExpiresAt > now).ToListAsync(ct))
                .FirstOrDefault(c => OneTimeCode.Matches(c.CodeHash, hash))
            : null;
        if (match is null)
        {
            return await FailAsync(member, now, SignInFailure.WrongCode, ct);
        }

        match.UsedAt = now;
        return await SucceedAsync(http, member, organization, ct);
    }

    public async Task<SignInOutcome> PasswordAsync(HttpContext http, string? typedEmail, string? password, CancellationToken ct)
    {
        var email = typedEmail?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
        {
            return new SignInOutcome(SignInFailure.MissingFields, Detail: string.IsNullOrEmpty(email) ? "email" : "password");
        }

        var candidate = await db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
            .Where(s => s.Email == email && s.IsActive && s.PasswordHash != null)
            .Join(db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .OrderBy(x => x.Organization.Name).FirstOrDefaultAsync(ct);
        if (candidate is null)
        {
            return new SignInOutcome(SignInFailure.WrongPassword);
        }

        var (member, organization) = (candidate.Member, candidate.Organization);
        Enter(organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (Locked(member, now) is { } locked)
        {
            return locked;
        }

        if (Hasher.VerifyHashedPassword(member, member.PasswordHash!, password) == PasswordVerificationResult.Failed)
        {
            return await FailAsync(member, now, SignInFailure.WrongPassword, ct);
        }

        return await SucceedAsync(http, member, organization, ct);
    }

    /// <summary>Opens a session for someone who just proved who they are another way (a new owner at signup).</summary>
    public static async Task StartSessionAsync(HttpContext http, StaffMember member, Organization organization)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, member.Id.ToString()),
            new Claim(ClaimTypes.Name, member.Name),
            new Claim(ClaimTypes.Role, EnumNames.ToName(member.Role)),
            new Claim(OrganizationClaim, organization.Id.ToString()),
            new Claim(VersionClaim, member.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], AccountEndpoints.Scheme);
        await http.SignInAsync(AccountEndpoints.Scheme, new ClaimsPrincipal(identity));
    }

    public static string HashPassword(StaffMember member, string password) => Hasher.HashPassword(member, password);

    public static bool PasswordMatches(StaffMember member, string? password) =>
        member.PasswordHash is { } hash && password is not null && Hasher.VerifyHashedPassword(member, hash, password) != PasswordVerificationResult.Failed;

    private sealed record Found(StaffMember? Member, Organization? Organization, SignInOutcome Outcome);

    /// <summary>
    /// The active staff member with this phone: at the named business, else at the first of theirs by name. A
    /// number without a country code needs the business (its country says how to read it).
    /// </summary>
    private async Task<Found> FindByPhoneAsync(string? phone, Guid? organizationId, CancellationToken ct)
    {
        string? country = null;
        if (organizationId is { } id)
        {
            country = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(o => o.Id == id).Select(o => o.CountryCode).FirstOrDefaultAsync(ct);
            if (country is null)
            {
                return new Found(null, null, SignInOutcome.Done);
            }
        }

        if (country is null && !(phone?.TrimStart().StartsWith('+') ?? false))
        {
            return new Found(null, null, new SignInOutcome(SignInFailure.MissingCountryCode,
                Detail: "Include the country code, for example +52 55 1234 5678 or +254 712 345 678."));
        }

        if (!PhoneNumbers.TryNormalize(phone, country, out var e164, out var error))
        {
            return new Found(null, null, new SignInOutcome(SignInFailure.InvalidPhone, Detail: error));
        }

        var match = await db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
            .Where(s => s.PhoneNumber == e164 && s.IsActive && (organizationId == null || s.OrganizationId == organizationId))
            .Join(db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .OrderBy(x => x.Organization.Name).AsNoTracking().FirstOrDefaultAsync(ct);
        return new Found(match?.Member, match?.Organization, SignInOutcome.Done);
    }

    /// <summary>The signed-in staff member and their business, or null when the session's person is gone.</summary>
    public static async Task<(StaffMember Member, Organization Organization)?> CurrentAsync(KaribuDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var staffId))
        {
            return null;
        }

        var found = await db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(s => s.Id == staffId && s.IsActive)
            .Join(db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        return found is null ? null : (found.Member, found.Organization);
    }

    public static void Enter(TenantContext tenant, Organization organization) =>
        tenant.Set(organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);

    private void Enter(Organization organization) => Enter(tenant, organization);

    private static SignInOutcome? Locked(StaffMember member, DateTime now) =>
        member.LockedUntil is { } until && until > now
            ? new SignInOutcome(SignInFailure.Locked, LockedMinutes: Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes)))
            : null;

    private async Task<SignInOutcome> FailAsync(StaffMember member, DateTime now, SignInFailure failure, CancellationToken ct)
    {
        if (db.Entry(member).State == EntityState.Detached)
        {
            db.Attach(member);
        }

        member.FailedSignIns++;
        if (member.FailedSignIns >= MaxFailures)
        {
            (member.FailedSignIns, member.LockedUntil) = (0, now + Lockout);
        }

        await db.SaveChangesAsync(ct);
        return new SignInOutcome(failure);
    }

    private async Task<SignInOutcome> SucceedAsync(HttpContext http, StaffMember member, Organization organization, CancellationToken ct)
    {
        if (db.Entry(member).State == EntityState.Detached)
        {
            db.Attach(member);
        }

        (member.FailedSignIns, member.LockedUntil) = (0, null);
        await db.SaveChangesAsync(ct);
        await StartSessionAsync(http, member, organization);
        return new SignInOutcome(SignInFailure.None, member, organization);
    }
}
