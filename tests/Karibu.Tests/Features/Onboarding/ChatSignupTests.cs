using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Onboarding;

/// <summary>Signing up by chat with Karibu's own number (its platform business), through the simulator's pipeline.</summary>
public sealed class ChatSignupTests
{
    private static async Task<(KaribuApp App, Tenant Platform, HttpClient Api)> StartAsync(string provider = "Sqlite")
    {
        var app = await SignupPageTests.StartAsync(new Dictionary<string, string?>
        {
            ["Karibu:Platform:WhatsAppPhoneNumberId"] = "1000",
            ["Karibu:Platform:PublicBaseUrl"] = "https://karibu.example/",
        }, provider);
        var platform = await app.CreateAsync(Tenants.MexicoBarbershop("Karibu"));
        var (db, scope) = app.Db(platform.Id);
        using (scope)
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = "1000" });
            await db.SaveChangesAsync();
        }

        return (app, platform, app.Client(platform.ApiKey));
    }

    private static async Task<string> SayAsync(KaribuApp app, Tenant platform, HttpClient api, string text, string from)
    {
        async Task<List<string>> RepliesAsync()
        {
            var (db, scope) = app.Db(platform.Id);
            using (scope)
            {
                return await db.Messages.Where(m => m.Direction == MessageDirection.Outbound && m.Body != null)
                    .OrderBy(m => m.Id).Select(m => m.Body!).ToListAsync();
            }
        }

        var before = (await RepliesAsync()).Count;
        await (await api.PostJsonAsync($"{platform.Path}/simulator/messages", new { from, text })).AssertStatusAsync(202);
        await Eventually.HoldsAsync(async () => (await RepliesAsync()).Count > before, $"a reply to «{text}»");
        return (await RepliesAsync()).Last();
    }

    /// <summary>The business is made in the inbox processor's transaction, joined by a second unit of work: on both databases.</summary>
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnUnknownPhone_CreatesABusinessInFourAnswers_AndGetsItsLinks(string provider)
    {
        var (app, platform, api) = await StartAsync(provider);
        await using var _ = app;
        using var __ = api;
        const string from = "+52 55 1234 9999";

        Assert.Contains("¿Cómo se llama tu negocio?", await SayAsync(app, platform, api, "Hola", from), StringComparison.Ordinal);
        var type = await SayAsync(app, platform, api, "Barbería El Güero", from);
        Assert.Contains("¿Qué tipo de negocio es Barbería El Güero?", type, StringComparison.Ordinal);
        Assert.Contains("1. Barbería", type, StringComparison.Ordinal);
        Assert.Contains("¿En qué país está?", await SayAsync(app, platform, api, "1", from), StringComparison.Ordinal);
        Assert.Contains("Voy a crear *Barbería El Güero* (Barbería, México)", await SayAsync(app, platform, api, "México", from), StringComparison.Ordinal);

        var done = await SayAsync(app, platform, api, "sí", from);
        Assert.Contains("¡Listo! Barbería El Güero ya está en Karibu", done, StringComparison.Ordinal);
        Assert.Contains("https://karibu.example/b/barberia-el-guero", done, StringComparison.Ordinal);
        Assert.Contains("https://karibu.example/app/sign-in", done, StringComparison.Ordinal);

        var (db, scope) = app.Db();
        using (scope)
        {
            var business = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Slug == "barberia-el-guero");
            Assert.Equal(("MX", "es-MX", "MXN", BusinessType.Barbershop), (business.CountryCode, business.Locale, business.Currency, business.BusinessType));
            var owner = await db.Staff.IgnoreQueryFilters().SingleAsync(s => s.OrganizationId == business.Id);
            Assert.Equal(("+525512349999", StaffRole.Owner), (owner.PhoneNumber, owner.Role));
            var services = await db.Services.IgnoreQueryFilters().Where(s => s.OrganizationId == business.Id).ToListAsync();
            Assert.Contains(services, s => s is { Name: "Corte de cabello", PriceCents: 15000, DurationMinutes: 30, Currency: "MXN" });
            var hours = (await db.Locations.IgnoreQueryFilters().SingleAsync(l => l.OrganizationId == business.Id)).BusinessHours;
            Assert.Equal([new OpenInterval("09:00", "19:00")], hours.Sat);
            Assert.Empty(hours.Sun);
            // The platform's own chat stayed the platform's.
            Assert.All(await db.Messages.IgnoreQueryFilters().ToListAsync(), m => Assert.Equal(platform.Id, m.OrganizationId));
        }

        Assert.Contains("https://karibu.example/b/barberia-el-guero", await SayAsync(app, platform, api, "hola", from), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneWhoAlreadyOwnsABusiness_IsSentToSignIn_AndNoSaysStartAgain()
    {
        var (app, platform, api) = await StartAsync();
        await using var _ = app;
        using var __ = api;
        var shop = await app.CreateAsync(Tenants.NairobiSalon());
        await app.AddPersonAsync(shop, "njeri@example.com", "Njeri", "0712 000 111");

        Assert.Contains("You already have Salon ya Mama Njeri on Karibu. Sign in here: https://karibu.example/app/sign-in",
            await SayAsync(app, platform, api, "Hello", "+254 712 000 111"), StringComparison.Ordinal);

        const string from = "+254 712 000 222";
        await SayAsync(app, platform, api, "Hello", from);
        await SayAsync(app, platform, api, "Nails by Wanjiru", from);
        await SayAsync(app, platform, api, "nails", from);
        Assert.Contains("Nails by Wanjiru* (Nails, Kenya (in English))", await SayAsync(app, platform, api, "2", from), StringComparison.Ordinal);
        Assert.Contains("let's start again", await SayAsync(app, platform, api, "no", from), StringComparison.Ordinal);

        var (db, scope) = app.Db();
        using (scope)
        {
            Assert.False(await db.Organizations.IgnoreQueryFilters().AnyAsync(o => o.Name == "Nails by Wanjiru"));
        }
    }
}
