using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Retention;

/// <summary>
/// "Who to contact today" in a Mexico City barbershop; today is Saturday 2026-11-21 (09:00 local).
/// Visits are arranged as check-ins on past days.
/// </summary>
public sealed class ToContactTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ToContact_ListsOverdueCustomers_RankedByValueAndLateness_SkippingOptOutsAndBooked(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var path = tenant.Path;
        var tinte = (await (await client.PostJsonAsync($"{path}/services", new { name = "Tinte", duration_minutes = 60, price_cents = 60000, rebook_interval_days = 21 })).AssertStatusAsync(201)).Id();
        var corte = (await (await client.PostJsonAsync($"{path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id();
        await (await client.PostJsonAsync($"{path}/staff", new { name = "Luis", phone_number = "55 1111 2222" })).AssertStatusAsync(201);

        async Task<Guid> Customer(string name, string phone, int? cadence = null) =>
            (await (await client.PostJsonAsync($"{path}/customers", new { phone_number = phone, name, contact_cadence_days = cadence })).AssertStatusAsync(201)).Id();
        async Task CheckIn(Guid customer, string day, long amount = 0, Guid? service = null) =>
            await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { at = $"{day}T10:00", amount_cents = amount, service_id = service })).AssertStatusAsync(201);

        var ana = await Customer("Ana", "33 1000 0001", cadence: 10);
        await CheckIn(ana, "2026-11-01"); // 20 days ago, cadence 10: 10 overdue
        var beto = await Customer("Beto", "33 1000 0002");
        await CheckIn(beto, "2026-10-04");
        await CheckIn(beto, "2026-10-18");
        await CheckIn(beto, "2026-11-01", service: corte); // every 14 days; 20 days ago: 6 overdue
        var carla = await Customer("Carla", "33 1000 0003");
        await CheckIn(carla, "2026-10-27", service: tinte); // Tinte every 21 days; 25 days ago: 4 overdue
        var dani = await Customer("Dani", "33 1000 0004");
        await CheckIn(dani, "2026-10-12", amount: 100_000); // default 30; 40 days ago: 10 overdue, but worth more
        var eva = await Customer("Eva", "33 1000 0005");
        await CheckIn(eva, "2026-10-12");
        await (await client.PatchJsonAsync($"{path}/customers/{eva}", new { marketing_opted_out = true })).AssertStatusAsync(200);
        var fer = await Customer("Fer", "33 1000 0006");
        await CheckIn(fer, "2026-10-12");
        await (await client.PostJsonAsync($"{path}/appointments", new { service_id = corte, start = "2026-11-23T10:00", customer_id = fer, override_availability = true })).AssertStatusAsync(201);
        var gabi = await Customer("Gabi", "33 1000 0007");
        await CheckIn(gabi, "2026-11-16"); // 5 days ago: not due
        await Customer("Hugo", "33 1000 0008"); // never came

        var list = await ListAsync(client, path);

        Assert.Equal([dani, ana, beto, carla], list.Select(c => Guid.Parse(c.Str("customer_id"))));
        var scores = list.Select(c => c["score"]!.GetValue<double>()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(("default", 30, 40, 10), Fields(list[0]));
        Assert.Equal(("cadence", 10, 20, 10), Fields(list[1]));
        Assert.Equal(("learned", 14, 20, 6), Fields(list[2]));
        Assert.Equal(("service", 21, 25, 4), Fields(list[3]));
        Assert.Equal("Tinte", list[3].Str("last_service_name"));
        Assert.Equal("Corte", list[2].Str("last_service_name"));
        Assert.Equal(3, list[2]["visit_count"]!.GetValue<int>());
        Assert.Equal("2026-11-01T10:00:00-06:00", list[2].Str("last_visit"));
        Assert.Equal("2026-11-01", list[2].Str("last_visit_date"));
        Assert.Equal("Dani", list[0].Str("name"));
        Assert.Equal("+523310000004", list[0].Str("phone_number"));
        Assert.Equal(100_000, list[0]["total_spent_cents"]!.GetValue<long>());

        // Monday's appointment passes without Fer (never completed): he is due again, like the others, three days later.
        app.Time.Set(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(-6)));
        list = await ListAsync(client, path);
        var ferNow = Assert.Single(list, c => Guid.Parse(c.Str("customer_id")) == fer);
        Assert.Equal(("default", 30, 43, 13), Fields(ferNow));
        Assert.DoesNotContain(list, c => Guid.Parse(c.Str("customer_id")) == eva);
        Assert.DoesNotContain(list, c => Guid.Parse(c.Str("customer_id")) == gabi);

        // A visit takes a customer off the list; an explicit cadence puts one back on.
        await (await client.PostJsonAsync($"{path}/customers/{dani}/check-ins", new { })).AssertStatusAsync(201);
        await (await client.PatchJsonAsync($"{path}/customers/{gabi}", new { contact_cadence_days = 3 })).AssertStatusAsync(200);
        list = await ListAsync(client, path);
        Assert.DoesNotContain(list, c => Guid.Parse(c.Str("customer_id")) == dani);
        Assert.Equal(("cadence", 3, 8, 5), Fields(Assert.Single(list, c => Guid.Parse(c.Str("customer_id")) == gabi)));

        var page = await (await client.GetAsync($"{path}/customers/to-contact?limit=2")).AssertStatusAsync(200);
        Assert.Equal(2, page["data"]!.AsArray().Count);
        Assert.True(page["has_more"]!.GetValue<bool>());
        await (await client.GetAsync($"{path}/customers/to-contact?limit=0")).AssertFieldErrorAsync("limit");
        await (await client.GetAsync($"{path}/customers/to-contact?limit=x")).AssertProblemAsync(400);
    }

    private static async Task<List<JsonNode>> ListAsync(HttpClient client, string path)
    {
        var body = await (await client.GetAsync($"{path}/customers/to-contact")).AssertStatusAsync(200);
        Assert.False(body["has_more"]!.GetValue<bool>());
        return body["data"]!.AsArray().Select(n => n!).ToList();
    }

    private static (string, int, int, int) Fields(JsonNode c) =>
        (c.Str("reason"), c["expected_interval_days"]!.GetValue<int>(), c["days_since_last_visit"]!.GetValue<int>(), c["days_overdue"]!.GetValue<int>());
}
