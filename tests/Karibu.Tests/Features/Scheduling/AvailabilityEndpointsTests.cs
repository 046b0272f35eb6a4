using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>/api/v1/organizations/{org_id}/availability over HTTP: weekly hours, dated exceptions, and what is refused.</summary>
public sealed class AvailabilityEndpointsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_RecurringRule_Returns201WithLocation(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var response = await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = staff, type = "recurring", day_of_week = 0, start_time = "09:00", end_time = "17:30", note = "Lunes" });

        var created = await response.AssertStatusAsync(201);
        Assert.Equal($"{tenant.Path}/availability/{created.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(tenant.Id, Guid.Parse(created.Str("organization_id")));
        Assert.Equal(staff, Guid.Parse(created.Str("staff_id")));
        Assert.Equal("recurring", created.Str("type"));
        Assert.Equal(0, created["day_of_week"]!.GetValue<int>());
        Assert.Equal("09:00", created.Str("start_time"));
        Assert.Equal("17:30", created.Str("end_time"));
        Assert.Null(created["exception_date"]);
        Assert.True(created["is_available"]!.GetValue<bool>());
        Assert.Equal("Lunes", created.Str("note"));
        Assert.Equal("2026-11-21T09:00:00-06:00", created.Str("created_at"));

        var fetched = await (await client.GetAsync(response.Headers.Location)).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Create_RecurringRuleAtTheEdgesOfTheWeekAndDay_IsAccepted()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Wanjiku", "0712 345 678");

        var created = await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = staff, type = "recurring", day_of_week = 6, start_time = "00:00", end_time = "23:59" }))
            .AssertStatusAsync(201);

        Assert.Equal(6, created["day_of_week"]!.GetValue<int>());
        Assert.Equal("00:00", created.Str("start_time"));
        Assert.Equal("23:59", created.Str("end_time"));
        Assert.Null(created["note"]);
        Assert.Equal("2026-11-21T18:00:00+03:00", created.Str("created_at"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_ExceptionWithOnlyADate_BlocksTheWholeDay(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var created = await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = staff, type = "exception", exception_date = "2026-12-24", note = "Nochebuena" }))
            .AssertStatusAsync(201);

        Assert.Equal("exception", created.Str("type"));
        Assert.Equal("2026-12-24", created.Str("exception_date"));
        Assert.False(created["is_available"]!.GetValue<bool>());
        Assert.Null(created["day_of_week"]);
        Assert.Null(created["start_time"]);
        Assert.Null(created["end_time"]);
        var fetched = await (await client.GetAsync($"{tenant.Path}/availability/{created.Id()}")).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_ExceptionWithExtraTime_IsAvailable(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Wanjiku", "0712 345 678");

        var created = await (await client.PostJsonAsync($"{tenant.Path}/availability", new
        {
            staff_id = staff, type = "exception", exception_date = "2026-12-20", start_time = "10:00", end_time = "14:00", is_available = true,
        })).AssertStatusAsync(201);

        Assert.Equal("2026-12-20", created.Str("exception_date"));
        Assert.Equal("10:00", created.Str("start_time"));
        Assert.Equal("14:00", created.Str("end_time"));
        Assert.True(created["is_available"]!.GetValue<bool>());
        var fetched = await (await client.GetAsync($"{tenant.Path}/availability/{created.Id()}")).AssertStatusAsync(200);
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Create_ExceptionWithTimesButNoIsAvailable_BlocksThoseHours()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var created = await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = staff, type = "exception", exception_date = "2026-11-30", start_time = "13:00", end_time = "15:00" }))
            .AssertStatusAsync(201);

        Assert.False(created["is_available"]!.GetValue<bool>());
        Assert.Equal("13:00", created.Str("start_time"));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"17:00"}""", "staff_id" },
        { """{"staff_id":"$staff","day_of_week":0,"start_time":"09:00","end_time":"17:00"}""", "type" },
        { """{"staff_id":"$staff","type":"weekly","day_of_week":0,"start_time":"09:00","end_time":"17:00"}""", "type" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":7,"start_time":"09:00","end_time":"17:00"}""", "day_of_week" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":-1,"start_time":"09:00","end_time":"17:00"}""", "day_of_week" },
        { """{"staff_id":"$staff","type":"recurring","start_time":"09:00","end_time":"17:00"}""", "day_of_week" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":"monday","start_time":"09:00","end_time":"17:00"}""", "day_of_week" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"9am","end_time":"17:00"}""", "start_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"9:00","end_time":"17:00"}""", "start_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"24:00"}""", "end_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"08:30"}""", "end_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"09:00"}""", "end_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"end_time":"17:00"}""", "start_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"09:00"}""", "end_time" },
        { """{"staff_id":"$staff","type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"17:00","exception_date":"2026-12-24"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-02-30"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-13-01"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"21/11/2026"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-1-5"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-11-21T00:00:00"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":""}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","start_time":"10:00","end_time":"12:00"}""", "exception_date" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-12-24","start_time":"10:00"}""", "end_time" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-12-24","end_time":"12:00"}""", "start_time" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-12-24","start_time":"12:00","end_time":"10:00"}""", "end_time" },
        { """{"staff_id":"$staff","type":"exception","exception_date":"2026-12-24","day_of_week":3}""", "day_of_week" },
        { """{"staff_id":"luis","type":"recurring","day_of_week":0,"start_time":"09:00","end_time":"17:00"}""", "staff_id" },
        { $$"""{"staff_id":"$staff","type":"exception","exception_date":"2026-12-24","note":"{{new string('n', 501)}}"}""", "note" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidInput_Returns400NamingTheField_AndWritesNothing(string json, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        await (await client.PostRawAsync($"{tenant.Path}/availability", json.Replace("$staff", staff.ToString(), StringComparison.Ordinal))).AssertFieldErrorAsync(field);

        Assert.Equal(0, await CountRulesAsync(app, tenant));
    }

    [Fact]
    public async Task Create_WithAnImpossibleDate_SaysWhatIsWrong()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var messages = await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = staff, type = "exception", exception_date = "2026-02-30" }))
            .AssertFieldErrorAsync("exception_date");

        Assert.Contains(messages, m => m.Contains("2026-02-30", StringComparison.Ordinal) && m.Contains("YYYY-MM-DD", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Create_ForAnUnknownStaffMember_Returns404NamingStaffId(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");

        var body = await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = Guid.CreateVersion7(), type = "recurring", day_of_week = 0, start_time = "09:00", end_time = "17:00" }))
            .AssertProblemAsync(404);

        Assert.True(body["errors"]!.AsObject().ContainsKey("staff_id"), body.ToJsonString());
        Assert.Equal(0, await CountRulesAsync(app, tenant));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_FiltersByStaffAndType(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var luis = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");
        var pedro = await CreateStaffAsync(client, tenant, "Pedro", "55 8765 4321");
        var luisMonday = await CreateRuleAsync(client, tenant, new { staff_id = luis, type = "recurring", day_of_week = 0, start_time = "09:00", end_time = "17:00" });
        var luisTuesday = await CreateRuleAsync(client, tenant, new { staff_id = luis, type = "recurring", day_of_week = 1, start_time = "09:00", end_time = "17:00" });
        var luisHoliday = await CreateRuleAsync(client, tenant, new { staff_id = luis, type = "exception", exception_date = "2026-12-25" });
        var pedroMonday = await CreateRuleAsync(client, tenant, new { staff_id = pedro, type = "recurring", day_of_week = 0, start_time = "12:00", end_time = "20:00" });
        var pedroExtra = await CreateRuleAsync(client, tenant, new { staff_id = pedro, type = "exception", exception_date = "2026-12-20", start_time = "10:00", end_time = "14:00", is_available = true });

        Assert.Equal(new[] { luisMonday, luisTuesday, luisHoliday, pedroMonday, pedroExtra }.Order(), (await ListAsync(client, tenant, "")).Order());
        Assert.Equal(new[] { luisMonday, luisTuesday, luisHoliday }.Order(), (await ListAsync(client, tenant, $"staff_id={luis}")).Order());
        Assert.Equal(new[] { luisHoliday, pedroExtra }.Order(), (await ListAsync(client, tenant, "type=exception")).Order());
        Assert.Equal(new[] { pedroMonday }, await ListAsync(client, tenant, $"staff_id={pedro}&type=recurring"));
        Assert.Empty(await ListAsync(client, tenant, $"staff_id={Guid.CreateVersion7()}"));

        var page = await (await client.GetAsync($"{tenant.Path}/availability?staff_id={luis}&type=recurring")).AssertStatusAsync(200);
        Assert.All(page["data"]!.AsArray(), r =>
        {
            Assert.Equal(luis, Guid.Parse(r!.Str("staff_id")));
            Assert.Equal("recurring", r!.Str("type"));
        });
    }

    [Theory]
    [InlineData("type=weekly", "type")]
    [InlineData("staff_id=luis", "staff_id")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    public async Task List_WithInvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/availability?{query}")).AssertFieldErrorAsync(field);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delete_RemovesTheRule(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var staff = await CreateStaffAsync(client, tenant, "Luis", "55 1234 5678");
        var kept = await CreateRuleAsync(client, tenant, new { staff_id = staff, type = "recurring", day_of_week = 0, start_time = "09:00", end_time = "17:00" });
        var removed = await CreateRuleAsync(client, tenant, new { staff_id = staff, type = "exception", exception_date = "2026-12-24" });

        await (await client.DeleteAsync($"{tenant.Path}/availability/{removed}")).AssertStatusAsync(204);

        await (await client.GetAsync($"{tenant.Path}/availability/{removed}")).AssertProblemAsync(404);
        await (await client.DeleteAsync($"{tenant.Path}/availability/{removed}")).AssertProblemAsync(404);
        Assert.Equal([kept], await ListAsync(client, tenant, ""));
        Assert.Equal(1, await CountRulesAsync(app, tenant));
    }

    [Fact]
    public async Task UnknownOrNonGuidId_Returns404()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        var body = await (await client.GetAsync($"{tenant.Path}/availability/{Guid.CreateVersion7()}")).AssertProblemAsync(404);
        Assert.Equal("No such availability rule.", body.Str("detail"));
        await (await client.GetAsync($"{tenant.Path}/availability/monday")).AssertProblemAsync(404);
        await (await client.DeleteAsync($"{tenant.Path}/availability/monday")).AssertProblemAsync(404);
    }

    private static async Task<Guid> CreateStaffAsync(HttpClient client, Tenant tenant, string name, string phone) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name, phone_number = phone })).AssertStatusAsync(201)).Id();

    private static async Task<Guid> CreateRuleAsync(HttpClient client, Tenant tenant, object body) =>
        (await (await client.PostJsonAsync($"{tenant.Path}/availability", body)).AssertStatusAsync(201)).Id();

    private static async Task<List<Guid>> ListAsync(HttpClient client, Tenant tenant, string query) =>
        (await (await client.GetAsync($"{tenant.Path}/availability?{query}")).AssertStatusAsync(200))["data"]!.AsArray().Select(r => r!.Id()).ToList();

    private static async Task<int> CountRulesAsync(KaribuApp app, Tenant tenant)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await db.AvailabilityRules.CountAsync();
        }
    }
}
