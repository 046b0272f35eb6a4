using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Accounts;

internal sealed record CodeRequest(string? Phone, Guid? OrganizationId);

internal sealed record VerifyRequest(string? Phone, string? Code, Guid? OrganizationId);

internal sealed record PasswordSignInRequest(string? Email, string? Password);

internal sealed record CredentialsRequest(string? Email, string? Password, string? CurrentPassword);

internal sealed record AccountResponse(Guid StaffId, string Name, string Role, IReadOnlyList<string> Permissions, Guid OrganizationId, string OrganizationName, string? Email);

/// <summary>
/// How owners and staff sign in to the owner app: a one-time code sent to their phone over the business's
/// channel (WhatsApp, else SMS; the simulator in Development and for the demo business, where the code is
/// also logged), or email and password. A session is an HttpOnly, Secure, SameSite=Lax cookie that carries
/// the staff member's <see cref="StaffMember.SessionVersion"/>: "sign out everywhere" raises it, and every
/// request checks it. Five wrong codes or passwords in a row lock sign-in for fifteen minutes.
/// </summary>
internal static class AccountEndpoints
{
    public const string Scheme = "karibu.session";
    public const string Policy = "owner-app";
    public const int MaxFailures = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    private const int CodesPerHour = 5;
    private const string OrganizationClaim = "karibu:organization";
    private const string VersionClaim = "karibu:session_version";
    private static readonly PasswordHasher<StaffMember> Hasher = new();

    public static WebApplicationBuilder AddKaribuSessions(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "karibu_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromDays(30);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = c => Status(c.Response, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("/account").AllowAnonymous().WithTags("Account");
        anonymous.MapPost("/code", SendCodeAsync);
        anonymous.MapPost("/verify", VerifyAsync);
        anonymous.MapPost("/password", PasswordSignInAsync);

        var signedIn = app.MapGroup("/account").RequireAuthorization(Policy).WithTags("Account");
        signedIn.MapGet("/me", MeAsync);
        signedIn.MapPut("/credentials", SetCredentialsAsync);
        signedIn.MapPost("/sign-out", (Delegate)SignOutAsync);
        signedIn.MapPost("/sign-out-everywhere", SignOutEverywhereAsync);
        return app;
    }

    /// <summary>Always 202 for a well-formed number, whether or not it belongs to someone: the answer tells nobody who works where.</summary>
    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SendCodeAsync(
        CodeRequest request, KaribuDb db, TenantContext tenant, BookingNotices notices, TimeProvider time, IHostEnvironment environment,
        ILoggerFactory logs, CancellationToken ct)
    {
        var found = await FindByPhoneAsync(db, request.Phone, request.OrganizationId, ct);
        if (found.Error is { } error)
        {
            return error;
        }

        if (found.Member is not { } member || found.Organization is not { } organization)
        {
            return TypedResults.Accepted((string?)null);
        }

        Enter(tenant, organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (await db.SignInCodes.CountAsync(c => c.StaffId == member.Id && c.CreatedAt > now.AddHours(-1), ct) >= CodesPerHour)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many codes",
                detail: "Several codes were sent to this number in the last hour. Use the latest one, or try again later.");
        }

        var channel = await BookingNotices.ChannelAsync(db, ct)
                      ?? (environment.IsDevelopment() || organization.IsDemo ? MessageChannel.Simulator : (MessageChannel?)null);
        var log = logs.CreateLogger(typeof(AccountEndpoints));
        if (channel is null)
        {
            log.LogWarning("No channel to send a sign-in code for business {OrganizationId}; the person must use email and password", organization.Id);
            return TypedResults.Accepted((string?)null);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        db.SignInCodes.Add(new SignInCode { StaffId = member.Id, CodeHash = Hash(member.Id, code), ExpiresAt = now + CodeLifetime });
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

        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        VerifyRequest request, HttpContext http, KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        var found = await FindByPhoneAsync(db, request.Phone, request.OrganizationId, ct);
        if (found.Error is { } error)
        {
            return error;
        }

        if (found.Member is not { } member || found.Organization is not { } organization)
        {
            return WrongCode();
        }

        Enter(tenant, organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (Locked(member, now) is { } locked)
        {
            return locked;
        }

        var code = new string((request.Code ?? "").Where(char.IsAsciiDigit).ToArray());
        var hash = Hash(member.Id, code);
        var match = code.Length == 6
            ? (await db.SignInCodes.Where(c => c.StaffId == member.Id && c.UsedAt == null && c.ExpiresAt > now).ToListAsync(ct))
                .FirstOrDefault(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c.CodeHash), Encoding.ASCII.GetBytes(hash)))
            : null;
        if (match is null)
        {
            return await FailAsync(db, member, now, WrongCode(), ct);
        }

