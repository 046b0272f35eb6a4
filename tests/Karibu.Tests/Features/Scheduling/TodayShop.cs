using Karibu.Features.Accounts;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// A Mexico City barbershop on Monday 23 November 2026 at 10:00 (open 9–19): the owner Ramón and the barber Luis
/// (an employee with the given permissions), a haircut and a beard trim, and three appointments today: Beto with
/// Luis at 9:30 (started), Ana with Luis at 11:00 and Carla with Ramón at 12:00.
/// </summary>
internal sealed class TodayShop : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);
    public const string Owner = "ramon@example.com";
    public const string Barber = "luis@example.com";

    private TodayShop(KaribuApp app, Tenant tenant, HttpClient api) => (App, Tenant, Api) = (app, tenant, api);

    public KaribuApp App { get; }
    public Tenant Tenant { get; }
    public HttpClient Api { get; }
    public Guid OwnerId { get; private set; }
    public Guid BarberId { get; private set; }
    public Guid HaircutId { get; private set; }
    public Guid Beto { get; private set; }
    public Guid Ana { get; private set; }
    public Guid Carla { get; private set; }

    public static async Task<TodayShop> StartAsync(string[]? barberPermissions = null, KaribuApp? app = null)
    {
        app ??= await KaribuApp.StartAsync();
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        var api = app.Client(tenant.ApiKey);
        if (app.Address is { } address)
        {
            api.BaseAddress = address;
        }

        var shop = new TodayShop(app, tenant, api);
        shop.HaircutId = (await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201)).Id();
        await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Arreglo de barba", duration_minutes = 20, price_cents = 9000 })).AssertStatusAsync(201);
        shop.OwnerId = await shop.AddPersonAsync(Owner, "Ramón Díaz", "55 9000 0009", "owner", []);
        shop.BarberId = await shop.AddPersonAsync(Barber, "Luis Pérez", "55 9000 0001", "employee", barberPermissions ?? []);
        shop.Beto = await shop.BookAsync(shop.BarberId, "2026-11-23T09:30", "55 3000 0001", "Beto Ruiz", overrideAvailability: true);
        shop.Ana = await shop.BookAsync(shop.BarberId, "2026-11-23T11:00", "55 3000 0002", "Ana López");
        shop.Carla = await shop.BookAsync(shop.OwnerId, "2026-11-23T12:00", "55 3000 0003", "Carla Soto");
        return shop;
    }

    /// <summary>As <see cref="OwnerAppSessions.AddPersonAsync"/>, through this shop's API client (which also reaches a listening app).</summary>
    private async Task<Guid> AddPersonAsync(string email, string name, string phone, string role, string[] permissions)
    {
        var id = (await (await Api.PostJsonAsync($"{Tenant.Path}/staff", new { name, phone_number = phone, role, permissions })).AssertStatusAsync(201)).Id();
        var (db, scope) = App.Db(Tenant.Id);
        using (scope)
        {
            var member = await db.Staff.SingleAsync(s => s.Id == id);
            member.Email = email;
            member.PasswordHash = SignInFlow.HashPassword(member, OwnerAppSessions.Password);
            await db.SaveChangesAsync();
        }

        return id;
    }

    public async Task<Guid> BookAsync(Guid staffId, string start, string phone, string name, bool overrideAvailability = false) =>
        (await (await Api.PostJsonAsync($"{Tenant.Path}/appointments", new
        {
            service_id = HaircutId, staff_id = staffId, start, customer_phone = phone, customer_name = name, override_availability = overrideAvailability,
        })).AssertStatusAsync(201)).Id();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.DisposeAsync();
    }
}
