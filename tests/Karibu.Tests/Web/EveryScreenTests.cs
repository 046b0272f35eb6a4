using System.Net;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Karibu.Tests.Features.Scheduling;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Web;

/// <summary>
/// Every page, owner app and public, opened with real data on both databases. On PostgreSQL a query really awaits,
/// and the framework renders a component once while its first await is pending: a screen that read what it had
/// not loaded yet answered 500 there while SQLite (whose queries finish at once) hid it.
/// </summary>
public sealed class EveryScreenTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryScreen_Renders_WithItsDataOnBothDatabases(string provider)
    {
        await using var shop = await TodayShop.StartAsync(app: await KaribuApp.StartAsync(provider));
        var path = shop.Tenant.Path;
        var faq = (await (await shop.Api.PostJsonAsync($"{path}/faq", new { question = "¿Tienen estacionamiento?", answer = "Sí, atrás." })).AssertStatusAsync(201)).Id();
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        Guid ana, conversation;
        string slug;
        using (scope)
        {
            ana = await db.Appointments.Where(a => a.Id == shop.Ana).Select(a => a.CustomerId).SingleAsync();
            var chat = new Conversation { CustomerId = ana, Channel = MessageChannel.Whatsapp, LastInboundAt = shop.App.Time.GetUtcNow().UtcDateTime };
            db.Conversations.Add(chat);
            db.Messages.Add(new Message
            {
                ConversationId = chat.Id, Channel = chat.Channel, Body = "¿Me puedes cambiar la cita?", Direction = MessageDirection.Inbound,
                SenderType = SenderType.Customer, Status = MessageStatus.Received,
            });
            slug = (await db.Organizations.SingleAsync()).Slug;
            // Carla's booking came from the booking page, which shows its confirmation.
            (await db.Appointments.SingleAsync(a => a.Id == shop.Carla)).Source = AppointmentSource.Web;
            await db.SaveChangesAsync();
            conversation = chat.Id;
        }

        using var owner = await shop.App.SignedInAsync(TodayShop.Owner);
        string[] app =
        [
            "/app", "/app?day=2026-11-24", "/app/week", "/app/block", "/app/book", $"/app/appointments/{shop.Ana}",
            "/app/inbox", $"/app/inbox/{conversation}",
            "/app/customers", $"/app/customers/{ana}", "/app/customers/contact", "/app/customers/import",
            "/app/settings", "/app/settings/business", "/app/settings/hours", "/app/settings/services", "/app/settings/services/new",
            $"/app/settings/services/{shop.HaircutId}", "/app/settings/staff", "/app/settings/staff/new", $"/app/settings/staff/{shop.BarberId}",
            "/app/settings/templates", "/app/settings/faq", "/app/settings/faq/new", $"/app/settings/faq/{faq}", "/app/settings/assistant",
            "/app/settings/channels", "/app/settings/api-keys", "/app/welcome", "/app/sign-out",
        ];
        foreach (var page in app)
        {
            var html = await OkHtmlAsync(owner, page);
            Assert.True(html.Contains("<nav class=\"tabs\"", StringComparison.Ordinal), $"{page} has no app frame");
        }

        // A customer's chat opens the conversation they already have.
        var open = await owner.GetAsync($"/app/inbox/customer/{ana}");
        Assert.Equal((HttpStatusCode.Redirect, $"/app/inbox/{conversation}"), (open.StatusCode, open.Headers.Location?.AbsolutePath));

        using var visitor = shop.App.Browser();
        foreach (var page in new[] { $"/b/{slug}", $"/b/{slug}?service={shop.HaircutId}", $"/b/{slug}?service={shop.HaircutId}&day=2026-11-24", "/signup", "/app/sign-in", $"/b/{slug}/confirmed/{shop.Carla}" })
        {
            Assert.Contains("</html>", await OkHtmlAsync(visitor, page), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/b/no-such-business")).StatusCode);
    }

    private static async Task<string> OkHtmlAsync(HttpClient browser, string page)
    {
        var response = await browser.GetAsync(page);
        var html = await response.HtmlAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)response.StatusCode}:\n{html[..Math.Min(html.Length, 2000)]}");
        return html;
    }
}
