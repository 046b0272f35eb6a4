using System.Net;
using System.Net.Http.Json;
using Karibu.Data;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the same key and body from the same caller within 24 hours gets
/// the first response again, and the work is done once.
/// </summary>
public sealed class IdempotencyTests
{
    private const string Organizations = "/api/v1/organizations";
    private const string Replayed = "Idempotent-Replayed";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SameKeyAndBody_ReplaysTheFirstResponse_AndCreatesOneOrganization(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();

        var first = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), "org-2026-11-21-001");
        app.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), "org-2026-11-21-001");

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(Replayed));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues(Replayed).Single());
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);

        // The replayed key is the one that was made, and it works.
        var replayedKey = (await second.ReadJsonAsync()).Str("api_key");
        using var client = app.Client(replayedKey);
        await (await client.GetAsync(second.Headers.Location!.OriginalString)).AssertStatusAsync(200);

        Assert.Equal(1, await CountAsync(app, db => db.Organizations));
        Assert.Equal(1, await CountAsync(app, db => db.ApiKeys));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SameKeyAndBody_FromATenant_CreatesOneRow(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var service = new { name = "Corte", duration_minutes = 30, price_cents = 25000 };

        var first = await (await SendAsync(client, $"{tenant.Path}/services", service, "svc-1")).AssertStatusAsync(201);
        var second = await SendAsync(client, $"{tenant.Path}/services", service, "svc-1");

        Assert.Equal(first.ToJsonString(), (await second.AssertStatusAsync(201)).ToJsonString());
        Assert.Equal("true", second.Headers.GetValues(Replayed).Single());
        Assert.Equal(1, await CountAsync(app, db => db.Services));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SameKeyAndBody_SentToAnotherInstance_IsReplayedThere(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        await using var other = KaribuApp.Start(app.Database);
        using var admin = app.Admin();
        using var otherAdmin = other.Admin();

        var first = await SendAsync(admin, Organizations, Tenants.NairobiSalon(), "retry-elsewhere");
        var second = await SendAsync(otherAdmin, Organizations, Tenants.NairobiSalon(), "retry-elsewhere");

        await first.AssertStatusAsync(201);
        await second.AssertStatusAsync(201);
        Assert.Equal("true", second.Headers.GetValues(Replayed).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync(app, db => db.Organizations));
    }

    [Fact]
    public async Task WithoutAKey_TheSamePostTwice_CreatesTwoRows()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        var first = await (await admin.PostJsonAsync(Organizations, Tenants.MexicoBarbershop())).AssertStatusAsync(201);
        var second = await (await admin.PostJsonAsync(Organizations, Tenants.MexicoBarbershop())).AssertStatusAsync(201);

        Assert.NotEqual(first.Id(), second.Id());
        Assert.Equal(2, await CountAsync(app, db => db.Organizations));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SameKey_WithADifferentBodyOrPath_Returns422_AndDoesNothing(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();
        var tenant = (await (await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("A"), "k-1")).AssertStatusAsync(201)).Id();

        var otherBody = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("B"), "k-1");
        var otherPath = await SendAsync(admin, $"{Organizations}/{tenant}/api-keys", new { name = "A" }, "k-1");

        var problem = await otherBody.AssertProblemAsync(422);
        Assert.Contains("Idempotency-Key", problem.Str("title"), StringComparison.Ordinal);
        Assert.False(otherBody.Headers.Contains(Replayed));
        await otherPath.AssertProblemAsync(422);
        Assert.Equal(1, await CountAsync(app, db => db.Organizations));
        Assert.Equal(1, await CountAsync(app, db => db.ApiKeys));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DifferentCallers_WithTheSameKey_DoNotCollide(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));
        using var clientA = app.Client(a.ApiKey);
        using var clientB = app.Client(b.ApiKey);

        var forA = await SendAsync(clientA, $"{a.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 }, "shared-key");
        var forB = await SendAsync(clientB, $"{b.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 }, "shared-key");

        var serviceA = await forA.AssertStatusAsync(201);
        var serviceB = await forB.AssertStatusAsync(201);
        Assert.False(forB.Headers.Contains(Replayed));
        Assert.NotEqual(serviceA.Id(), serviceB.Id());
        Assert.Equal(b.Id, Guid.Parse(serviceB.Str("organization_id")));
        Assert.Equal("KES", serviceB.Str("currency"));
        Assert.Equal(2, await CountAsync(app, db => db.Services));

        // The admin using the same key is yet another caller.
        using var admin = app.Admin();
        await (await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("C"), "shared-key")).AssertStatusAsync(201);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A400Response_IsReplayedToo(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();
        var bad = new
        {
            name = "Barbería", business_type = "barbershop", timezone = "Mars/Olympus", locale = "es-MX", currency = "MXN", country_code = "MX",
        };

        var first = await SendAsync(admin, Organizations, bad, "bad-1");
        var second = await SendAsync(admin, Organizations, bad, "bad-1");

        await first.AssertFieldErrorAsync("timezone");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        await second.AssertFieldErrorAsync("timezone");
        Assert.Equal("true", second.Headers.GetValues(Replayed).Single());
        Assert.Equal(0, await CountAsync(app, db => db.Organizations));
    }

    [Fact]
    public async Task MalformedJson_UnderAKey_IsAnsweredWith400EveryTime()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        foreach (var attempt in new[] { 1, 2 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Organizations)
            {
                Content = new StringContent("""{"name": "Barbería", """, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "broken-json");
            var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Attempt {attempt}: {(int)response.StatusCode} '{text}'");
            await response.AssertProblemAsync(400);
        }

        // Once the body is fixed it can go through (under a new key, or this one: nothing was kept).
        await (await SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), "broken-json")).AssertStatusAsync(201);
    }

    [Fact]
    public async Task KeyLongerThan255Characters_Returns400NamingTheHeader_AndDoesNothing()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        var tooLong = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), new string('k', 256));
        var longest = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), new string('k', 255));

        await tooLong.AssertFieldErrorAsync("Idempotency-Key");
        await longest.AssertStatusAsync(201);
        Assert.Equal(1, await CountAsync(app, db => db.Organizations));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task After24Hours_TheKeyCanBeUsedForANewRequest(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();
        var first = await (await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("A"), "daily")).AssertStatusAsync(201);

        app.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var stillReplayed = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("A"), "daily");
        var stillTaken = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("B"), "daily");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("B"), "daily");
        var freshReplayed = await SendAsync(admin, Organizations, Tenants.MexicoBarbershop("B"), "daily");

        Assert.Equal(first.Id(), (await stillReplayed.AssertStatusAsync(201)).Id());
        Assert.True(stillReplayed.Headers.Contains(Replayed));
        await stillTaken.AssertProblemAsync(422);
        var second = await fresh.AssertStatusAsync(201);
        Assert.False(fresh.Headers.Contains(Replayed));
        Assert.NotEqual(first.Id(), second.Id());
        Assert.Equal("B", second.Str("name"));
        Assert.Equal(second.Id(), (await freshReplayed.AssertStatusAsync(201)).Id());
        Assert.True(freshReplayed.Headers.Contains(Replayed));
        Assert.Equal(2, await CountAsync(app, db => db.Organizations));
    }

    [Fact]
    public async Task OnlyPostIsIdempotent_APatchWithAKeyRunsEachTime()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        client.DefaultRequestHeaders.Add("Idempotency-Key", "patch-1");

        var first = await client.PatchJsonAsync(tenant.Path, new { name = "Uno" });
        var second = await client.PatchJsonAsync(tenant.Path, new { name = "Dos" });

        await first.AssertStatusAsync(200);
        Assert.Equal("Dos", (await second.AssertStatusAsync(200)).Str("name"));
        Assert.False(second.Headers.Contains(Replayed));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConcurrentCopies_OfOneRequest_DoTheWorkOnce(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(admin, Organizations, Tenants.MexicoBarbershop(), "race")));

        var created = new List<Guid>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {text}");
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created.Add((await response.ReadJsonAsync()).Id());
            }
        }

        Assert.NotEmpty(created);
        Assert.Single(created.Distinct());
        Assert.Equal(1, await CountAsync(app, db => db.Organizations));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static async Task<int> CountAsync<T>(KaribuApp app, Func<KaribuDb, IQueryable<T>> rows) where T : class
    {
        var (db, scope) = app.Db();
        using (scope)
        {
            return await rows(db).IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync();
        }
    }
}
