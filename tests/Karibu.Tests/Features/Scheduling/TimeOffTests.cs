using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Scheduling;

public sealed class TimeOffTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TimeOff_BlocksSlots_AndListsTheAppointmentsInside(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var service = (await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 100 })).AssertStatusAsync(201)).Id();
        var staff = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1111 2222" })).AssertStatusAsync(201)).Id();
        var booked = await (await client.PostJsonAsync($"{tenant.Path}/appointments", new { service_id = service, staff_id = staff, start = "2026-11-24T12:00", customer_phone = "55 3333 4444" })).AssertStatusAsync(201);

        var response = await (await client.PostJsonAsync($"{tenant.Path}/staff/{staff}/time-off", new { date = "2026-11-24", start_time = "11:00", end_time = "14:00", note = "Dentista" })).AssertStatusAsync(201);
        Assert.Equal("exception", response["block"]!.Str("type"));
        Assert.False(response["block"]!["is_available"]!.GetValue<bool>());
        Assert.Equal(booked.Id(), response["affected_appointments"]![0]!.Id());

        var slots = await (await client.GetAsync($"{tenant.Path}/availability/slots?service_id={service}&date_from=2026-11-24&staff_id={staff}")).AssertStatusAsync(200);
        var starts = slots["slots"]!.AsArray().Select(s => s!.Str("start")).ToList();
        Assert.Contains("2026-11-24T10:30:00-06:00", starts);
        Assert.DoesNotContain(starts, s => string.CompareOrdinal(s, "2026-11-24T11:00") >= 0 && string.CompareOrdinal(s, "2026-11-24T14:00") < 0);
        Assert.Contains("2026-11-24T14:00:00-06:00", starts);

        // A whole day off, and the booked appointment is still there for the owner to move.
        await (await client.PostJsonAsync($"{tenant.Path}/staff/{staff}/time-off", new { date = "2026-11-25" })).AssertStatusAsync(201);
        var none = await (await client.GetAsync($"{tenant.Path}/availability/slots?service_id={service}&date_from=2026-11-25&staff_id={staff}")).AssertStatusAsync(200);
        Assert.Empty(none["slots"]!.AsArray());
        var still = await (await client.GetAsync($"{tenant.Path}/appointments/{booked.Id()}")).AssertStatusAsync(200);
        Assert.Equal("confirmed", still.Str("status"));
    }

    [Fact]
    public async Task TimeOff_WithBadInput_Answers400_AndUnknownStaff404()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var staff = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = "55 1111 2222" })).AssertStatusAsync(201)).Id();
        await (await client.PostJsonAsync($"{tenant.Path}/staff/{staff}/time-off", new { date = "2026-02-30" })).AssertFieldErrorAsync("date");
        await (await client.PostJsonAsync($"{tenant.Path}/staff/{staff}/time-off", new { date = "2026-12-01", start_time = "10:00" })).AssertFieldErrorAsync("end_time");
        await (await client.PostJsonAsync($"{tenant.Path}/staff/{staff}/time-off", new { date = "2026-12-01", start_time = "12:00", end_time = "10:00" })).AssertFieldErrorAsync("end_time");
        await (await client.PostJsonAsync($"{tenant.Path}/staff/{Guid.CreateVersion7()}/time-off", new { date = "2026-12-01" })).AssertProblemAsync(404);
    }
}
