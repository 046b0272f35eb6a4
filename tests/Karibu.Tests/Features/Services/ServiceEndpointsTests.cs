using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Services;

/// <summary>/api/v1/organizations/{org_id}/services over HTTP: create, read, list, change, deactivate, and refusals.</summary>
public sealed class ServiceEndpointsTests
{
    private static readonly object Haircut = new { name = "Corte de cabello", duration_minutes = 30, price_cents = 25000 };

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithTheRequiredFields_Returns201WithLocationAndDefaults(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/services", new { name = "  Corte de cabello ", duration_minutes = 30, price_cents = 25000 });

        var created = await response.AssertStatusAsync(201);
        Assert.Equal($"{tenant.Path}/services/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(tenant.Id, Guid.Parse(created.Str("organization_id")));
        Assert.Equal("Corte de cabello", created.Str("name"));
        Assert.Null(created["description"]);
        Assert.Equal(30, created["duration_minutes"]!.GetValue<int>());
        Assert.Equal(25000, created["price_cents"]!.GetValue<long>());
        Assert.Equal("MXN", created.Str("currency"));
        Assert.True(created["is_active"]!.GetValue<bool>());
        Assert.Equal(0, created["buffer_after_minutes"]!.GetValue<int>());
        Assert.Null(created["rebook_interval_days"]);
        // 15:00 UTC shown in Mexico City (UTC-6 all year).
        Assert.Equal("2026-11-21T09:00:00-06:00", created.Str("created_at"));

        var fetched = await (await client.GetAsync(response.Headers.Location)).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_ForAKenyanBusiness_DefaultsToKes_AndKeepsEveryGivenField(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/services", new
        {
            name = "Box braids",
            description = "Waist length, client brings hair",
            duration_minutes = 1440,
            price_cents = 0,
            is_active = false,
            buffer_after_minutes = 15,
            rebook_interval_days = 42,
        })).AssertStatusAsync(201);

        Assert.Equal("KES", created.Str("currency"));
        Assert.Equal("Waist length, client brings hair", created.Str("description"));
        Assert.Equal(1440, created["duration_minutes"]!.GetValue<int>());
        Assert.Equal(0, created["price_cents"]!.GetValue<long>());
        Assert.False(created["is_active"]!.GetValue<bool>());
        Assert.Equal(15, created["buffer_after_minutes"]!.GetValue<int>());
        Assert.Equal(42, created["rebook_interval_days"]!.GetValue<int>());
        Assert.Equal("2026-11-21T18:00:00+03:00", created.Str("created_at"));
    }

    [Fact]
    public async Task Create_WithTheBusinesssCurrencyInLowerCase_StoresTheIsoCode()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Barba", duration_minutes = 1, price_cents = 15000, currency = "mxn" })).AssertStatusAsync(201);

