using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Organizations;

/// <summary>
/// The embedded default starts with something to look at: a Mexico City barbershop in es-MX with
/// services, two barbers, business hours and a few customers.
/// </summary>
internal static class DemoBusiness
{
    public const string Name = "Barbería El Bigote";

    public static async Task SeedIfEmptyAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<IOptions<KaribuOptions>>().Value;
        if (!(options.SeedDemoBusiness ?? !options.Database.IsPostgres))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        if (await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AnyAsync(ct))
        {
            return;
        }

        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        var input = new OrganizationSetup.Validated(
            Name, BusinessType.Barbershop, "America/Mexico_City", "es-MX", "MXN", "MX", "+525512345678",
            new BusinessHours
            {
                Mon = [], // Los lunes cerramos.
                Tue = [new("10:00", "20:00")],
                Wed = [new("10:00", "20:00")],
                Thu = [new("10:00", "20:00")],
                Fri = [new("10:00", "21:00")],
                Sat = [new("09:00", "18:00")],
                Sun = [new("10:00", "15:00")],
            },
            new OrganizationSettings());
        var (organization, key) = await OrganizationSetup.AddAsync(db, tenant, input, "demo-seed", ct);
        organization.Status = OrganizationStatus.Active;
        organization.IsDemo = true;
        db.Locations.Local.Single(l => l.IsPrimary).Address = "Av. Álvaro Obregón 120, Roma Nte., 06700 Ciudad de México, CDMX";

        Service[] services_ =
        [
            new() { Name = "Corte de cabello", Description = "Corte clásico o moderno, con lavado.", DurationMinutes = 30, PriceCents = 250_00, Currency = "MXN", RebookIntervalDays = 21 },
            new() { Name = "Arreglo de barba", Description = "Perfilado con navaja y toalla caliente.", DurationMinutes = 20, PriceCents = 150_00, Currency = "MXN", RebookIntervalDays = 14 },
            new() { Name = "Corte y barba", Description = "El combo completo.", DurationMinutes = 50, PriceCents = 350_00, Currency = "MXN", BufferAfterMinutes = 10, RebookIntervalDays = 21 },
            new() { Name = "Corte infantil", Description = "Para menores de 12 años.", DurationMinutes = 25, PriceCents = 180_00, Currency = "MXN", RebookIntervalDays = 30 },
        ];
        db.Services.AddRange(services_);
        db.Staff.AddRange(
            new StaffMember { Name = "Don Ramón", PhoneNumber = "+525511112222", Role = StaffRole.Owner },
            new StaffMember { Name = "Luis", PhoneNumber = "+525533334444", Role = StaffRole.Employee, Permissions = ["view_all_schedules"] });
        foreach (var (phone, name) in new[] { ("+525587654321", "Carlos Méndez"), ("+525512349876", "Jorge Ramírez"), ("+523312345678", "Ana López"), ("+525598761234", (string?)null) })
        {
            db.Customers.Add(new Customer
            {
                PhoneNumber = phone, DisplayName = name, Source = CustomerSource.Manual, PersonId = await People.GetOrAddAsync(db, phone, ct),
            });
        }

        await db.SaveChangesAsync(ct);
        var banner = services.GetRequiredService<StartupBanner>();
        banner.DemoOrganizationId = organization.Id;
        banner.DemoApiKey = key;
    }

    /// <summary>Once the server listens, says where, with the keys a newcomer needs to try the API.</summary>
    internal sealed class StartupBanner(
        IHostApplicationLifetime lifetime, IServer server, IServiceProvider services, ILogger<StartupBanner> log) : IHostedService
    {
        public Guid? DemoOrganizationId { get; set; }

        public string? DemoApiKey { get; set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
                log.LogInformation("Karibu is running at {Url} (API docs at {Url}/docs)", url, url);
                if (services.GetService<GeneratedAdminKey>() is { } admin)
                {
                    log.LogWarning("Development admin key (new on every start): {AdminKey}", admin.Key);
                }

                if (DemoApiKey is not null)
                {
                    log.LogWarning("Seeded demo business '{Name}' ({OrganizationId}); its API key, shown only now: {ApiKey}", Name, DemoOrganizationId, DemoApiKey);
                    log.LogInformation(
                        "Write to it as a customer through the simulator: curl -X POST {Url}/api/v1/organizations/{OrganizationId}/simulator/messages -H 'Authorization: Bearer {ApiKey}' -H 'Content-Type: application/json' -d '{{\"from\":\"55 8765 4321\",\"text\":\"Hola\"}}' and read the conversation at {Url}/api/v1/organizations/{OrganizationId}/conversations",
                        url, DemoOrganizationId, DemoApiKey, url, DemoOrganizationId);
                }
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
