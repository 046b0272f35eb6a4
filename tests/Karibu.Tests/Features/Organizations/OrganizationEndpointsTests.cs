using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Data;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Organizations;

/// <summary>
/// POST/GET/PATCH /api/v1/organizations, business hours and settings: what the contract in API.md
/// promises about field names, defaults, normalization, validation and audit.
/// </summary>
public sealed class OrganizationEndpointsTests
{
    private const string Organizations = "/api/v1/organizations";

    // ---------------------------------------------------------------- create

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_MexicoBarbershop_Returns201WithLocationAndSnakeCaseBody(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();

        var response = await admin.PostJsonAsync(Organizations, Tenants.MexicoBarbershop("Barbería Centro"));

        var body = await response.AssertStatusAsync(201);
        var id = body.Id();
        Assert.Equal($"{Organizations}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(
            ["api_key", "business_hours", "business_type", "country_code", "created_at", "currency", "id", "locale", "name",
             "phone_number", "plan", "settings", "slug", "status", "timezone", "updated_at", "whatsapp"],
            body.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Barbería Centro", body.Str("name"));
        Assert.Equal("barbershop", body.Str("business_type"));
        Assert.Equal("America/Mexico_City", body.Str("timezone"));
        Assert.Equal("es-MX", body.Str("locale"));
        Assert.Equal("MXN", body.Str("currency"));
        Assert.Equal("MX", body.Str("country_code"));
        Assert.Equal("+525512345678", body.Str("phone_number"));
        Assert.Equal("onboarding", body.Str("status"));
        Assert.Equal("free", body.Str("plan"));
        Assert.Null(body["whatsapp"]);
        Assert.StartsWith("kb_live_", body.Str("api_key"), StringComparison.Ordinal);

        // The fake clock says 2026-11-21T15:00Z: 09:00 in Mexico City (UTC-6, no DST since 2022).
        Assert.Equal("2026-11-21T09:00:00-06:00", body.Str("created_at"));
        Assert.Equal("2026-11-21T09:00:00-06:00", body.Str("updated_at"));

        AssertDefaultBusinessHours(body["business_hours"]!);
        AssertDefaultSettings(body["settings"]!);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_NairobiSalon_NormalizesKenyanPhoneAndShowsNairobiOffset(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();

        var body = await (await admin.PostJsonAsync(Organizations, Tenants.NairobiSalon())).AssertStatusAsync(201);

        Assert.Equal("hair_salon", body.Str("business_type"));
        Assert.Equal("sw-KE", body.Str("locale"));
        Assert.Equal("KES", body.Str("currency"));
        Assert.Equal("KE", body.Str("country_code"));
        Assert.Equal("+254712345678", body.Str("phone_number"));
        Assert.Equal("2026-11-21T18:00:00+03:00", body.Str("created_at"));
    }

    [Fact]
    public async Task Create_WithLegacyMexicanMobilePrefix_StoresTheModernE164()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        // Mexico dropped the mobile "1" after +52 in 2019; WhatsApp still sends it in wa_ids.
        request["phone_number"] = "+5215512345678";

        var body = await (await admin.PostJsonAsync(Organizations, request)).AssertStatusAsync(201);

        Assert.Equal("+525512345678", body.Str("phone_number"));
    }

    [Fact]
    public async Task Create_NormalizesCodesAndTrimsTheName()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop("  Estética Lupita  "));
        request["business_type"] = "Beauty_Salon";
        request["locale"] = "ES-mx";
        request["currency"] = "mxn";
        request["country_code"] = "mx";

        var body = await (await admin.PostJsonAsync(Organizations, request)).AssertStatusAsync(201);

