using System.Security.Claims;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Karibu.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
            o.Events.OnRedirectToLogin = c => c.Request.Path.StartsWithSegments(OwnerApp.Root)
                ? Redirect(c.Response, OwnerApp.SignInPath(c.Request))
                : Status(c.Response, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        builder.Services.AddScoped<SignInFlow>();
        builder.Services.AddScoped<OwnerSession>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }

    private static Task Redirect(HttpResponse response, string location)
    {
        response.Redirect(location);
        return Task.CompletedTask;
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
    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SendCodeAsync(CodeRequest request, SignInFlow flow, CancellationToken ct) =>
        await flow.SendCodeAsync(request.Phone, request.OrganizationId, ct) switch
        {
            { Succeeded: true } => TypedResults.Accepted((string?)null),
            { Failure: SignInFailure.TooManyCodes } => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many codes",
                detail: "Several codes were sent to this number in the last hour. Use the latest one, or try again later."),
            var failed => Invalid(failed),
        };

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        VerifyRequest request, HttpContext http, SignInFlow flow, CancellationToken ct) =>
        Answer(await flow.VerifyCodeAsync(http, request.Phone, request.Code, request.OrganizationId, ct));

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> PasswordSignInAsync(
        PasswordSignInRequest request, HttpContext http, SignInFlow flow, CancellationToken ct) =>
        Answer(await flow.PasswordAsync(http, request.Email, request.Password, ct));

    private static ValidationProblem Invalid(SignInOutcome outcome) => Problems.Invalid("phone", outcome.Detail ?? "Enter a valid phone number.");

    private static Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult> Answer(SignInOutcome outcome) => outcome switch
    {
        { Succeeded: true, Member: { } member, Organization: { } organization } => TypedResults.Ok(Describe(member, organization)),
        { Failure: SignInFailure.InvalidPhone or SignInFailure.MissingCountryCode } => Invalid(outcome),
        { Failure: SignInFailure.MissingFields } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [outcome.Detail ?? "email"] = ["Enter your email and password."] }),
        { Failure: SignInFailure.Locked } => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in locked",
            detail: $"Too many wrong attempts. Try again in {outcome.LockedMinutes} minutes."),
        { Failure: SignInFailure.WrongPassword } => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong email or password",
            detail: "The email or the password is not right.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["password"] = ["The email or the password is not right."] } }),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong code",
            detail: "The code is wrong or has expired. Ask for a new one.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["code"] = ["The code is wrong or has expired."] } }),
    };

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> MeAsync(ClaimsPrincipal user, KaribuDb db, CancellationToken ct) =>
        await SignInFlow.CurrentAsync(db, user, ct) is { } current ? TypedResults.Ok(Describe(current.Member, current.Organization)) : Problems.NotFound("account");

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> SetCredentialsAsync(
        CredentialsRequest request, ClaimsPrincipal user, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        if (await SignInFlow.CurrentAsync(db, user, ct) is not { } current)
        {
            return Problems.NotFound("account");
        }

        var (member, organization) = current;
        SignInFlow.Enter(tenant, organization);
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

        if (member.PasswordHash is not null && !SignInFlow.PasswordMatches(member, request.CurrentPassword))
        {
            errors["current_password"] = ["Your current password is not right."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        db.Attach(member);
        member.Email = email;
        member.PasswordHash = SignInFlow.HashPassword(member, request.Password!);
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
        if (await SignInFlow.CurrentAsync(db, user, ct) is { } current)
        {
            SignInFlow.Enter(tenant, current.Organization);
            db.Attach(current.Member);
            current.Member.SessionVersion++;
            await db.SaveChangesAsync(ct);
        }

        await http.SignOutAsync(Scheme);
        return TypedResults.NoContent();
    }

    /// <summary>A session is good while its person is active and has not signed out everywhere since it began.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<KaribuDb>();
        var current = await SignInFlow.CurrentAsync(db, context.Principal!, context.HttpContext.RequestAborted);
        if (current is null || context.Principal!.FindFirstValue(SignInFlow.VersionClaim) != current.Value.Member.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    private static AccountResponse Describe(StaffMember member, Organization organization) => new(
        member.Id, member.Name, EnumNames.ToName(member.Role),
        member.Role == StaffRole.Owner ? StaffPermissions.All : member.Permissions, organization.Id, organization.Name, member.Email);
}
