using System.Text;
using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Staff;

/// <summary>/api/v1/organizations/{org_id}/staff over HTTP: phones in E.164, roles, permissions, the services each person offers.</summary>
public sealed class StaffEndpointsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithAMexicanNationalPhone_StoresE164AndDefaults(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/staff", new { name = " Luis ", phone_number = "55 1234 5678" });

        var created = await response.AssertStatusAsync(201);
        Assert.Equal($"{tenant.Path}/staff/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(tenant.Id, Guid.Parse(created.Str("organization_id")));
        Assert.Equal("Luis", created.Str("name"));
        Assert.Equal("+525512345678", created.Str("phone_number"));
        Assert.Equal("employee", created.Str("role"));
        Assert.Empty(created["permissions"]!.AsArray());
        Assert.Null(created["service_ids"]);
        Assert.True(created["offers_all_services"]!.GetValue<bool>());
        Assert.True(created["is_active"]!.GetValue<bool>());
        Assert.Equal("2026-11-21T09:00:00-06:00", created.Str("created_at"));

        var fetched = await (await client.GetAsync(response.Headers.Location)).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [InlineData("0712 345 678")]
    [InlineData("+254712345678")]
    public async Task Create_WithAKenyanPhone_StoresE164(string phone)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Wanjiku", phone_number = phone })).AssertStatusAsync(201);

        Assert.Equal("+254712345678", created.Str("phone_number"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithAPhoneAlreadyUsedInAnotherFormat_Returns409(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Wanjiku", phone_number = "0712 345 678" })).AssertStatusAsync(201);

        var body = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Akinyi", phone_number = "+254712345678" })).AssertProblemAsync(409);

        Assert.Contains("+254712345678", body.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(1, await CountStaffAsync(app, tenant));
    }

    [Fact]
    public async Task Create_TheSamePhoneInTwoBusinesses_IsAllowed()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync(Tenants.NairobiSalon("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));

        foreach (var tenant in new[] { a, b })
        {
            using var client = app.Client(tenant.ApiKey);
            var created = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Wanjiku", phone_number = "0712 345 678" })).AssertStatusAsync(201);
            Assert.Equal("+254712345678", created.Str("phone_number"));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_AsOwnerWithPermissions_StoresThem(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/staff", new
        {
            name = "Doña Carmen",
            phone_number = "55 1234 5678",
            role = "owner",
            permissions = new List<string> { "view_reports", "manage_staff", "view_reports" },
        })).AssertStatusAsync(201);

        Assert.Equal("owner", created.Str("role"));
        Assert.Equal(["view_reports", "manage_staff"], Strings(created["permissions"]!));
        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{created.Id()}")).AssertStatusAsync(200);
        Assert.Equal(["view_reports", "manage_staff"], Strings(fetched["permissions"]!));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"phone_number":"55 1234 5678"}""", "name" },
        { """{"name":"","phone_number":"55 1234 5678"}""", "name" },
        { $$"""{"name":"{{new string('a', 201)}}","phone_number":"55 1234 5678"}""", "name" },
        { """{"name":"Luis"}""", "phone_number" },
        { """{"name":"Luis","phone_number":"12345"}""", "phone_number" },
        { """{"name":"Luis","phone_number":"55 1234 5678","role":"boss"}""", "role" },
        { """{"name":"Luis","phone_number":"55 1234 5678","role":1}""", "role" },
        { """{"name":"Luis","phone_number":"55 1234 5678","permissions":["manage_staff","fly"]}""", "permissions" },
        { """{"name":"Luis","phone_number":"55 1234 5678","permissions":"manage_staff"}""", "permissions" },
        { """{"name":"Luis","phone_number":"55 1234 5678","service_ids":["corte"]}""", "service_ids[0]" },
        { """{"name":"Luis","phone_number":"55 1234 5678","is_active":"no"}""", "is_active" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Returns400NamingTheField_AndWritesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostRawAsync($"{tenant.Path}/staff", json)).AssertFieldErrorAsync(field);

        Assert.Equal(0, await CountStaffAsync(app, tenant));
    }

    [Fact]
    public async Task Create_WithAnUnknownRole_NamesTheAllowedRoles()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var messages = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1234 5678", role = "boss" }))
            .AssertFieldErrorAsync("role");

        Assert.Contains(messages, m => m.Contains("owner", StringComparison.Ordinal) && m.Contains("employee", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithAnUnknownServiceId_Returns404NamingServiceIds_AndWritesNothing(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");

        var body = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1234 5678", service_ids = new[] { haircut, Guid.CreateVersion7() } }))
            .AssertProblemAsync(404);

        Assert.True(body["errors"]!.AsObject().ContainsKey("service_ids"), body.ToJsonString());
        Assert.Equal(0, await CountStaffAsync(app, tenant));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithServiceIds_OffersOnlyThoseServices(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");
        var beard = await CreateServiceAsync(client, tenant, "Barba");
        await CreateServiceAsync(client, tenant, "Tinte");

        var created = await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1234 5678", service_ids = new[] { beard, haircut, beard } }))
            .AssertStatusAsync(201);

        Assert.False(created["offers_all_services"]!.GetValue<bool>());
        Assert.Equal([beard, haircut], Guids(created["service_ids"]!));
        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{created.Id()}")).AssertStatusAsync(200);
        Assert.False(fetched["offers_all_services"]!.GetValue<bool>());
        Assert.Equal([beard, haircut], Guids(fetched["service_ids"]!));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_WithServiceIdsNull_OffersEveryServiceAgain(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");
        var id = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1234 5678", service_ids = new[] { haircut } })).AssertStatusAsync(201)).Id();

        var patched = await (await client.PatchRawAsync($"{tenant.Path}/staff/{id}", """{"service_ids":null}""")).AssertStatusAsync(200);

        Assert.True(patched["offers_all_services"]!.GetValue<bool>());
        Assert.Null(patched["service_ids"]);
        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{id}")).AssertStatusAsync(200);
        Assert.True(fetched["offers_all_services"]!.GetValue<bool>());
        Assert.Null(fetched["service_ids"]);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_WithoutServiceIds_LeavesThemUnchanged(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");
        var id = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1234 5678", service_ids = new[] { haircut } })).AssertStatusAsync(201)).Id();

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{id}", new { name = "Luis Ángel", role = "owner", permissions = new List<string> { "view_reports" } })).AssertStatusAsync(200);

        Assert.Equal("Luis Ángel", patched.Str("name"));
        Assert.Equal("owner", patched.Str("role"));
        Assert.Equal(["view_reports"], Strings(patched["permissions"]!));
        Assert.Equal("+525512345678", patched.Str("phone_number"));
        Assert.False(patched["offers_all_services"]!.GetValue<bool>());
        Assert.Equal([haircut], Guids(patched["service_ids"]!));
        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{id}")).AssertStatusAsync(200);
        Assert.Equal(patched.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Patch_WithAServiceList_ReplacesTheServices()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");
        var beard = await CreateServiceAsync(client, tenant, "Barba");
        var id = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{id}", new { service_ids = new[] { beard } })).AssertStatusAsync(200);
        Assert.False(patched["offers_all_services"]!.GetValue<bool>());
        Assert.Equal([beard], Guids(patched["service_ids"]!));

        patched = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{id}", new { service_ids = new[] { haircut, beard } })).AssertStatusAsync(200);
        Assert.Equal([haircut, beard], Guids(patched["service_ids"]!));
    }

    [Fact]
    public async Task Patch_WithAnUnknownServiceId_Returns404_AndChangesNothing()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var haircut = await CreateServiceAsync(client, tenant, "Corte");
        var id = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var body = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{id}", new { name = "Otro", service_ids = new[] { haircut, Guid.CreateVersion7() } })).AssertProblemAsync(404);

        Assert.True(body["errors"]!.AsObject().ContainsKey("service_ids"), body.ToJsonString());
        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{id}")).AssertStatusAsync(200);
        Assert.Equal("Luis", fetched.Str("name"));
        Assert.True(fetched["offers_all_services"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"role":"boss"}""", "role")]
    [InlineData("""{"permissions":["fly"]}""", "permissions")]
    [InlineData("""{"phone_number":"12345"}""", "phone_number")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"service_ids":"all"}""", "service_ids")]
    [InlineData("""{"service_ids":["corte"]}""", "service_ids")]
    public async Task Patch_WithInvalidInput_Returns400NamingTheField_AndChangesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        await client.AssertPatchRefusedAsync($"{tenant.Path}/staff/{id}", json, field);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_PhoneToAnotherStaffMembersInAnotherFormat_Returns409(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        await CreateStaffAsync(client, tenant, "Wanjiku", "0712 345 678");
        var other = await CreateStaffAsync(client, tenant, "Akinyi", "0722 123 456");

        await (await client.PatchJsonAsync($"{tenant.Path}/staff/{other}", new { phone_number = "+254712345678" })).AssertProblemAsync(409);

        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{other}")).AssertStatusAsync(200);
        Assert.Equal("+254722123456", fetched.Str("phone_number"));
    }

    [Fact]
    public async Task Patch_PhoneToTheirOwnNumberInAnotherFormat_IsAccepted()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateStaffAsync(client, tenant, "Wanjiku", "0712 345 678");

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{id}", new { phone_number = "+254712345678" })).AssertStatusAsync(200);

        Assert.Equal("+254712345678", patched.Str("phone_number"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delete_DeactivatesTheStaffMember_AndListHidesThem(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var luis = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");
        var pedro = await CreateStaffAsync(client, tenant, "Pedro", "55 8765 4321");

        await (await client.DeleteAsync($"{tenant.Path}/staff/{pedro}")).AssertStatusAsync(204);

        var fetched = await (await client.GetAsync($"{tenant.Path}/staff/{pedro}")).AssertStatusAsync(200);
        Assert.False(fetched["is_active"]!.GetValue<bool>());
        Assert.Equal([luis], Ids(await (await client.GetAsync($"{tenant.Path}/staff")).AssertStatusAsync(200)));
        Assert.Equal(new[] { luis, pedro }.Order(), Ids(await (await client.GetAsync($"{tenant.Path}/staff?include_inactive=true")).AssertStatusAsync(200)).Order());
        Assert.Equal(2, await CountStaffAsync(app, tenant));
    }

    [Fact]
    public async Task Patch_IsActiveFalse_HidesThemFromTheList()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var luis = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/staff/{luis}", new { is_active = false })).AssertStatusAsync(200);

        Assert.False(patched["is_active"]!.GetValue<bool>());
        Assert.Empty(Ids(await (await client.GetAsync($"{tenant.Path}/staff")).AssertStatusAsync(200)));
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
        await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var request = new HttpRequestMessage(new HttpMethod(method), $"{tenant.Path}/staff/{Guid.CreateVersion7()}");
        if (method == "PATCH")
        {
            request.Content = new StringContent("""{"name":"Otro"}""", Encoding.UTF8, "application/json");
        }

        var body = await (await client.SendAsync(request)).AssertProblemAsync(404);
        Assert.Equal("No such staff member.", body.Str("detail"));
    }

    [Fact]
    public async Task NonGuidId_Returns404()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/staff/luis")).AssertProblemAsync(404);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    public async Task List_WithInvalidPaging_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/staff?{query}")).AssertFieldErrorAsync(field);
    }

    private static async Task<Guid> CreateServiceAsync(HttpClient client, Tenant tenant, string name) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/services", new { name, duration_minutes = 30, price_cents = 10000 })).AssertStatusAsync(201)).Id();

    private static async Task<Guid> CreateStaffAsync(HttpClient client, Tenant tenant, string name, string phone) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name, phone_number = phone })).AssertStatusAsync(201)).Id();

    private static List<Guid> Ids(JsonNode page) => page["data"]!.AsArray().Select(s => s!.Id()).ToList();

    private static List<Guid> Guids(JsonNode array) => array.AsArray().Select(g => Guid.Parse(g!.GetValue<string>())).ToList();

    private static List<string> Strings(JsonNode array) => array.AsArray().Select(s => s!.GetValue<string>()).ToList();

    private static async Task<int> CountStaffAsync(KaribuApp app, Tenant tenant)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await db.Staff.CountAsync();
        }
    }
}
