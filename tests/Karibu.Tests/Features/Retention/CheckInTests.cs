using System.Net;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Retention;

/// <summary>
/// Check-ins and completed appointments over HTTP, in a Mexico City barbershop (UTC-06:00). The clock
/// starts at Saturday 2026-11-21 09:00 local.
/// </summary>
public sealed class CheckInTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CheckIns_OnOneLocalDay_MergeIntoOneVisit(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var (client, path, customer) = await ArrangeAsync(app);

        var first = await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { at = "2026-11-21T08:30", amount_cents = 20000 })).AssertStatusAsync(201);
        Assert.Equal("2026-11-21", first.Str("date"));
        Assert.Equal("2026-11-21T08:30:00-06:00", first.Str("at"));
        Assert.Equal("check_in", first.Str("source"));
        Assert.False(first["merged"]!.GetValue<bool>());

        var second = await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { amount_cents = 5000 })).AssertStatusAsync(200);
        Assert.Equal(first.Id(), second.Id());
        Assert.True(second["merged"]!.GetValue<bool>());
        Assert.Equal(25000, second["amount_cents"]!.GetValue<long>());
        Assert.Equal("2026-11-21T08:30:00-06:00", second.Str("at"));

        // 23:30 local is already the 22nd in UTC, but still the business's Saturday.
        var late = await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { at = "2026-11-21T23:30:00-06:00" });
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode); // …which has not happened yet at 09:00.
        app.Time.Advance(TimeSpan.FromHours(15)); // Saturday 24:00 local, Sunday 06:00 UTC
        var lateNow = await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { at = "2026-11-21T23:30" })).AssertStatusAsync(200);
        Assert.Equal("2026-11-21", lateNow.Str("date"));

        var c = await (await client.GetAsync($"{path}/customers/{customer}")).AssertStatusAsync(200);
        Assert.Equal(1, c["visit_count"]!.GetValue<int>());
        Assert.Equal(25000, c["total_spent_cents"]!.GetValue<long>());
        Assert.Equal("2026-11-21T23:30:00-06:00", c.Str("last_visit"));

        app.Time.Advance(TimeSpan.FromHours(10)); // Sunday 10:00 local
        var sunday = await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { })).AssertStatusAsync(201);
        Assert.Equal("2026-11-22", sunday.Str("date"));
        Assert.Equal("2026-11-22T10:00:00-06:00", sunday.Str("at"));

        c = await (await client.GetAsync($"{path}/customers/{customer}")).AssertStatusAsync(200);
        Assert.Equal(2, c["visit_count"]!.GetValue<int>());
        var visits = (await (await client.GetAsync($"{path}/customers/{customer}/visits")).AssertStatusAsync(200))["data"]!.AsArray();
        Assert.Equal(["2026-11-21", "2026-11-22"], visits.Select(v => v!.Str("date")));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CheckIns_RacingOnOneDay_RecordOneVisit(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var (client, path, customer) = await ArrangeAsync(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { amount_cents = 1000 })));

        var codes = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(codes.Count(c => c == 201) == 1 && codes.Count(c => c == 200) == 5, string.Join(", ", codes));
        var c = await (await client.GetAsync($"{path}/customers/{customer}")).AssertStatusAsync(200);
        Assert.Equal(1, c["visit_count"]!.GetValue<int>());
        Assert.Equal(6000, c["total_spent_cents"]!.GetValue<long>());
        var visits = (await (await client.GetAsync($"{path}/customers/{customer}/visits")).AssertStatusAsync(200))["data"]!.AsArray();
        Assert.Equal(6000, Assert.Single(visits)!["amount_cents"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CompletedAppointment_AndCheckInOnOneDay_AreOneVisit(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var (client, path, customer) = await ArrangeAsync(app);
        var service = (await (await client.PostJsonAsync($"{path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id();
        await (await client.PostJsonAsync($"{path}/staff", new { name = "Luis", phone_number = "55 1111 2222" })).AssertStatusAsync(201);
        var first = (await (await client.PostJsonAsync($"{path}/appointments", new { service_id = service, start = "2026-11-21T11:00", customer_id = customer, override_availability = true })).AssertStatusAsync(201)).Id();
        var second = (await (await client.PostJsonAsync($"{path}/appointments", new { service_id = service, start = "2026-11-23T11:00", customer_id = customer, override_availability = true })).AssertStatusAsync(201)).Id();

        // Saturday: the customer checks in at 10:55, the appointment is completed after.
        app.Time.Set(new DateTimeOffset(2026, 11, 21, 10, 55, 0, TimeSpan.FromHours(-6)));
        await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { })).AssertStatusAsync(201);
        app.Time.Set(new DateTimeOffset(2026, 11, 21, 11, 40, 0, TimeSpan.FromHours(-6)));
        await (await client.PostJsonAsync($"{path}/appointments/{first}/complete", new { })).AssertStatusAsync(200);

        // Monday: completed first, then a check-in that day.
        app.Time.Set(new DateTimeOffset(2026, 11, 23, 11, 40, 0, TimeSpan.FromHours(-6)));
        await (await client.PostJsonAsync($"{path}/appointments/{second}/complete", new { })).AssertStatusAsync(200);
        var merged = await (await client.PostJsonAsync($"{path}/customers/{customer}/check-ins", new { })).AssertStatusAsync(200);
        Assert.Equal("appointment", merged.Str("source"));
        Assert.Equal(second, Guid.Parse(merged.Str("appointment_id")));

        var c = await (await client.GetAsync($"{path}/customers/{customer}")).AssertStatusAsync(200);
        Assert.Equal(2, c["visit_count"]!.GetValue<int>());
        Assert.Equal(50000, c["total_spent_cents"]!.GetValue<long>());
        Assert.Equal("2026-11-23T11:40:00-06:00", c.Str("last_visit"));
        var visits = (await (await client.GetAsync($"{path}/customers/{customer}/visits")).AssertStatusAsync(200))["data"]!.AsArray();
        Assert.Equal(2, visits.Count);
        var saturday = visits[0]!;
        Assert.Equal("check_in", saturday.Str("source"));
        Assert.Equal("2026-11-21T10:55:00-06:00", saturday.Str("at"));
        Assert.Equal(first, Guid.Parse(saturday.Str("appointment_id")));
        Assert.Equal(service, Guid.Parse(saturday.Str("service_id")));
        Assert.Equal(25000, saturday["amount_cents"]!.GetValue<long>());
    }

    [Fact]
    public async Task CheckIn_BadInput_IsRefusedAndRecordsNothing()
    {
        await using var app = await KaribuApp.StartAsync();
        var (client, path, customer) = await ArrangeAsync(app);
        var url = $"{path}/customers/{customer}/check-ins";

        await (await client.PostJsonAsync(url, new { at = "2026-11-22T09:00" })).AssertFieldErrorAsync("at"); // tomorrow
        await (await client.PostJsonAsync(url, new { at = "yesterday" })).AssertFieldErrorAsync("at");
        await (await client.PostJsonAsync(url, new { at = "2026-02-30T10:00" })).AssertFieldErrorAsync("at");
        await (await client.PostJsonAsync(url, new { amount_cents = -1 })).AssertFieldErrorAsync("amount_cents");
        await (await client.PostRawAsync(url, """{"at": 5}""")).AssertProblemAsync(400);
        await (await client.PostRawAsync(url, """{"when": "2026-11-21T08:00"}""")).AssertProblemAsync(400);
        await (await client.PostJsonAsync(url, new { service_id = Guid.NewGuid() })).AssertProblemAsync(404);
        await (await client.PostJsonAsync($"{path}/customers/{Guid.NewGuid()}/check-ins", new { })).AssertProblemAsync(404);

        var c = await (await client.GetAsync($"{path}/customers/{customer}")).AssertStatusAsync(200);
        Assert.Equal(0, c["visit_count"]!.GetValue<int>());
        Assert.Empty((await (await client.GetAsync($"{url[..^"/check-ins".Length]}/visits")).AssertStatusAsync(200))["data"]!.AsArray());

        // A clock a minute ahead of ours is still "now"; no body at all is a check-in now.
        await (await client.PostJsonAsync(url, new { at = "2026-11-21T09:01" })).AssertStatusAsync(201);
        await (await client.PostAsync(url, null)).AssertStatusAsync(200);
    }

    [Theory]
    [InlineData("""{"contact_cadence_days":0}""")]
    [InlineData("""{"contact_cadence_days":-7}""")]
    public async Task Cadence_OfZeroOrNegativeDays_IsRefused(string json)
    {
        await using var app = await KaribuApp.StartAsync();
        var (client, path, customer) = await ArrangeAsync(app);

        await client.AssertPatchRefusedAsync($"{path}/customers/{customer}", json, "contact_cadence_days");
        await (await client.PatchRawAsync($"{path}/settings", json.Replace("contact_cadence_days", "default_contact_cadence_days", StringComparison.Ordinal)))
            .AssertFieldErrorAsync("settings.default_contact_cadence_days");
    }

    private static async Task<(HttpClient Client, string Path, Guid Customer)> ArrangeAsync(KaribuApp app)
    {
        var tenant = await app.CreateAsync();
        var client = app.Client(tenant.ApiKey);
        var customer = (await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "33 9999 8888", name = "Carlos" })).AssertStatusAsync(201)).Id();
        return (client, tenant.Path, customer);
    }
}
