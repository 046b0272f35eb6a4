using Karibu.Features.Scheduling;
using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Assistant;

/// <summary>Staff flows in a Nairobi salon (sw-KE), in Swahili and in English, through the simulator.</summary>
public sealed class StaffFlowLanguagesTests
{
    // Monday 23 November 2026, 10:02 in Nairobi (UTC+3).
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 2, 0, TimeSpan.Zero);

    private static Task<string> SayAsync(MessagingHarness h, string text, string from = "0711 000 001") => h.SimulateAsync(text, from);

    private static async Task<MessagingHarness> StartAsync()
    {
        var h = await MessagingHarness.StartAsync(connect: false, tenantBody: Tenants.NairobiSalon());
        h.App.Time.Set(Now);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/services", new { name = "Kunyoa", duration_minutes = 30, price_cents = 50000 })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/services", new { name = "Kusuka nywele", duration_minutes = 120, price_cents = 250000 })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/staff", new { name = "Wanjiru Kamau", phone_number = "0711 000 001" })).AssertStatusAsync(201);
        return h;
    }

    [Fact]
    public async Task InSwahili_AStylistBlocksTime_AndRegistersAWalkIn()
    {
        await using var h = await StartAsync();

        Assert.Equal("Sawa, nimezuia leo kuanzia 14:00 hadi 15:00 ✓", await SayAsync(h, "Zuia 14:00 hadi 15:00 kwa chakula cha mchana"));
        Assert.StartsWith("Anataka huduma gani? Tuna:", await SayAsync(h, "Mteja amefika bila miadi"), StringComparison.Ordinal);
        Assert.Equal("Sawa. Una namba ya simu ya mteja ili nimsajili?", await SayAsync(h, "kunyoa"));
        Assert.Equal("Nimesajili. Jina lake?", await SayAsync(h, "0722 123 456"));
        Assert.Equal("Sawa ✓ Nimemsajili Achieng (0722 123 456) kwa Kunyoa sasa saa 10:00 nawe.", await SayAsync(h, "Achieng"));

        var walkIn = await h.QueryAsync(db => db.Appointments.SingleAsync());
        Assert.Equal(AppointmentSource.WalkIn, walkIn.Source);
        var block = await h.QueryAsync(db => db.AvailabilityRules.SingleAsync(r => !r.IsAvailable));
        Assert.Equal(("14:00", "15:00", "chakula cha mchana"), ($"{block.StartTime:HH:mm}", $"{block.EndTime:HH:mm}", block.Note));

        var agenda = await SayAsync(h, "Nina nini leo?");
        Assert.StartsWith("Leo una miadi 1:", agenda, StringComparison.Ordinal);
        Assert.Contains("⏰ 10:00 Kunyoa — Achieng", agenda, StringComparison.Ordinal);
        Assert.Contains("⛔ 14:00 – 15:00 · imezuiwa (chakula cha mchana)", agenda, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InEnglish_TheSameStylistBlocksADay_AndIsRefusedAddingStaff()
    {
        await using var h = await StartAsync();

        Assert.StartsWith("Done, I blocked the whole day (Saturday 28 November) ✓", await SayAsync(h, "Please block Saturday, I'm travelling"), StringComparison.Ordinal);
        Assert.StartsWith("Sorry, only the owner or someone with permission can do that.", await SayAsync(h, "add a new stylist"), StringComparison.Ordinal);
        Assert.StartsWith("Hi Wanjiru 👋 From here you can:", await SayAsync(h, "hello"), StringComparison.Ordinal);

        var slots = await (await h.Client.GetAsync($"{h.Tenant.Path}/availability/slots?date_from=2026-11-28&date_to=2026-11-28&service_id="
            + (await h.QueryAsync(db => db.Services.FirstAsync())).Id)).AssertStatusAsync(200);
        Assert.Empty(slots["slots"]!.AsArray());
    }
}