        Assert.Equal("MXN", created.Str("currency"));
        Assert.Equal(1, created["duration_minutes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_WithANameOf200Characters_IsAccepted()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var name = new string('a', 200);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name, duration_minutes = 30, price_cents = 100 })).AssertStatusAsync(201);

        Assert.Equal(name, created.Str("name"));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"name":"","duration_minutes":30,"price_cents":25000}""", "name" },
        { """{"name":"   ","duration_minutes":30,"price_cents":25000}""", "name" },
        { """{"duration_minutes":30,"price_cents":25000}""", "name" },
        { $$"""{"name":"{{new string('a', 201)}}","duration_minutes":30,"price_cents":25000}""", "name" },
        { """{"name":"Corte","duration_minutes":0,"price_cents":25000}""", "duration_minutes" },
        { """{"name":"Corte","duration_minutes":-5,"price_cents":25000}""", "duration_minutes" },
        { """{"name":"Corte","duration_minutes":1441,"price_cents":25000}""", "duration_minutes" },
        { """{"name":"Corte","price_cents":25000}""", "duration_minutes" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":-1}""", "price_cents" },
        { """{"name":"Corte","duration_minutes":30}""", "price_cents" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"currency":"USD"}""", "currency" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"currency":"XYZ"}""", "currency" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"currency":"pesos"}""", "currency" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"buffer_after_minutes":-1}""", "buffer_after_minutes" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"rebook_interval_days":0}""", "rebook_interval_days" },
        { """{"name":"Corte","duration_minutes":"thirty","price_cents":25000}""", "duration_minutes" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":250.5}""", "price_cents" },
        { """{"name":42,"duration_minutes":30,"price_cents":25000}""", "name" },
        { """{"name":"Corte","duration_minutes":30,"price_cents":25000,"is_active":"yes"}""", "is_active" },
        { """{"name":"Corte","duration_minutes":30,""", "body" },
        { """[{"name":"Corte","duration_minutes":30,"price_cents":25000}]""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Returns400NamingTheField_AndWritesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var messages = await (await client.PostRawAsync($"{tenant.Path}/services", json)).AssertFieldErrorAsync(field);

        Assert.NotEmpty(messages);
        Assert.Equal(0, await CountServicesAsync(app, tenant));
    }

    [Theory]
    [InlineData("POST", """{"name":"Corte","duration_minutes":30,"price_cents":25000,"colour":"red"}""", "colour")]
    [InlineData("POST", """{"name":"Corte","durationMinutes":30,"price_cents":25000}""", "durationMinutes")]
    [InlineData("PATCH", """{"colour":"red"}""", "colour")]
    public async Task UnknownField_Returns400NamingTheField_AndWritesNothing(string method, string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, Haircut);
        var before = await (await client.GetAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(200);

        var response = method == "POST"
            ? await client.PostRawAsync($"{tenant.Path}/services", json)
            : await client.PatchRawAsync($"{tenant.Path}/services/{id}", json);

        var body = await response.AssertProblemAsync(400);
        var key = Assert.Single(body["errors"]!.AsObject()).Key;
        // Hosting/ErrorHandling currently names the field twice ("colour.colour"); once it names it
        // once, this becomes AssertFieldErrorAsync(field).
        Assert.StartsWith(field, key, StringComparison.Ordinal);
        Assert.Equal(1, await CountServicesAsync(app, tenant));
        var after = await (await client.GetAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(200);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task Create_WithNegativePrice_Returns400NamingTheField()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = -100 });

        var body = await response.AssertProblemAsync(400);
        Assert.Equal(["price_cents"], body["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await CountServicesAsync(app, tenant));
    }

    [Fact]
    public async Task Create_WithAnotherCurrencyThanTheBusinesss_Returns400NamingCurrency()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var messages = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 2500, currency = "USD" }))
            .AssertFieldErrorAsync("currency");

        Assert.Contains(messages, m => m.Contains("MXN", StringComparison.Ordinal));
        Assert.Equal(0, await CountServicesAsync(app, tenant));
    }

    [Fact]
    public async Task Create_WithSeveralProblems_NamesEveryField()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var body = await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "", duration_minutes = 0, price_cents = -1, currency = "USD" }))
            .AssertProblemAsync(400);

        Assert.Equal(["currency", "duration_minutes", "name", "price_cents"], body["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Create_WithAnEmptyBody_Returns400()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostRawAsync($"{tenant.Path}/services", "")).AssertProblemAsync(400);

        Assert.Equal(0, await CountServicesAsync(app, tenant));
    }

    [Fact]
    public async Task Create_WithABodyOverOneMegabyte_Returns413()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var json = JsonSerializerFor(new { name = "Corte", description = new string('x', 1024 * 1024), duration_minutes = 30, price_cents = 100 });

        await (await client.PostRawAsync($"{tenant.Path}/services", json)).AssertProblemAsync(413);

        Assert.Equal(0, await CountServicesAsync(app, tenant));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_HidesInactiveServices_UnlessIncludeInactive(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var active = await CreateAsync(client, tenant, new { name = "Corte", duration_minutes = 30, price_cents = 25000 });
        var createdInactive = await CreateAsync(client, tenant, new { name = "Tinte", duration_minutes = 90, price_cents = 80000, is_active = false });
        var deactivated = await CreateAsync(client, tenant, new { name = "Barba", duration_minutes = 20, price_cents = 15000 });
        await (await client.DeleteAsync($"{tenant.Path}/services/{deactivated}")).AssertStatusAsync(204);

        var list = await (await client.GetAsync($"{tenant.Path}/services")).AssertStatusAsync(200);
        Assert.Equal([active], Ids(list));
        Assert.False(list["has_more"]!.GetValue<bool>());

        var all = await (await client.GetAsync($"{tenant.Path}/services?include_inactive=true")).AssertStatusAsync(200);
        Assert.Equal(new[] { active, createdInactive, deactivated }.Order(), Ids(all).Order());

        var activeOnly = await (await client.GetAsync($"{tenant.Path}/services?include_inactive=false")).AssertStatusAsync(200);
        Assert.Equal([active], Ids(activeOnly));
    }

    [Fact]
    public async Task List_PagesWithLimitAndStartingAfter()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(client, tenant, new { name = $"Servicio {i}", duration_minutes = 30, price_cents = 100 });
        }

        var all = Ids(await (await client.GetAsync($"{tenant.Path}/services")).AssertStatusAsync(200));
        var first = await (await client.GetAsync($"{tenant.Path}/services?limit=2")).AssertStatusAsync(200);
        Assert.True(first["has_more"]!.GetValue<bool>());
        var second = await (await client.GetAsync($"{tenant.Path}/services?limit=2&starting_after={Ids(first)[^1]}")).AssertStatusAsync(200);
        Assert.False(second["has_more"]!.GetValue<bool>());

        Assert.Equal(3, all.Count);
        Assert.Equal(all, Ids(first).Concat(Ids(second)));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    [InlineData("include_inactive=maybe", "include_inactive")]
    public async Task List_WithInvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/services?{query}")).AssertFieldErrorAsync(field);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_ChangesOnlyTheGivenFields(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { name = "Corte", description = "Con tijera", duration_minutes = 30, price_cents = 25000, rebook_interval_days = 21 });
        app.Time.Advance(TimeSpan.FromHours(1));

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/services/{id}", new { price_cents = 30000, name = "Corte clásico" })).AssertStatusAsync(200);

        Assert.Equal("Corte clásico", patched.Str("name"));
        Assert.Equal(30000, patched["price_cents"]!.GetValue<long>());
        Assert.Equal("Con tijera", patched.Str("description"));
        Assert.Equal(30, patched["duration_minutes"]!.GetValue<int>());
        Assert.Equal(21, patched["rebook_interval_days"]!.GetValue<int>());
        Assert.Equal("MXN", patched.Str("currency"));
        Assert.True(patched["is_active"]!.GetValue<bool>());
        Assert.Equal("2026-11-21T09:00:00-06:00", patched.Str("created_at"));
        Assert.Equal("2026-11-21T10:00:00-06:00", patched.Str("updated_at"));

        var fetched = await (await client.GetAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(200);
        Assert.Equal(patched.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Patch_WithAnEmptyDescription_ClearsIt()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { name = "Corte", description = "Con tijera", duration_minutes = 30, price_cents = 25000 });

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/services/{id}", new { description = "" })).AssertStatusAsync(200);

        Assert.Null(patched["description"]);
    }

    [Fact]
    public async Task Patch_IsActiveTrue_ReactivatesADeactivatedService()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, Haircut);
        await (await client.DeleteAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(204);

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/services/{id}", new { is_active = true })).AssertStatusAsync(200);

        Assert.True(patched["is_active"]!.GetValue<bool>());
        Assert.Equal([id], Ids(await (await client.GetAsync($"{tenant.Path}/services")).AssertStatusAsync(200)));
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"duration_minutes":0}""", "duration_minutes")]
    [InlineData("""{"duration_minutes":1441}""", "duration_minutes")]
    [InlineData("""{"price_cents":-5}""", "price_cents")]
    [InlineData("""{"currency":"USD"}""", "currency")]
    [InlineData("""{"currency":"ABC"}""", "currency")]
    [InlineData("""{"duration_minutes":"thirty"}""", "duration_minutes")]
    [InlineData("""{price_cents: 5}""", "body")]
    public async Task Patch_WithInvalidInput_Returns400NamingTheField_AndChangesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, Haircut);

        await client.AssertPatchRefusedAsync($"{tenant.Path}/services/{id}", json, field);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delete_DeactivatesTheService_WhichStaysReadable(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, Haircut);

        var response = await client.DeleteAsync($"{tenant.Path}/services/{id}");

        await response.AssertStatusAsync(204);
        var fetched = await (await client.GetAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(200);
        Assert.False(fetched["is_active"]!.GetValue<bool>());
        Assert.Equal("Corte de cabello", fetched.Str("name"));
        Assert.Empty(Ids(await (await client.GetAsync($"{tenant.Path}/services")).AssertStatusAsync(200)));
        Assert.Equal(1, await CountServicesAsync(app, tenant));

        // Deactivating again is harmless.
        await (await client.DeleteAsync($"{tenant.Path}/services/{id}")).AssertStatusAsync(204);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnknownId_Returns404Problem(string method)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await CreateAsync(client, tenant, Haircut);

        var request = new HttpRequestMessage(new HttpMethod(method), $"{tenant.Path}/services/{Guid.CreateVersion7()}");
        if (method == "PATCH")
        {
            request.Content = JsonContentFor(new { name = "Otro" });
        }

        var body = await (await client.SendAsync(request)).AssertProblemAsync(404);
        Assert.Equal("No such service.", body.Str("detail"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task NonGuidId_Returns404(string method)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var request = new HttpRequestMessage(new HttpMethod(method), $"{tenant.Path}/services/corte-de-cabello");
        if (method == "PATCH")
        {
            request.Content = JsonContentFor(new { name = "Otro" });
        }

        await (await client.SendAsync(request)).AssertProblemAsync(404);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, Tenant tenant, object body) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/services", body)).AssertStatusAsync(201)).Id();

    private static List<Guid> Ids(JsonNode page) => page["data"]!.AsArray().Select(s => s!.Id()).ToList();

    private static async Task<int> CountServicesAsync(KaribuApp app, Tenant tenant)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await db.Services.CountAsync();
        }
    }

    private static string JsonSerializerFor(object body) => JsonSerializer.Serialize(body);

    private static StringContent JsonContentFor(object body) => new(JsonSerializerFor(body), Encoding.UTF8, "application/json");
}
