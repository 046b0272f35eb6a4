using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Karibu.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Karibu.Hosting;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the platform admin key from configuration, or a tenant API key
/// looked up by its SHA-256 hash (only the hash is stored).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<KaribuOptions> karibu,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string OrganizationClaim = "karibu:organization_id";
    public const string KeyIdClaim = "karibu:api_key_id";
    public const string AdminRole = "admin";

    /// <summary>A key's last-used time is written at most this often, so busy keys do not write on every call.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <api key>'.");
        }

        var presented = header[7..].Trim();
        if (karibu.Value.AdminApiKey is { Length: > 0 } admin && FixedTimeEquals(presented, admin))
        {
            return Success([new Claim(ClaimTypes.Role, AdminRole), new Claim(KeyIdClaim, AdminRole)]);
        }

        var hash = ApiKeys.Hash(presented);
        // Resolved only when a key is presented: anonymous requests (webhooks) never build a DbContext here.
        var db = Context.RequestServices.GetRequiredService<KaribuDb>();
        var key = await db.ApiKeys.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.OrganizationId, k.LastUsedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            // A bulk update: no entity to track and no tenant needed, and racing requests are harmless.
            await db.ApiKeys.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                .Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        return Success([
            new Claim(OrganizationClaim, key.OrganizationId.ToString()),
            new Claim(KeyIdClaim, key.Id.ToString()),
        ]);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

internal static class ApiKeys
{
    private const string KeyPrefix = "kb_live_";

    /// <summary>A new random key: 32 bytes of entropy, with a short visible prefix to tell keys apart.</summary>
    public static (string Key, string Prefix, string Hash) Generate()
    {
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, key[..(KeyPrefix.Length + 6)], Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal static class PrincipalExtensions
{
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(ApiKeyAuthenticationHandler.AdminRole);

    public static Guid? OrganizationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ApiKeyAuthenticationHandler.OrganizationClaim), out var id) ? id : null;

    /// <summary>Who to name in audit events: the admin, or the API key by id.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.IsAdmin() ? "admin" : $"api_key:{user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)}";
}
