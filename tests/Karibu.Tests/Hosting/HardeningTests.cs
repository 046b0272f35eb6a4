using Karibu.Data;
using Karibu.Hosting;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Hosting;

public sealed class HardeningTests
{
    [Fact]
    public async Task Patch_Status_WithATenantKey_IsRefused_AndWithTheAdminKey_Works()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var own = app.Client(tenant.ApiKey);
        await (await own.PatchJsonAsync(tenant.Path, new { status = "active" })).AssertFieldErrorAsync("status");
        var unchanged = await (await own.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal("onboarding", unchanged.Str("status"));

        using var admin = app.Admin();
        var suspended = await (await admin.PatchJsonAsync(tenant.Path, new { status = "suspended" })).AssertStatusAsync(200);
        Assert.Equal("suspended", suspended.Str("status"));
    }

    [Fact]
    public async Task NumbersSentAsStrings_AreAWrongType()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostRawAsync($"{tenant.Path}/services", """{"name":"Corte","duration_minutes":"30","price_cents":100}"""))
            .AssertFieldErrorAsync("duration_minutes");
    }

    [Fact]
    public async Task UnknownField_IsNamedOnce()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostRawAsync($"{tenant.Path}/services", """{"name":"Corte","duration_minutes":30,"price_cents":100,"colour":"red"}"""))
            .AssertFieldErrorAsync("colour");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AccentedTags_UpToTheLimit_AreStored(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var tags = Enumerable.Range(0, 20).Select(i => new string('ñ', 48) + (char)('a' + i)).ToArray();
        var body = await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 4444 5555", tags })).AssertStatusAsync(201);
        Assert.Equal(20, body["tags"]!.AsArray().Count);
    }

    [Fact]
    public void Ids_IncreaseStrictly_EvenWithinOneMillisecond()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 20_000).Select(_ => Ids.NewId()).ToList();
        var after = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.InRange(id.Variant, 8, 11); // RFC 9562: variant bits 10.
            var bytes = id.ToByteArray(bigEndian: true);
            Assert.InRange(((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5], before, after);
        });
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(ids[i].CompareTo(ids[i - 1]) > 0, $"id {i} does not sort after id {i - 1}");
            Assert.True(string.CompareOrdinal(ids[i].ToString(), ids[i - 1].ToString()) > 0);
            Assert.Equal(7, ids[i].Version);
        }
    }

    [Fact]
    public async Task IdempotencyCleanup_ForgetsExpiredResponsesOnly()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.Path}/services")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "Corte", duration_minutes = 30, price_cents = 100 }),
        };
        request.Headers.Add("Idempotency-Key", "cleanup-1");
        await (await client.SendAsync(request)).AssertStatusAsync(201);

        var cleanup = app.Services.GetRequiredService<IdempotencyCleanup>();
        Assert.Equal(0, await cleanup.DeleteExpiredAsync(CancellationToken.None));
        app.Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(1, await cleanup.DeleteExpiredAsync(CancellationToken.None));

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(0, await db.IdempotencyRecords.CountAsync());
        }
    }
}