        match.UsedAt = now;
        return await SucceedAsync(http, db, member, organization, ct);
    }

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> PasswordSignInAsync(
        PasswordSignInRequest request, HttpContext http, KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        var email = request.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrEmpty(email) ? "email" : "password"] = ["Enter your email and password."],
            });
        }

        var candidates = await db.Staff.IgnoreQueryFilters([KaribuDb.TenantFilter])
            .Where(s => s.Email == email && s.IsActive && s.PasswordHash != null)
            .Join(db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .OrderBy(x => x.Organization.Name).FirstOrDefaultAsync(ct);
        if (candidates is null)
        {
            return WrongPassword();
        }

        var (member, organization) = (candidates.Member, candidates.Organization);
        Enter(tenant, organization);
        var now = time.GetUtcNow().UtcDateTime;
        if (Locked(member, now) is { } locked)
        {
            return locked;
        }

        if (Hasher.VerifyHashedPassword(member, member.PasswordHash!, request.Password) == PasswordVerificationResult.Failed)
        {
            return await FailAsync(db, member, now, WrongPassword(), ct);
        }

        return await SucceedAsync(http, db, member, organization, ct);
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> MeAsync(ClaimsPrincipal user, KaribuDb db, CancellationToken ct) =>
        await CurrentAsync(db, user, ct) is { } current ? TypedResults.Ok(Describe(current.Member, current.Organization)) : Problems.NotFound("account");

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> SetCredentialsAsync(
        CredentialsRequest request, ClaimsPrincipal user, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        if (await CurrentAsync(db, user, ct) is not { } current)
        {
            return Problems.NotFound("account");
        }

        var (member, organization) = current;
        Enter(tenant, organization);
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim().ToLowerInvariant();
        if (email is null || email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email
            || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            errors["email"] = ["Enter a valid email address."];
        }
        else if (await db.Staff.AnyAsync(s => s.Email == email && s.Id != member.Id, ct))
        {
            errors["email"] = ["Someone else at this business already uses this email."];
        }

        if (request.Password is not { Length: >= 8 and <= 200 })
        {
            errors["password"] = ["Use at least 8 characters."];
        }

        if (member.PasswordHash is { } existing
            && (request.CurrentPassword is null || Hasher.VerifyHashedPassword(member, existing, request.CurrentPassword) == PasswordVerificationResult.Failed))
        {
            errors["current_password"] = ["Your current password is not right."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        db.Attach(member);
        member.Email = email;
        member.PasswordHash = Hasher.HashPassword(member, request.Password!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(member, organization));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(Scheme);
        return TypedResults.NoContent();
    }

    /// <summary>Every session of this person ends, on every phone: their cookies carry the old version.</summary>
    private static async Task<NoContent> SignOutEverywhereAsync(HttpContext http, ClaimsPrincipal user, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        if (await CurrentAsync(db, user, ct) is { } current)
        {
            Enter(tenant, current.Organization);
            db.Attach(current.Member);
            current.Member.SessionVersion++;
            await db.SaveChangesAsync(ct);
        }

        await http.SignOutAsync(Scheme);
        return TypedResults.NoContent();
    }

    private sealed record Found(StaffMember? Member, Organization? Organization, ValidationProblem? Error);

    /// <summary>
    /// The active staff member with this phone: at the named business, else at the first of theirs by name. A
    /// number without a country code needs the business (its country says how to read it).
    /// </summary>
    private static async Task<Found> FindByPhoneAsync(KaribuDb db, string? phone, Guid? organizationId, CancellationToken ct)
    {
        string? country = null;
        if (organizationId is { } id)
        {
            country = await db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]).Where(o => o.Id == id).Select(o => o.CountryCode).FirstOrDefaultAsync(ct);
            if (country is null)
            {
                return new Found(null, null, null);
            }
        }

        if (country is null && !(phone?.TrimStart().StartsWith('+') ?? false))
        {
            return new Found(null, null, Problems.Invalid("phone", "Include the country code, for example +52 55 1234 5678 or +254 712 345 678."));
        }

        if (!PhoneNumbers.TryNormalize(phone, country, out var e164, out var error))
        {
            return new Found(null, null, Problems.Invalid("phone", error));
        }

        var match = await db.Staff.IgnoreQueryFilters([KaribuDb.TenantFilter])
            .Where(s => s.PhoneNumber == e164 && s.IsActive && (organizationId == null || s.OrganizationId == organizationId))
            .Join(db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .OrderBy(x => x.Organization.Name).AsNoTracking().FirstOrDefaultAsync(ct);
        return new Found(match?.Member, match?.Organization, null);
    }

    private static async Task<(StaffMember Member, Organization Organization)?> CurrentAsync(KaribuDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var staffId))
        {
            return null;
        }

        var found = await db.Staff.IgnoreQueryFilters([KaribuDb.TenantFilter]).Where(s => s.Id == staffId && s.IsActive)
            .Join(db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]), s => s.OrganizationId, o => o.Id, (s, o) => new { Member = s, Organization = o })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        return found is null ? null : (found.Member, found.Organization);
    }

    /// <summary>A session is good while its person is active and has not signed out everywhere since it began.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<KaribuDb>();
        var current = await CurrentAsync(db, context.Principal!, context.HttpContext.RequestAborted);
        if (current is null || context.Principal!.FindFirstValue(VersionClaim) != current.Value.Member.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    private static void Enter(TenantContext tenant, Organization organization) =>
        tenant.Set(organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);

    private static ProblemHttpResult? Locked(StaffMember member, DateTime now) =>
        member.LockedUntil is { } until && until > now
            ? TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in locked",
                detail: $"Too many wrong attempts. Try again in {Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes))} minutes.")
            : null;

    private static async Task<ProblemHttpResult> FailAsync(KaribuDb db, StaffMember member, DateTime now, ProblemHttpResult wrong, CancellationToken ct)
    {
        db.Attach(member);
        member.FailedSignIns++;
        if (member.FailedSignIns >= MaxFailures)
        {
            (member.FailedSignIns, member.LockedUntil) = (0, now + Lockout);
        }

        await db.SaveChangesAsync(ct);
        return wrong;
    }

    private static async Task<Ok<AccountResponse>> SucceedAsync(HttpContext http, KaribuDb db, StaffMember member, Organization organization, CancellationToken ct)
    {
        if (db.Entry(member).State == EntityState.Detached)
        {
            db.Attach(member);
        }

        (member.FailedSignIns, member.LockedUntil) = (0, null);
        await db.SaveChangesAsync(ct);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, member.Id.ToString()),
            new Claim(ClaimTypes.Name, member.Name),
            new Claim(ClaimTypes.Role, EnumNames.ToName(member.Role)),
            new Claim(OrganizationClaim, organization.Id.ToString()),
            new Claim(VersionClaim, member.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(Describe(member, organization));
    }

    private static AccountResponse Describe(StaffMember member, Organization organization) => new(
        member.Id, member.Name, EnumNames.ToName(member.Role),
        member.Role == StaffRole.Owner ? StaffPermissions.All : member.Permissions, organization.Id, organization.Name, member.Email);

    private static ProblemHttpResult WrongCode() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong code",
        detail: "The code is wrong or has expired. Ask for a new one.",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["code"] = ["The code is wrong or has expired."] } });

    private static ProblemHttpResult WrongPassword() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong email or password",
        detail: "The email or the password is not right.",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["password"] = ["The email or the password is not right."] } });

    private static string Hash(Guid staffId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{staffId:N}:{code}")));
}
