using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Organizations;

/// <summary>The slug of a business's public page: spelt from the name once, unique, and given to businesses that predate it.</summary>
public sealed class OrganizationSlugTests
{
    [Theory]
    [InlineData("Barbería El Bigote", "barberia-el-bigote")]
    [InlineData("  Salon ya Mama Njeri!! ", "salon-ya-mama-njeri")]
    [InlineData("Uñas & Más #1", "unas-mas-1")]
    [InlineData("¡¡¡", "negocio")]
    public void TheSlug_IsTheNameInLowercaseAsciiWithDashes(string name, string slug) => Assert.Equal(slug, OrganizationSlugs.From(name));

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ASecondBusinessWithTheSameName_GetsANumberedSlug_AndEveryResponseShowsIt(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);

        var first = await app.CreateAsync(Tenants.MexicoBarbershop("Barbería Centro"));
        var second = await app.CreateAsync(Tenants.MexicoBarbershop("Barbería  Centro"));
        using var client = app.Client(second.ApiKey);
        var renamed = await (await client.PatchJsonAsync(second.Path, new { name = "Otro Nombre" })).AssertStatusAsync(200);

        Assert.Equal("barberia-centro", first.Body.Str("slug"));
        Assert.Equal("barberia-centro-2", second.Body.Str("slug"));
        Assert.Equal("barberia-centro-2", renamed.Str("slug"));
        Assert.Equal("barberia-centro-2", (await (await client.GetAsync(second.Path)).AssertStatusAsync(200)).Str("slug"));
    }

    [Fact]
    public async Task ABusinessWithTheMigrationsPlaceholder_GetsItsNamesSlugOnStart()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        var (db, scope) = app.Db();
        using (scope)
        {
            await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Slug, OrganizationSlugs.Placeholder(tenant.Id)));
        }

        await OrganizationSlugs.BackfillAsync(app.Services);

        (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.Equal("salon-ya-mama-njeri", (await db.Organizations.SingleAsync()).Slug);
        }
    }
}
