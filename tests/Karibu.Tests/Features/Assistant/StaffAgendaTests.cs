using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Assistant;

/// <summary>Seed example 4: a barber asks for the day's agenda from their own WhatsApp (here, the simulator).</summary>
public sealed class StaffAgendaTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private static Task<string> SayAsync(MessagingHarness h, string text, string from) => h.SimulateAsync(text, from);

    [Fact]
    public async Task ABarber_SeesTheirOwnDay_AndOnlyTheOwnerSeesEveryones()
    {
        await using var h = await MessagingHarness.StartAsync(connect: false);
        h.App.Time.Set(Now);
        var client = h.Client;
        var path = h.Tenant.Path;
        var service = await (await client.PostJsonAsync($"{path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201);
        var luis = await (await client.PostJsonAsync($"{path}/staff", new { name = "Luis Pérez", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        var toño = await (await client.PostJsonAsync($"{path}/staff", new { name = "Toño", phone_number = "55 9000 0002" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/staff", new { name = "Don Ramón", phone_number = "55 9000 0009", role = "owner" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/appointments", new { service_id = service.Id(), start = "2026-11-23T11:00", staff_id = luis.Id(), customer_phone = "55 1111 0001", customer_name = "Carlos Méndez" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/appointments", new { service_id = service.Id(), start = "2026-11-23T16:00", staff_id = luis.Id(), customer_phone = "55 1111 0002", customer_name = "Ana López" })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/appointments", new { service_id = service.Id(), start = "2026-11-23T12:00", staff_id = toño.Id(), customer_phone = "55 1111 0003", customer_name = "Jorge" })).AssertStatusAsync(201);

        var mine = await SayAsync(h, "¿Qué tengo hoy?", "55 9000 0001");
        Assert.Equal(
            "Hoy tienes 2 citas:\n🟢 9:00 a.m. – 11:00 a.m. · libre\n⏰ 11:00 a.m. Corte de cabello — Carlos Méndez\n🟢 11:30 a.m. – 4:00 p.m. · libre"
            + "\n⏰ 4:00 p.m. Corte de cabello — Ana López\n🟢 4:30 p.m. – 7:00 p.m. · libre",
            mine);
        Assert.Equal("Mañana martes 24 de noviembre no tienes citas.\n🟢 9:00 a.m. – 7:00 p.m. · libre", await SayAsync(h, "mi agenda de mañana", "55 9000 0001"));
        Assert.StartsWith("Lo siento, tu cuenta no tiene permiso", await SayAsync(h, "agenda de todos", "55 9000 0001"), StringComparison.Ordinal);

        var all = await SayAsync(h, "agenda de todos hoy", "55 9000 0009");
        Assert.StartsWith("Hoy hay 3 citas en el negocio:", all, StringComparison.Ordinal);
        Assert.Contains("⏰ 12:00 p.m. Corte de cabello — Jorge (Toño)", all, StringComparison.Ordinal);

        // Staff are never turned into customers, and nothing was booked by asking.
        Assert.Equal(3, await h.QueryAsync(db => db.Customers.CountAsync()));
        Assert.Equal(3, await h.QueryAsync(db => db.Appointments.CountAsync()));
    }
}