        Assert.Equal("Estética Lupita", body.Str("name"));
        Assert.Equal("beauty_salon", body.Str("business_type"));
        Assert.Equal("es-MX", body.Str("locale"));
        Assert.Equal("MXN", body.Str("currency"));
        Assert.Equal("MX", body.Str("country_code"));
        Assert.Equal("+525512345678", body.Str("phone_number"));
    }

    [Fact]
    public async Task Create_WithA200CharacterName_IsAccepted()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var name = new string('n', 200);

        var body = await (await admin.PostJsonAsync(Organizations, Tenants.MexicoBarbershop(name))).AssertStatusAsync(201);

        Assert.Equal(name, body.Str("name"));
    }

    [Fact]
    public async Task Create_ReturnedApiKey_WorksOnItsOwnOrganizationOnly()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));
        using var clientA = app.Client(a.ApiKey);

        var own = await (await clientA.GetAsync(a.Path)).AssertStatusAsync(200);
        Assert.Equal(a.Id, own.Id());
        Assert.Equal("A", own.Str("name"));
        await (await clientA.GetAsync(b.Path)).AssertProblemAsync(404);
        Assert.NotEqual(a.ApiKey, b.ApiKey);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_WithBusinessHoursAndSettings_StoresThem(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["business_hours"] = JsonNode.Parse("""
            { "tue": [{ "open": "16:00", "close": "20:00" }, { "open": "10:00", "close": "14:00" }], "sat": [{ "open": "09:00", "close": "18:00" }] }
            """);
        request["settings"] = new JsonObject { ["slot_interval_minutes"] = 30, ["auto_confirm_bookings"] = false };

        var created = await (await admin.PostJsonAsync(Organizations, request)).AssertStatusAsync(201);
        using var client = app.Client(created.Str("api_key"));
        var body = await (await client.GetAsync($"{Organizations}/{created.Id()}")).AssertStatusAsync(200);

        var hours = body["business_hours"]!;
        Assert.Equal("""[{"open":"10:00","close":"14:00"},{"open":"16:00","close":"20:00"}]""", hours["tue"]!.ToJsonString());
        Assert.Equal("""[{"open":"09:00","close":"18:00"}]""", hours["sat"]!.ToJsonString());
        foreach (var closed in new[] { "mon", "wed", "thu", "fri", "sun" })
        {
            Assert.Empty(hours[closed]!.AsArray());
        }

        Assert.Equal(30, body["settings"]!["slot_interval_minutes"]!.GetValue<int>());
        Assert.False(body["settings"]!["auto_confirm_bookings"]!.GetValue<bool>());
        Assert.Equal(60, body["settings"]!["min_booking_notice_minutes"]!.GetValue<int>());
    }

    public static TheoryData<string, string?, string> InvalidCreateFields => new()
    {
        // property, raw JSON value (null: leave the property out), field the 400 must name
        { "name", null, "name" },
        { "name", "\"\"", "name" },
        { "name", "\"   \"", "name" },
        { "name", $"\"{new string('a', 201)}\"", "name" },
        { "business_type", "\"bakery\"", "business_type" },
        { "business_type", null, "business_type" },
        { "timezone", "\"Mars/Olympus\"", "timezone" },
        { "timezone", null, "timezone" },
        { "locale", "\"fr-FR\"", "locale" },
        { "currency", "\"XYZ\"", "currency" },
        { "country_code", "\"ZZ\"", "country_code" },
        { "phone_number", "\"12\"", "phone_number" },
        { "phone_number", "\"not a phone\"", "phone_number" },
        { "phone_number", "\"+52 55 1234 5678 9012 3456\"", "phone_number" },
        { "business_hours", """{ "mon": [{ "open": "19:00", "close": "09:00" }] }""", "business_hours.mon[0]" },
        { "business_hours", """{ "mon": [{ "open": "09:00", "close": "09:00" }] }""", "business_hours.mon[0]" },
        { "business_hours", """{ "mon": [{ "open": "09:00", "close": "14:00" }, { "open": "13:00", "close": "18:00" }] }""", "business_hours.mon[1]" },
        { "business_hours", """{ "funday": [{ "open": "09:00", "close": "14:00" }] }""", "business_hours.funday" },
        { "business_hours", """{ "mon": [{ "open": "25:00", "close": "26:00" }] }""", "business_hours.mon[0].open" },
        { "business_hours", """{ "mon": [{ "open": "9am", "close": "17:00" }] }""", "business_hours.mon[0].open" },
        { "business_hours", """{ "mon": [{ "open": "09:00" }] }""", "business_hours.mon[0].close" },
        { "settings", """{ "xyz": 1 }""", "settings.xyz" },
        { "settings", """{ "slot_interval_minutes": 0 }""", "settings.slot_interval_minutes" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreateFields))]
    public async Task Create_WithInvalidField_Returns400NamingTheField_AndWritesNothing(string property, string? rawValue, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        if (rawValue is null)
        {
            request.Remove(property);
        }
        else
        {
            request[property] = JsonNode.Parse(rawValue);
        }

        var messages = await (await admin.PostJsonAsync(Organizations, request)).AssertFieldErrorAsync(field);

        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithSeveralInvalidFields_NamesEachOfThem()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["timezone"] = "Mars/Olympus";
        request["locale"] = "fr-FR";
        request["currency"] = "XYZ";

        var response = await admin.PostJsonAsync(Organizations, request);

        var errors = (await response.AssertProblemAsync(400))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("timezone") && errors.ContainsKey("locale") && errors.ContainsKey("currency"), errors.ToJsonString());
        Assert.Contains("Mars/Olympus", errors["timezone"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(app);
    }

    [Theory]
    [InlineData("""{"name": "Barbería", "business_type": """)]
    [InlineData("""{"name": "Barbería",}""")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    public async Task Create_WithMalformedJson_Returns400Problem(string raw)
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        var response = await admin.PostRawAsync(Organizations, raw);

        var problem = await response.AssertProblemAsync(400);
        Assert.DoesNotContain("   at ", problem.ToJsonString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithEmptyBody_Returns400Problem()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        var response = await admin.PostRawAsync(Organizations, "");

        await response.AssertProblemAsync(400);
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithWrongJsonType_Returns400NamingTheField()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["name"] = 123;

        await (await admin.PostJsonAsync(Organizations, request)).AssertFieldErrorAsync("name");
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithWrongJsonTypeInsideBusinessHours_Returns400NamingTheNestedField()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["business_hours"] = JsonNode.Parse("""{ "mon": [{ "open": 9, "close": "17:00" }] }""");

        await (await admin.PostJsonAsync(Organizations, request)).AssertFieldErrorAsync("business_hours.mon[0].open");
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithUnknownField_Returns400NamingIt()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["time_zone"] = "America/Mexico_City";

        var messages = await (await admin.PostJsonAsync(Organizations, request)).AssertFieldErrorAsync("time_zone");

        Assert.Contains("Unknown field.", messages);
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithUnknownFieldInsideBusinessHours_Returns400NamingIt()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["business_hours"] = JsonNode.Parse("""{ "mon": [{ "open": "09:00", "close": "17:00", "opens": "08:00" }] }""");

        await (await admin.PostJsonAsync(Organizations, request)).AssertFieldErrorAsync("business_hours.mon[0].opens");
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task Create_WithBodyOver1MB_Returns413()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();
        var request = Body(Tenants.MexicoBarbershop());
        request["name"] = new string('a', 1024 * 1024 + 1);

        var response = await admin.PostJsonAsync(Organizations, request);

        await response.AssertProblemAsync(413);
        await AssertNothingWrittenAsync(app);
    }

    // ---------------------------------------------------------------- get

    [Fact]
    public async Task Get_ReturnsTheOrganization_WithoutAnyApiKey()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var body = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);

        Assert.Equal(tenant.Id, body.Id());
        Assert.False(body.AsObject().ContainsKey("api_key"));
        Assert.DoesNotContain(tenant.ApiKey, body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("+525512345678", body.Str("phone_number"));
        Assert.Equal("2026-11-21T09:00:00-06:00", body.Str("created_at"));
        AssertDefaultBusinessHours(body["business_hours"]!);
        AssertDefaultSettings(body["settings"]!);
    }

    [Fact]
    public async Task Get_UnknownOrganization_WithAdminKey_Returns404()
    {
        await using var app = await KaribuApp.StartAsync();
        using var admin = app.Admin();

        await (await admin.GetAsync($"{Organizations}/{Guid.NewGuid()}")).AssertProblemAsync(404);
    }

    // ---------------------------------------------------------------- patch

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_NameTimezoneAndStatus_ChangesOnlyThose(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        // Status belongs to the platform admin; the business itself cannot change it.
        using var client = app.Admin();
        app.Time.Advance(TimeSpan.FromHours(2));

        var patched = await (await client.PatchJsonAsync(tenant.Path, new { name = "Barbería Cancún", timezone = "America/Cancun", status = "active" }))
            .AssertStatusAsync(200);

        Assert.Equal("Barbería Cancún", patched.Str("name"));
        Assert.Equal("America/Cancun", patched.Str("timezone"));
        Assert.Equal("active", patched.Str("status"));
        // Instants now show Cancún's offset (UTC-5).
        Assert.Equal("2026-11-21T10:00:00-05:00", patched.Str("created_at"));
        Assert.Equal("2026-11-21T12:00:00-05:00", patched.Str("updated_at"));
        // Everything not named stays as it was.
        foreach (var unchanged in new[] { "business_type", "locale", "currency", "country_code", "phone_number", "plan" })
        {
            Assert.Equal(tenant.Body[unchanged]!.ToJsonString(), patched[unchanged]!.ToJsonString());
        }

        Assert.Equal(tenant.Body["business_hours"]!.ToJsonString(), patched["business_hours"]!.ToJsonString());
        Assert.Equal(tenant.Body["settings"]!.ToJsonString(), patched["settings"]!.ToJsonString());

        var reread = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(patched.ToJsonString(), reread.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_PhoneNumber_IsNormalizedForTheCountry(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);

        var patched = await (await client.PatchJsonAsync(tenant.Path, new { phone_number = "0722 000 111" })).AssertStatusAsync(200);

        Assert.Equal("+254722000111", patched.Str("phone_number"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_BusinessHours_ReplacesTheWeek(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var patched = await (await client.PatchJsonAsync(tenant.Path, new
        {
            business_hours = new { tue = new[] { new { open = "10:00", close = "20:00" } }, sun = Array.Empty<object>() },
        })).AssertStatusAsync(200);

        var hours = patched["business_hours"]!;
        Assert.Equal("""[{"open":"10:00","close":"20:00"}]""", hours["tue"]!.ToJsonString());
        foreach (var closed in new[] { "mon", "wed", "thu", "fri", "sat", "sun" })
        {
            Assert.Empty(hours[closed]!.AsArray());
        }

        Assert.Equal(tenant.Body.Str("name"), patched.Str("name"));
        var reread = await (await client.GetAsync($"{tenant.Path}/business-hours")).AssertStatusAsync(200);
        Assert.Equal(hours.ToJsonString(), reread.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Patch_Settings_ChangesOnlyTheNamedSettings(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PatchJsonAsync(tenant.Path, new { settings = new { slot_interval_minutes = 30 } })).AssertStatusAsync(200);
        var patched = await (await client.PatchJsonAsync(tenant.Path, new { settings = new { auto_confirm_bookings = false, assistant_engine = "llm" } }))
            .AssertStatusAsync(200);

        var settings = patched["settings"]!.AsObject();
        Assert.Equal(30, settings["slot_interval_minutes"]!.GetValue<int>());
        Assert.False(settings["auto_confirm_bookings"]!.GetValue<bool>());
        Assert.Equal("llm", settings["assistant_engine"]!.GetValue<string>());
        var defaults = tenant.Body["settings"]!.AsObject();
        foreach (var (name, value) in defaults)
        {
            if (name is not ("slot_interval_minutes" or "auto_confirm_bookings" or "assistant_engine"))
            {
                Assert.True(JsonNode.DeepEquals(value, settings[name]), $"settings.{name} changed: {value?.ToJsonString()} → {settings[name]?.ToJsonString()}");
            }
        }

        var reread = await (await client.GetAsync($"{tenant.Path}/settings")).AssertStatusAsync(200);
        Assert.Equal(settings.ToJsonString(), reread.ToJsonString());
    }

    [Fact]
    public async Task Patch_WithUnknownSetting_Returns400NamingIt_AndChangesNothing()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PatchJsonAsync(tenant.Path, new { name = "Nuevo nombre", settings = new { xyz = 1, slot_interval_minutes = 30 } });

        await response.AssertFieldErrorAsync("settings.xyz");
        await AssertUnchangedAsync(client, tenant);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(241)]
    [InlineData(-15)]
    public async Task Patch_WithOutOfRangeSlotInterval_Returns400NamingIt(int minutes)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PatchJsonAsync(tenant.Path, new { settings = new { slot_interval_minutes = minutes } });

        await response.AssertFieldErrorAsync("settings.slot_interval_minutes");
        await AssertUnchangedAsync(client, tenant);
    }

    public static TheoryData<string, string> InvalidPatches => new()
    {
        { """{ "name": "" }""", "name" },
        { $$"""{ "name": "{{new string('b', 201)}}" }""", "name" },
        { """{ "timezone": "Mars/Olympus" }""", "timezone" },
        { """{ "status": "deleted" }""", "status" },
        { """{ "business_type": "bakery" }""", "business_type" },
        { """{ "locale": "fr-FR" }""", "locale" },
        { """{ "currency": "XYZ" }""", "currency" },
        { """{ "country_code": "ZZ" }""", "country_code" },
        { """{ "phone_number": "12" }""", "phone_number" },
        { """{ "business_hours": { "mon": [{ "open": "12:00", "close": "11:00" }] } }""", "business_hours.mon[0]" },
        { """{ "settings": { "slot_interval_minutes": "thirty" } }""", "settings.slot_interval_minutes" },
        { """{ "settings": { "quiet_hours_start": "24:00" } }""", "settings.quiet_hours_start" },
        { """{ "settings": { "assistant_engine": "gpt" } }""", "settings.assistant_engine" },
        { """{ "settings": { "reminder_hours_before": 3, "reminder_hours_before": 4 } }""", "settings" },
        { """{ "name": 5 }""", "name" },
        { """{ "nmae": "Typo" }""", "nmae" },
        // A valid change next to an invalid one: neither is applied.
        { """{ "name": "Otro nombre", "timezone": "Mars/Olympus" }""", "timezone" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public async Task Patch_WithInvalidField_Returns400NamingTheField_AndChangesNothing(string raw, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PatchRawAsync(tenant.Path, raw)).AssertFieldErrorAsync(field);

        await AssertUnchangedAsync(client, tenant);
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == "organization.updated"));
        }
    }

    // ---------------------------------------------------------------- business hours

    [Fact]
    public async Task GetBusinessHours_ReturnsTheDefaultWeek()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var hours = await (await client.GetAsync($"{tenant.Path}/business-hours")).AssertStatusAsync(200);

        AssertDefaultBusinessHours(hours);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PutBusinessHours_ReplacesTheWeek_SortedAndWithMissingDaysClosed(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PutAsync($"{tenant.Path}/business-hours", JsonBody("""
            {
              "mon": [],
              "fri": [{ "open": "16:00", "close": "21:00" }, { "open": "10:00", "close": "14:00" }],
              "sat": [{ "open": "09:00", "close": "18:00" }]
            }
            """));

        var put = await response.AssertStatusAsync(200);
        Assert.Equal(
            """{"mon":[],"tue":[],"wed":[],"thu":[],"fri":[{"open":"10:00","close":"14:00"},{"open":"16:00","close":"21:00"}],"sat":[{"open":"09:00","close":"18:00"}],"sun":[]}""",
            put.ToJsonString());
        var reread = await (await client.GetAsync($"{tenant.Path}/business-hours")).AssertStatusAsync(200);
        Assert.Equal(put.ToJsonString(), reread.ToJsonString());
        var organization = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(put.ToJsonString(), organization["business_hours"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "mon": [{ "open": "09:00", "close": "14:00" }, { "open": "13:59", "close": "18:00" }] }""", "business_hours.mon[1]")]
    [InlineData("""{ "tue": [{ "open": "18:00", "close": "09:00" }] }""", "business_hours.tue[0]")]
    [InlineData("""{ "funday": [] }""", "business_hours.funday")]
    [InlineData("""{ "wed": [{ "open": "09:00", "close": "25:00" }] }""", "business_hours.wed[0].close")]
    [InlineData("""{ "mon": [{ "open": "09:00", "close": "14:00" }], "Mon": [{ "open": "12:00", "close": "18:00" }] }""", "business_hours.Mon")]
    public async Task PutBusinessHours_WithInvalidWeek_Returns400NamingTheField_AndKeepsTheOldHours(string raw, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PutAsync($"{tenant.Path}/business-hours", JsonBody(raw))).AssertFieldErrorAsync(field);

        var hours = await (await client.GetAsync($"{tenant.Path}/business-hours")).AssertStatusAsync(200);
        AssertDefaultBusinessHours(hours);
    }

    [Fact]
    public async Task PutBusinessHours_AdjacentIntervals_AreAllowed()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var put = await (await client.PutAsync($"{tenant.Path}/business-hours", JsonBody("""
            { "thu": [{ "open": "09:00", "close": "13:00" }, { "open": "13:00", "close": "17:00" }, { "open": "00:00", "close": "01:00" }] }
            """))).AssertStatusAsync(200);

        Assert.Equal("""[{"open":"00:00","close":"01:00"},{"open":"09:00","close":"13:00"},{"open":"13:00","close":"17:00"}]""", put["thu"]!.ToJsonString());
    }

    // ---------------------------------------------------------------- settings

    [Fact]
    public async Task GetSettings_ReturnsTheDefaults()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var settings = await (await client.GetAsync($"{tenant.Path}/settings")).AssertStatusAsync(200);

        AssertDefaultSettings(settings);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PatchSettings_ChangesOnlyTheNamedSettings(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var path = $"{tenant.Path}/settings";

        var first = await (await client.PatchJsonAsync(path, new { reminder_hours_before = 3, quiet_hours_start = "22:30" })).AssertStatusAsync(200);
        var second = await (await client.PatchJsonAsync(path, new { allow_sms_fallback = true })).AssertStatusAsync(200);

        Assert.Equal(3, first["reminder_hours_before"]!.GetValue<int>());
        Assert.Equal("22:30", first["quiet_hours_start"]!.GetValue<string>());
        Assert.Equal(3, second["reminder_hours_before"]!.GetValue<int>());
        Assert.Equal("22:30", second["quiet_hours_start"]!.GetValue<string>());
        Assert.True(second["allow_sms_fallback"]!.GetValue<bool>());
        Assert.Equal(15, second["slot_interval_minutes"]!.GetValue<int>());
        Assert.Equal("08:00", second["quiet_hours_end"]!.GetValue<string>());
        var reread = await (await client.GetAsync(path)).AssertStatusAsync(200);
        Assert.Equal(second.ToJsonString(), reread.ToJsonString());
        var organization = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(second.ToJsonString(), organization["settings"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "xyz": true }""", "settings.xyz")]
    [InlineData("""{ "slot_interval_minutes": 500 }""", "settings.slot_interval_minutes")]
    [InlineData("""{ "slot_interval_minutes": true }""", "settings.slot_interval_minutes")]
    [InlineData("""{ "max_booking_days_ahead": 0 }""", "settings.max_booking_days_ahead")]
    [InlineData("""{ "quiet_hours_end": "8:00" }""", "settings.quiet_hours_end")]
    [InlineData("""{ "daily_agenda_time": "25:00" }""", "settings.daily_agenda_time")]
    [InlineData("""{ "second_reminder_hours_before": 30 }""", "settings.second_reminder_hours_before")]
    [InlineData("""{ "review_link": "not a link" }""", "settings.review_link")]
    [InlineData("""{ "slot_interval_minutes": 30, "slot_interval_minutes": 45 }""", "settings")]
    public async Task PatchSettings_WithInvalidSetting_Returns400NamingIt_AndChangesNothing(string raw, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PatchRawAsync($"{tenant.Path}/settings", raw)).AssertFieldErrorAsync(field);

        var settings = await (await client.GetAsync($"{tenant.Path}/settings")).AssertStatusAsync(200);
        AssertDefaultSettings(settings);
    }

    // ---------------------------------------------------------------- audit

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Changes_WriteAuditEvents_NamingTheActor(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var keys = await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        var keyActor = $"api_key:{keys["data"]![0]!.Id()}";

        await (await client.PatchJsonAsync(tenant.Path, new { name = "Nuevo" })).AssertStatusAsync(200);
        await (await client.PutAsync($"{tenant.Path}/business-hours", JsonBody("""{ "mon": [{ "open": "10:00", "close": "18:00" }] }"""))).AssertStatusAsync(200);
        await (await client.PatchJsonAsync($"{tenant.Path}/settings", new { slot_interval_minutes = 20 })).AssertStatusAsync(200);
        // Reads and refused writes leave no trace.
        await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        await (await client.PatchJsonAsync($"{tenant.Path}/settings", new { slot_interval_minutes = 1 })).AssertStatusAsync(400);

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var events = await db.AuditEvents.AsNoTracking().ToListAsync();
            var location = await db.Locations.AsNoTracking().SingleAsync();
            (string, string, string, Guid?)[] expected =
            [
                ("admin", "organization.created", "organization", tenant.Id),
                ("admin", "api_key.created", "api_key", keys["data"]![0]!.Id()),
                (keyActor, "organization.updated", "organization", tenant.Id),
                (keyActor, "business_hours.updated", "location", location.Id),
                (keyActor, "settings.updated", "organization", tenant.Id),
            ];
            Assert.Equal(
                expected.OrderBy(e => e.Item2, StringComparer.Ordinal),
                events.Select(e => (e.Actor, e.Action, e.EntityType, e.EntityId)).OrderBy(e => e.Action, StringComparer.Ordinal));
            Assert.All(events, e => Assert.Equal(tenant.Id, e.OrganizationId));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject Body(object template) => JsonSerializer.SerializeToNode(template)!.AsObject();

    private static StringContent JsonBody(string raw) => new(raw, Encoding.UTF8, "application/json");

    private static void AssertDefaultBusinessHours(JsonNode hours)
    {
        var weekday = """[{"open":"09:00","close":"19:00"}]""";
        Assert.Equal(
            $$"""{"mon":{{weekday}},"tue":{{weekday}},"wed":{{weekday}},"thu":{{weekday}},"fri":{{weekday}},"sat":[{"open":"09:00","close":"15:00"}],"sun":[]}""",
            hours.ToJsonString());
    }

    private static void AssertDefaultSettings(JsonNode settings)
    {
        var expected = JsonNode.Parse("""
            {
              "assistant_engine": null,
              "assistant_enabled": true,
              "assistant_tone": "friendly",
              "assistant_instructions": null,
              "slot_interval_minutes": 15,
              "min_booking_notice_minutes": 60,
              "max_booking_days_ahead": 60,
              "reminder_hours_before": 24,
              "second_reminder_hours_before": null,
              "daily_agenda_time": "08:00",
              "review_link": null,
              "cancellation_notice_hours": 2,
              "quiet_hours_start": "20:00",
              "quiet_hours_end": "08:00",
              "win_back_automatic": false,
              "marketing_cap_days": 14,
              "allow_sms_fallback": false,
              "auto_confirm_bookings": true,
              "confirm_page_bookings_by_reply": false,
              "confirm_page_bookings_by_code": false,
              "default_contact_cadence_days": 30
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, settings), $"Settings are not the defaults: {settings.ToJsonString()}");
    }

    /// <summary>The organization reads back exactly as it was created (bar the one-time api_key).</summary>
    private static async Task AssertUnchangedAsync(HttpClient client, Tenant tenant)
    {
        var now = (await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200)).AsObject();
        var before = tenant.Body.DeepClone().AsObject();
        before.Remove("api_key");
        Assert.Equal(before.ToJsonString(), now.ToJsonString());
    }

    /// <summary>A refused create leaves no organization, key, location or audit row behind.</summary>
    private static async Task AssertNothingWrittenAsync(KaribuApp app)
    {
        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.Equal(0, await db.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
            Assert.Equal(0, await db.Locations.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
            Assert.Equal(0, await db.ApiKeys.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
            Assert.Equal(0, await db.AuditEvents.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
        }
    }
}
