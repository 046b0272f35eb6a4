using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Data;

public sealed class TenantFilterTests
{
    [Fact]
    public async Task EveryTenantOwnedEntity_HasTheNamedTenantFilter()
    {
        await using var app = await KaribuApp.StartAsync();
        var (db, scope) = app.Db();
        using var _ = scope;

        var tenantOwned = db.Model.GetEntityTypes()
            .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) || t.ClrType == typeof(Organization))
            .ToList();
        Assert.True(tenantOwned.Count >= 12, "Expected the tenant-owned entities of the data model.");
        var missing = tenantOwned
            .Where(t => t.FindDeclaredQueryFilter(KaribuDb.TenantFilter) is null)
            .Select(t => t.ClrType.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"Entities without the '{KaribuDb.TenantFilter}' filter: {string.Join(", ", missing)}");

        // Everything that is not filtered must be deliberately platform-wide.
        var platformWide = db.Model.GetEntityTypes().Except(tenantOwned).Select(t => t.ClrType.Name).Order().ToArray();
        // InboxEvent: a webhook event is stored before routing tells whose it is (and some never belong to anyone).
        Assert.Equal(["DataProtectionKey", "IdempotencyRecord", "InboxEvent", "Person"], platformWide);
    }

    [Fact]
    public async Task Queries_WithNoTenant_ReturnNothing_AndWithATenant_OnlyItsRows()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));
        foreach (var tenant in new[] { a, b })
        {
            using var client = app.Client(tenant.ApiKey);
            await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Cut", duration_minutes = 30, price_cents = 1000 })).AssertStatusAsync(201);
        }

        var (none, scope) = app.Db();
        using (scope)
        {
            Assert.Empty(await none.Services.ToListAsync());
            Assert.Empty(await none.Organizations.ToListAsync());
            Assert.Equal(2, await none.Services.IgnoreQueryFilters([KaribuDb.TenantFilter]).CountAsync());
        }

        var (onlyA, scopeA) = app.Db(a.Id);
        using (scopeA)
        {
            var services = await onlyA.Services.ToListAsync();
            Assert.Single(services);
            Assert.Equal(a.Id, services[0].OrganizationId);
            Assert.Equal(a.Id, (await onlyA.Organizations.SingleAsync()).Id);
        }
    }

    [Fact]
    public async Task SaveChanges_StampsTheTenant_AndRefusesRowsOfAnotherTenant()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.NairobiSalon("B"));

        var (dbA, scopeA) = app.Db(a.Id);
        using (scopeA)
        {
            var service = new Service { Name = "Cut", DurationMinutes = 30, PriceCents = 100, Currency = "MXN" };
            dbA.Services.Add(service);
            await dbA.SaveChangesAsync();
            Assert.Equal(a.Id, service.OrganizationId);

            dbA.Services.Add(new Service { OrganizationId = b.Id, Name = "Sneaky", DurationMinutes = 30, PriceCents = 100, Currency = "KES" });
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => dbA.SaveChangesAsync());
            dbA.ChangeTracker.Clear();

            // Loading B's row by bypassing the filter and changing it is refused too.
            var other = await dbA.Organizations.IgnoreQueryFilters([KaribuDb.TenantFilter]).SingleAsync(o => o.Id == b.Id);
            other.Name = "Taken over";
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => dbA.SaveChangesAsync());
        }

        var (noTenant, scope) = app.Db();
        using (scope)
        {
            noTenant.Customers.Add(new Customer { PhoneNumber = "+525500000000" });
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => noTenant.SaveChangesAsync());
        }
    }
}
