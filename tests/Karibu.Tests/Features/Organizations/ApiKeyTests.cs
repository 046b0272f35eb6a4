using System.Net;
using System.Security.Cryptography;
using System.Text;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Organizations;

/// <summary>
/// /organizations/{id}/api-keys: a key is shown once, stored only as a SHA-256 hash, works on its own
/// organization, records when it was last used and stops working when revoked.
/// </summary>
public sealed class ApiKeyTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_ReturnsTheKeyOnce_AndTheListNeverShowsIt(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Recepción" });

        var created = await response.AssertStatusAsync(201);
        var key = created.Str("api_key");
        var prefix = created.Str("prefix");
        Assert.Equal($"{tenant.Path}/api-keys/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Recepción", created.Str("name"));
        Assert.StartsWith("kb_live_", key, StringComparison.Ordinal);
        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.True(prefix.Length > "kb_live_".Length && prefix.Length < key.Length - 20, $"Prefix '{prefix}' of '{key}'");
        Assert.Equal("2026-11-21T09:00:00-06:00", created.Str("created_at"));
        Assert.NotEqual(tenant.ApiKey, key);

        var list = await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        var keys = list["data"]!.AsArray();
        Assert.False(list["has_more"]!.GetValue<bool>());
        Assert.Equal(2, keys.Count);
        Assert.Equal(["Default", "Recepción"], keys.Select(k => k!.Str("name")).ToArray());
        Assert.Equal([tenant.ApiKey[..prefix.Length], prefix], keys.Select(k => k!.Str("prefix")).ToArray());
        Assert.All(keys, k => Assert.Equal(
            ["created_at", "id", "last_used_at", "name", "prefix", "revoked_at"],
            k!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray()));
        var text = list.ToJsonString();
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.ApiKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutABody_NamesTheKeyApiKey()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostAsync($"{tenant.Path}/api-keys", null)).AssertStatusAsync(201);

        Assert.Equal("API key", created.Str("name"));
        Assert.StartsWith("kb_live_", created.Str("api_key"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "" }""", "name")]
    [InlineData("""{ "name": 7 }""", "name")]
    public async Task Create_WithInvalidName_Returns400NamingIt(string raw, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostRawAsync($"{tenant.Path}/api-keys", raw)).AssertFieldErrorAsync(field);

        var list = await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        Assert.Single(list["data"]!.AsArray());
    }

    [Fact]
    public async Task NewKey_WorksOnItsOwnOrganizationOnly()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));
        using var clientA = app.Client(a.ApiKey);
        var key = (await (await clientA.PostJsonAsync($"{a.Path}/api-keys", new { name = "Caja" })).AssertStatusAsync(201)).Str("api_key");

        using var withNewKey = app.Client(key);
        var own = await (await withNewKey.GetAsync(a.Path)).AssertStatusAsync(200);
        Assert.Equal("A", own.Str("name"));
        await (await withNewKey.PatchJsonAsync(a.Path, new { name = "A2" })).AssertStatusAsync(200);
        await (await withNewKey.GetAsync(b.Path)).AssertProblemAsync(404);
        Assert.Equal(HttpStatusCode.Forbidden, (await withNewKey.PostJsonAsync("/api/v1/organizations", Tenants.NairobiSalon("C"))).StatusCode);
    }

    [Fact]
    public async Task AdminKey_CanCreateAKeyForAnOrganization()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var admin = app.Admin();

        var key = (await (await admin.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Soporte" })).AssertStatusAsync(201)).Str("api_key");

        using var client = app.Client(key);
        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Database_StoresOnlyTheSha256HashOfEachKey(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var created = await (await client.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Caja" })).AssertStatusAsync(201);
        var key = created.Str("api_key");

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync();
            Assert.Equal(2, rows.Count);
            Assert.Equal([Sha256Hex(tenant.ApiKey), Sha256Hex(key)], rows.Select(r => r.KeyHash).ToArray());
            Assert.Equal(created.Str("prefix"), rows[1].Prefix);
        }

        await AssertNoRowContainsAsync(app, tenant.ApiKey, key);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Database_NeverHoldsTheKeyText_EvenWhenTheResponseIsKeptForAnIdempotentRetry(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();
        admin.DefaultRequestHeaders.Add("Idempotency-Key", "create-org-1");
        var organization = await (await admin.PostJsonAsync("/api/v1/organizations", Tenants.MexicoBarbershop())).AssertStatusAsync(201);
        var firstKey = organization.Str("api_key");
        using var client = app.Client(firstKey);
        client.DefaultRequestHeaders.Add("Idempotency-Key", "create-key-1");
        var path = $"/api/v1/organizations/{organization.Id()}/api-keys";
        var created = await (await client.PostJsonAsync(path, new { name = "Caja" })).AssertStatusAsync(201);
        var secondKey = created.Str("api_key");

        // The retry still gets the key it lost...
        var retried = await client.PostJsonAsync(path, new { name = "Caja" });
        Assert.Equal(created.ToJsonString(), (await retried.AssertStatusAsync(201)).ToJsonString());
        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());

        // ...but nothing in the database shows it.
        await AssertNoRowContainsAsync(app, firstKey, secondKey);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task LastUsedAt_IsSetOnUse_AndWrittenAtMostOncePerMinute(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var owner = app.Client(tenant.ApiKey);
        var created = await (await owner.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Caja" })).AssertStatusAsync(201);
        var keyId = created.Id();
        using var client = app.Client(created.Str("api_key"));
        var start = app.Time.GetUtcNow();

        Assert.Null(await LastUsedAsync(app, tenant.Id, keyId));

        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(start, await LastUsedAsync(app, tenant.Id, keyId));

        app.Time.Advance(TimeSpan.FromSeconds(30));
        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(start, await LastUsedAsync(app, tenant.Id, keyId));

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(start.AddSeconds(61), await LastUsedAsync(app, tenant.Id, keyId));

        // The list shows it in the business's offset; the owner's own key was used too.
        var list = await (await owner.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        var shown = list["data"]!.AsArray().Single(k => k!.Id() == keyId)!;
        Assert.Equal("2026-11-21T09:01:01-06:00", shown.Str("last_used_at"));
        Assert.NotNull(list["data"]![0]!["last_used_at"]);
    }

    [Fact]
    public async Task LastUsedAt_IsNotSetByAFailedAttemptWithARevokedKey()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var owner = app.Client(tenant.ApiKey);
        var created = await (await owner.PostAsync($"{tenant.Path}/api-keys", null)).AssertStatusAsync(201);
        await (await owner.DeleteAsync($"{tenant.Path}/api-keys/{created.Id()}")).AssertStatusAsync(204);

        using var revoked = app.Client(created.Str("api_key"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync(tenant.Path)).StatusCode);

        Assert.Null(await LastUsedAsync(app, tenant.Id, created.Id()));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delete_RevokesTheKey_Which_ThenGets401(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var owner = app.Client(tenant.ApiKey);
        var created = await (await owner.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Ex empleado" })).AssertStatusAsync(201);
        using var doomed = app.Client(created.Str("api_key"));
        await (await doomed.GetAsync(tenant.Path)).AssertStatusAsync(200);
        app.Time.Advance(TimeSpan.FromMinutes(5));

        var response = await owner.DeleteAsync($"{tenant.Path}/api-keys/{created.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var refused = await doomed.GetAsync(tenant.Path);
        await refused.AssertProblemAsync(401);
        await (await doomed.PostJsonAsync($"{tenant.Path}/api-keys", new { name = "Otra" })).AssertProblemAsync(401);
        // The other key is untouched.
        await (await owner.GetAsync(tenant.Path)).AssertStatusAsync(200);

        var list = await (await owner.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        var keys = list["data"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.Null(keys[0]!["revoked_at"]);
        Assert.Equal("2026-11-21T09:05:00-06:00", keys.Single(k => k!.Id() == created.Id())!.Str("revoked_at"));

        // Revoking again changes nothing.
        app.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"{tenant.Path}/api-keys/{created.Id()}")).StatusCode);
        var again = await (await owner.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        Assert.Equal("2026-11-21T09:05:00-06:00", again["data"]!.AsArray().Single(k => k!.Id() == created.Id())!.Str("revoked_at"));

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var revocations = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "api_key.revoked").ToListAsync();
            Assert.NotEmpty(revocations);
            Assert.All(revocations, e => Assert.Equal(created.Id(), e.EntityId));
            Assert.All(revocations, e => Assert.StartsWith("api_key:", e.Actor, StringComparison.Ordinal));
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "api_key.created" && e.EntityId == created.Id()));
        }
    }

    [Fact]
    public async Task Delete_TheKeyMakingTheRequest_RevokesIt()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var keyId = (await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200))["data"]![0]!.Id();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{tenant.Path}/api-keys/{keyId}")).StatusCode);

        await (await client.GetAsync(tenant.Path)).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Delete_UnknownKeyId_Returns404()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.DeleteAsync($"{tenant.Path}/api-keys/{Guid.NewGuid()}")).AssertProblemAsync(404);

        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task<DateTimeOffset?> LastUsedAsync(KaribuApp app, Guid organizationId, Guid keyId)
    {
        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            var lastUsed = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.LastUsedAt).SingleAsync();
            return lastUsed is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
        }
    }

    /// <summary>Neither the whole key nor its secret part after the visible prefix is stored anywhere.</summary>
    private static async Task AssertNoRowContainsAsync(KaribuApp app, params string[] keys)
    {
        var found = await DatabaseScan.FindAsync(app, keys.SelectMany(k => new[] { k, k["kb_live_".Length..] }).ToArray());
        Assert.True(found.Count == 0, $"API key text stored in: {string.Join(", ", found)}");
    }
}
