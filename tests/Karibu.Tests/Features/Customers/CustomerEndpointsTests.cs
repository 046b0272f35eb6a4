using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Customers;

/// <summary>/api/v1/organizations/{org_id}/customers over HTTP: phone-first customers, search, paging, and the platform-wide person behind them.</summary>
public sealed class CustomerEndpointsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithOnlyAPhone_Returns201WithE164AndDefaults(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 1234 5678" });

        var created = await response.AssertStatusAsync(201);
        Assert.Equal($"{tenant.Path}/customers/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(tenant.Id, Guid.Parse(created.Str("organization_id")));
        Assert.Equal("+525512345678", created.Str("phone_number"));
        Assert.Null(created["name"]);
        Assert.Null(created["email"]);
        Assert.Null(created["notes"]);
        Assert.Empty(created["tags"]!.AsArray());
        Assert.Equal(0, created["visit_count"]!.GetValue<int>());
        Assert.Null(created["last_visit"]);
        Assert.False(created["marketing_opted_out"]!.GetValue<bool>());
        Assert.False(created["opted_out"]!.GetValue<bool>());
        Assert.Equal("api", created.Str("source"));
        Assert.Equal("2026-11-21T09:00:00-06:00", created.Str("created_at"));

        var fetched = await (await client.GetAsync(response.Headers.Location)).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithNameEmailNotesAndTags_StoresThem(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);

        var created = await (await client.PostJsonAsync($"{tenant.Path}/customers", new
        {
            phone_number = "0712 345 678",
            name = " Njeri Wambui ",
            email = "njeri@example.co.ke",
            notes = "Prefers Saturday mornings",
            tags = new List<string> { " vip ", "VIP", "braids", "" },
            contact_cadence_days = 28,
        })).AssertStatusAsync(201);

        Assert.Equal("+254712345678", created.Str("phone_number"));
        Assert.Equal("Njeri Wambui", created.Str("name"));
        Assert.Equal("njeri@example.co.ke", created.Str("email"));
        Assert.Equal("Prefers Saturday mornings", created.Str("notes"));
        Assert.Equal(["vip", "braids"], Strings(created["tags"]!));
        Assert.Equal(28, created["contact_cadence_days"]!.GetValue<int>());
        Assert.Equal("2026-11-21T18:00:00+03:00", created.Str("created_at"));

        var fetched = await (await client.GetAsync($"{tenant.Path}/customers/{created.Id()}")).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithAPhoneAlreadyUsedInAnotherFormat_Returns409(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var first = await CreateAsync(client, tenant, new { phone_number = "0712 345 678", name = "Njeri" });

        var body = await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "+254712345678", name = "Someone else" })).AssertProblemAsync(409);

        Assert.Contains(first.ToString(), body.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(1, await CountCustomersAsync(app, tenant));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{}""", "phone_number" },
        { """{"name":"Ana"}""", "phone_number" },
        { """{"phone_number":"12345"}""", "phone_number" },
        { """{"phone_number":5512345678}""", "phone_number" },
        { """{"phone_number":"55 1234 5678","name":""}""", "name" },
        { $$"""{"phone_number":"55 1234 5678","name":"{{new string('a', 201)}}"}""", "name" },
        { """{"phone_number":"55 1234 5678","email":"ana"}""", "email" },
        { """{"phone_number":"55 1234 5678","email":"ana@"}""", "email" },
        { """{"phone_number":"55 1234 5678","email":"ana@correo"}""", "email" },
        { """{"phone_number":"55 1234 5678","email":"@correo.mx"}""", "email" },
        { """{"phone_number":"55 1234 5678","email":"ana@@correo.mx"}""", "email" },
        { """{"phone_number":"55 1234 5678","email":"ana maria@correo.mx"}""", "email" },
        { """{"phone_number":"55 1234 5678","contact_cadence_days":0}""", "contact_cadence_days" },
        { """{"phone_number":"55 1234 5678","contact_cadence_days":366}""", "contact_cadence_days" },
        { """{"phone_number":"55 1234 5678","tags":"vip"}""", "tags" },
        { $$"""{"phone_number":"55 1234 5678","tags":["{{new string('t', 51)}}"]}""", "tags" },
        { $$"""{"phone_number":"55 1234 5678","tags":[{{string.Join(",", Enumerable.Range(1, 21).Select(i => $"\"tag{i}\""))}}]}""", "tags" },
        { $$"""{"phone_number":"55 1234 5678","notes":"{{new string('n', 2001)}}"}""", "notes" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Returns400NamingTheField_AndWritesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostRawAsync($"{tenant.Path}/customers", json)).AssertFieldErrorAsync(field);

        Assert.Equal(0, await CountCustomersAsync(app, tenant));
        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(0, await db.People.CountAsync());
        }
    }

    [Fact]
    public async Task Create_WithAnInvalidEmail_Returns400NamingEmail()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var messages = await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 1234 5678", email = "ana.correo.mx" })).AssertFieldErrorAsync("email");

        Assert.Contains(messages, m => m.Contains("ana.correo.mx", StringComparison.Ordinal));
        Assert.Equal(0, await CountCustomersAsync(app, tenant));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_ByPhoneInNationalOrE164Format_FindsTheCustomer(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var njeri = await CreateAsync(client, tenant, new { phone_number = "+254712345678", name = "Njeri" });
        await CreateAsync(client, tenant, new { phone_number = "0722 123 456", name = "Akinyi" });

        foreach (var phone in new[] { "0712 345 678", "0712345678", "+254712345678" })
        {
            var page = await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString(phone)}")).AssertStatusAsync(200);
            Assert.Equal([njeri], Ids(page));
            Assert.False(page["has_more"]!.GetValue<bool>());
        }

        var none = await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString("0733 999 888")}")).AssertStatusAsync(200);
        Assert.Empty(Ids(none));
    }

    [Fact]
    public async Task List_ByAnInvalidPhone_Returns400NamingPhone()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/customers?phone=12345")).AssertFieldErrorAsync("phone");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_ByNameFragment_IsCaseInsensitive_AndKeepsAccents(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var jose = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José Pérez" });
        var maria = await CreateAsync(client, tenant, new { phone_number = "55 2345 6789", name = "María López" });
        var joseLuis = await CreateAsync(client, tenant, new { phone_number = "55 3456 7890", name = "Jose Luis Ramírez" });
        var angeles = await CreateAsync(client, tenant, new { phone_number = "55 5678 9012", name = "ÁNGELES ROMERO" });
        await CreateAsync(client, tenant, new { phone_number = "55 4567 8901" });

        Assert.Equal([jose], await SearchAsync(client, tenant, "josé"));
        Assert.Equal([jose], await SearchAsync(client, tenant, "JOSÉ"));
        Assert.Equal([jose], await SearchAsync(client, tenant, "  pérez "));
        Assert.Equal([jose], await SearchAsync(client, tenant, "PÉREZ"));
        Assert.Equal([maria], await SearchAsync(client, tenant, "maría"));
        Assert.Equal([maria], await SearchAsync(client, tenant, "LóPeZ"));
        Assert.Equal(new[] { jose, joseLuis }.Order(), (await SearchAsync(client, tenant, "jos")).Order());
        Assert.Equal([joseLuis], await SearchAsync(client, tenant, "jose luis"));
        Assert.Empty(await SearchAsync(client, tenant, "Guadalupe"));
        Assert.Empty(await SearchAsync(client, tenant, "%"));
        Assert.Empty(await SearchAsync(client, tenant, "_"));

        // Names typed in capitals are common; an accented capital must match its lower-case search.
        Assert.Equal([angeles], await SearchAsync(client, tenant, "ángeles"));
        Assert.Equal([angeles], await SearchAsync(client, tenant, "Ángeles Romero"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_ByPhoneDigitFragment_FindsTheCustomers(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var njeri = await CreateAsync(client, tenant, new { phone_number = "0712 345 678", name = "Njeri" });
        var akinyi = await CreateAsync(client, tenant, new { phone_number = "0722 345 999", name = "Akinyi" });
        await CreateAsync(client, tenant, new { phone_number = "0733 111 222", name = "Wanjiru" });

        Assert.Equal([njeri], await SearchAsync(client, tenant, "345678"));
        Assert.Equal([njeri], await SearchAsync(client, tenant, "345 678"));
        Assert.Equal([njeri], await SearchAsync(client, tenant, "+254712"));
        Assert.Equal(new[] { njeri, akinyi }.Order(), (await SearchAsync(client, tenant, "345")).Order());
        Assert.Empty(await SearchAsync(client, tenant, "999888"));
    }

    [Fact]
    public async Task List_WithASearchOver200Characters_Returns400NamingQ()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/customers?q={new string('a', 201)}")).AssertFieldErrorAsync("q");
    }

    [Fact]
    public async Task List_ByPhoneAndName_CombinesBoth()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var jose = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José Pérez" });
        await CreateAsync(client, tenant, new { phone_number = "55 2345 6789", name = "José Ramírez" });

        var page = await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString("55 1234 5678")}&q=jos")).AssertStatusAsync(200);
        Assert.Equal([jose], Ids(page));
        page = await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString("55 1234 5678")}&q=ram")).AssertStatusAsync(200);
        Assert.Empty(Ids(page));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_FollowingStartingAfter_VisitsEveryCustomerOnceInAStableOrder(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateAsync(client, tenant, new { phone_number = $"55 1234 567{i}", name = $"Cliente {i}" }));
        }

        var pages = new List<List<Guid>>();
        var url = $"{tenant.Path}/customers?limit=2";
        while (true)
        {
            var page = await (await client.GetAsync(url)).AssertStatusAsync(200);
            pages.Add(Ids(page));
            if (!page["has_more"]!.GetValue<bool>())
            {
                break;
            }

            Assert.True(pages.Count < 5, "Paging did not end.");
            url = $"{tenant.Path}/customers?limit=2&starting_after={pages[^1][^1]}";
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        var walked = pages.SelectMany(p => p).ToList();
        Assert.Equal(walked.Count, walked.Distinct().Count());
        Assert.Equal(created.Order(), walked.Order());

        // The same order as one big page, and again on a second walk.
        var whole = Ids(await (await client.GetAsync($"{tenant.Path}/customers?limit=200")).AssertStatusAsync(200));
        Assert.Equal(whole, walked);
        var again = Ids(await (await client.GetAsync($"{tenant.Path}/customers?limit=2&starting_after={walked[1]}")).AssertStatusAsync(200));
        Assert.Equal(walked.Skip(2).Take(2), again);

        // A page that ends exactly at the last row says so.
        var tail = await (await client.GetAsync($"{tenant.Path}/customers?limit=2&starting_after={walked[2]}")).AssertStatusAsync(200);
        Assert.Equal(walked.Skip(3), Ids(tail));
        Assert.False(tail["has_more"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    public async Task List_WithInvalidPaging_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await CreateAsync(client, tenant, new { phone_number = "55 1234 5678" });

        await (await client.GetAsync($"{tenant.Path}/customers?{query}")).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task List_WithLimit200_IsAccepted()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678" });

        var page = await (await client.GetAsync($"{tenant.Path}/customers?limit=200")).AssertStatusAsync(200);

        Assert.Equal([id], Ids(page));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_PhoneToAnotherCustomers_Returns409_AndChangesNothing(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José" });
        var maria = await CreateAsync(client, tenant, new { phone_number = "55 2345 6789", name = "María" });

        await (await client.PatchJsonAsync($"{tenant.Path}/customers/{maria}", new { phone_number = "+525512345678", name = "María L." })).AssertProblemAsync(409);

        var fetched = await (await client.GetAsync($"{tenant.Path}/customers/{maria}")).AssertStatusAsync(200);
        Assert.Equal("+525523456789", fetched.Str("phone_number"));
        Assert.Equal("María", fetched.Str("name"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_ChangesTheGivenFields_AndANewPhoneMovesToItsPerson(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José", email = "jose@correo.mx", tags = new List<string> { "vip" } });

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/customers/{id}", new { phone_number = "55 8765 4321", notes = "Corte cada 3 semanas" })).AssertStatusAsync(200);

        Assert.Equal("+525587654321", patched.Str("phone_number"));
        Assert.Equal("José", patched.Str("name"));
        Assert.Equal("jose@correo.mx", patched.Str("email"));
        Assert.Equal("Corte cada 3 semanas", patched.Str("notes"));
        Assert.Equal(["vip"], Strings(patched["tags"]!));
        var fetched = await (await client.GetAsync($"{tenant.Path}/customers/{id}")).AssertStatusAsync(200);
        Assert.Equal(patched.ToJsonString(), fetched.ToJsonString());

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var customer = await db.Customers.SingleAsync();
            var person = await db.People.SingleAsync(p => p.Id == customer.PersonId);
            Assert.Equal("+525587654321", person.PhoneNumber);
        }

        // The customer is found by the new number, not the old one.
        Assert.Equal([id], Ids(await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString("55 8765 4321")}")).AssertStatusAsync(200)));
        Assert.Empty(Ids(await (await client.GetAsync($"{tenant.Path}/customers?phone={Uri.EscapeDataString("55 1234 5678")}")).AssertStatusAsync(200)));
    }

    [Fact]
    public async Task Patch_WithEmptyStrings_ClearsNameEmailAndNotes()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José", email = "jose@correo.mx", notes = "x" });

        var patched = await (await client.PatchJsonAsync($"{tenant.Path}/customers/{id}", new { name = "", email = "", notes = "" })).AssertStatusAsync(200);

        Assert.Null(patched["name"]);
        Assert.Null(patched["email"]);
        Assert.Null(patched["notes"]);
    }

    [Theory]
    [InlineData("""{"email":"jose@"}""", "email")]
    [InlineData("""{"phone_number":"12345"}""", "phone_number")]
    [InlineData("""{"contact_cadence_days":0}""", "contact_cadence_days")]
    [InlineData("""{"marketing_opted_out":"yes"}""", "marketing_opted_out")]
    [InlineData("""{"tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags")]
    public async Task Patch_WithInvalidInput_Returns400NamingTheField_AndChangesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678", name = "José", email = "jose@correo.mx" });

        await client.AssertPatchRefusedAsync($"{tenant.Path}/customers/{id}", json, field);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_MarketingOptedOut_TogglesAndSurvivesOtherChanges(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var id = await CreateAsync(client, tenant, new { phone_number = "55 1234 5678" });
        var url = $"{tenant.Path}/customers/{id}";

        var patched = await (await client.PatchJsonAsync(url, new { marketing_opted_out = true })).AssertStatusAsync(200);
        Assert.True(patched["marketing_opted_out"]!.GetValue<bool>());

        patched = await (await client.PatchJsonAsync(url, new { name = "José" })).AssertStatusAsync(200);
        Assert.True(patched["marketing_opted_out"]!.GetValue<bool>());
        Assert.True((await (await client.GetAsync(url)).AssertStatusAsync(200))["marketing_opted_out"]!.GetValue<bool>());

        patched = await (await client.PatchJsonAsync(url, new { marketing_opted_out = false })).AssertStatusAsync(200);
        Assert.False(patched["marketing_opted_out"]!.GetValue<bool>());
        Assert.False((await (await client.GetAsync(url)).AssertStatusAsync(200))["marketing_opted_out"]!.GetValue<bool>());
        Assert.False(patched["opted_out"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_TheSamePhoneInTwoBusinesses_MakesTwoCustomersOfOnePerson(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var mexico = await app.CreateAsync(Tenants.MexicoBarbershop());
        var kenya = await app.CreateAsync(Tenants.NairobiSalon());
        using var mexicoClient = app.Client(mexico.ApiKey);
        using var kenyaClient = app.Client(kenya.ApiKey);

        var inMexico = await CreateAsync(mexicoClient, mexico, new { phone_number = "+254712345678", name = "Njeri (de viaje)" });
        var inKenya = await CreateAsync(kenyaClient, kenya, new { phone_number = "0712 345 678", name = "Njeri" });

        Assert.NotEqual(inMexico, inKenya);
        var (db, scope) = app.Db();
        using (scope)
        {
            var person = await db.People.SingleAsync();
            Assert.Equal("+254712345678", person.PhoneNumber);
            var customers = await db.Customers.IgnoreQueryFilters().Where(c => c.PersonId == person.Id).ToListAsync();
            Assert.Equal(new[] { inMexico, inKenya }.Order(), customers.Select(c => c.Id).Order());
            Assert.Equal(new[] { mexico.Id, kenya.Id }.Order(), customers.Select(c => c.OrganizationId).Order());
        }

        // Each business sees only its own customer.
        Assert.Equal([inMexico], Ids(await (await mexicoClient.GetAsync($"{mexico.Path}/customers")).AssertStatusAsync(200)));
        Assert.Equal([inKenya], Ids(await (await kenyaClient.GetAsync($"{kenya.Path}/customers")).AssertStatusAsync(200)));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_TheSameNewPhoneInSeveralBusinessesAtOnce_MakesOnePersonAndNoConflict(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenants = new List<Tenant>();
        for (var i = 0; i < 6; i++)
        {
            tenants.Add(await app.CreateAsync(Tenants.NairobiSalon($"Salon {i}")));
        }

        var phones = new[] { "+254712345601", "+254712345602", "+254712345603" };
        foreach (var phone in phones)
        {
            var responses = await Task.WhenAll(tenants.Select(async tenant =>
            {
                using var client = app.Client(tenant.ApiKey);
                var response = await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = phone });
                return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }));
            Assert.All(responses, r => Assert.StartsWith("201", r, StringComparison.Ordinal));
        }

        var (db, scope) = app.Db();
        using (scope)
        {
            var people = await db.People.ToListAsync();
            Assert.Equal(phones.Order(), people.Select(p => p.PhoneNumber).Order());
            var customers = await db.Customers.IgnoreQueryFilters().ToListAsync();
            Assert.Equal(tenants.Count * phones.Length, customers.Count);
            Assert.All(customers, c => Assert.Equal(people.Single(p => p.PhoneNumber == c.PhoneNumber).Id, c.PersonId));
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    public async Task UnknownId_Returns404Problem(string method)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await CreateAsync(client, tenant, new { phone_number = "55 1234 5678" });

        var url = $"{tenant.Path}/customers/{Guid.CreateVersion7()}";
        var response = method == "GET" ? await client.GetAsync(url) : await client.PatchJsonAsync(url, new { name = "Otro" });

        var body = await response.AssertProblemAsync(404);
        Assert.Equal("No such customer.", body.Str("detail"));
    }

    [Fact]
    public async Task NonGuidId_Returns404()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/customers/5512345678")).AssertProblemAsync(404);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, Tenant tenant, object body) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/customers", body)).AssertStatusAsync(201)).Id();

    private static async Task<List<Guid>> SearchAsync(HttpClient client, Tenant tenant, string q) =>
        Ids(await (await client.GetAsync($"{tenant.Path}/customers?q={Uri.EscapeDataString(q)}")).AssertStatusAsync(200));

    private static List<Guid> Ids(JsonNode page) => page["data"]!.AsArray().Select(s => s!.Id()).ToList();

    private static List<string> Strings(JsonNode array) => array.AsArray().Select(s => s!.GetValue<string>()).ToList();

    private static async Task<int> CountCustomersAsync(KaribuApp app, Tenant tenant)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await db.Customers.CountAsync();
        }
    }
}
