using Karibu.Features.Conversations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Karibu.Tests.Features.Conversations;

/// <summary>The inbox in Chromium on a phone-sized screen: an owner takes a chat from the assistant, answers, and hands it back.</summary>
public sealed class InboxBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    // Monday 23 November 2026, 10:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    [BrowserFact]
    public async Task AnOwner_TakesOverAChat_Replies_AndHandsItBack_AndTheAssistantAnswersTheNextMessage()
    {
        await using var app = KaribuApp.StartListening();
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        using var api = app.Client(tenant.ApiKey);
        await (await api.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 15000 })).AssertStatusAsync(201);
        await ArrangeOtherChatsAsync(app, tenant);

        // María writes through the simulator and the assistant answers her.
        await CustomerSaysAsync(app, tenant, api, "Hola, ¿me pueden atender hoy?");
        var (db, scope) = app.Db(tenant.Id);
        Guid conversationId;
        using (scope)
        {
            var customer = await db.Customers.SingleAsync(c => c.PhoneNumber == "+525512340000");
            customer.DisplayName = "María González";
            await db.SaveChangesAsync();
            conversationId = (await db.Conversations.SingleAsync(c => c.CustomerId == customer.Id)).Id;
        }

        var page = await chromium.NewPageAsync(app.Address!, Chromium.Phone);
        await page.SignInAsync("ramon@example.com");
        await page.GotoAsync("/app/inbox");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Mensajes");
        var row = page.Locator(".chat-row", new() { HasText = "María González" });
        await Expect(row).ToContainTextAsync("Responde el asistente");
        await Expect(page.Locator(".chat-row").First).ToContainTextAsync("María González");
        await Expect(page.Locator(".chat-row", new() { HasText = "Jorge Medina" })).ToContainTextAsync("Necesita a una persona");
        await Chromium.ScreenshotAsync(page, "inbox.png", fullPage: false);

        await row.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.Address!, $"/app/inbox/{conversationId}#reply").ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("María González");
        await Expect(page.Locator(".bubble.in")).ToContainTextAsync("¿me pueden atender hoy?");
        await Expect(page.Locator(".owner-now")).ToHaveTextAsync("Responde el asistente");

        await page.GetByRole(AriaRole.Button, new() { Name = "Tomar la conversación" }).ClickAsync();
        await Expect(page.Locator(".owner-now")).ToHaveTextAsync("Atiende una persona");

        await page.Locator("#reply-text").FillAsync("¡Hola María! Soy Ramón. Te espero a las 12, ¿te queda?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        var mine = page.Locator(".bubble.out", new() { HasText = "Soy Ramón" });
        await Expect(mine).ToBeVisibleAsync();
        await Expect(page.Locator(".owner-now")).ToHaveTextAsync("Atiende una persona");
        // The simulator "delivers" at once: a reload shows it sent.
        await Eventually.HoldsAsync(async () => await StaffRepliesSentAsync(app, tenant) == 1, "the owner's reply sent");
        await page.ReloadAsync();
        await Expect(mine).ToContainTextAsync("✓ Enviado");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await Chromium.ScreenshotAsync(page, "conversation.png", fullPage: true);

        // While a person has it, the assistant stays quiet.
        await CustomerSaysAsync(app, tenant, api, "Sí, a las 12 está bien", expectReply: false);
        Assert.Equal(1, await AssistantRepliesAsync(app, tenant));

        await page.GetByRole(AriaRole.Button, new() { Name = "Devolver al asistente" }).ClickAsync();
        await Expect(page.Locator(".owner-now")).ToHaveTextAsync("Responde el asistente");

        // Handed back: the customer's next message gets the assistant's answer again.
        await CustomerSaysAsync(app, tenant, api, "¿Cuánto cuesta el corte?");
        Assert.Equal(2, await AssistantRepliesAsync(app, tenant));
        await page.ReloadAsync();
        await Expect(page.Locator(".bubble.out").Last.Locator(".from")).ToHaveTextAsync("Asistente");
    }

    /// <summary>The customer writes through the simulator; waits until the inbox processed it (and, if expected, the assistant's answer was sent).</summary>
    private static async Task CustomerSaysAsync(KaribuApp app, Tenant tenant, HttpClient api, string text, bool expectReply = true)
    {
        var before = await AssistantRepliesAsync(app, tenant);
        await (await api.PostJsonAsync($"{tenant.Path}/simulator/messages", new { from = "55 1234 0000", text })).AssertStatusAsync(202);
        await Eventually.HoldsAsync(() => QueryAsync(app, tenant, db => db.InboxEvents.IgnoreQueryFilters()
            .AllAsync(e => e.State != Karibu.Features.Messaging.InboxState.Pending)), "the message processed");
        await Eventually.HoldsAsync(() => QueryAsync(app, tenant, db => db.Messages.AnyAsync(m => m.Body == text)), "the message stored");
        if (expectReply)
        {
            await Eventually.HoldsAsync(async () => await AssistantRepliesAsync(app, tenant) > before, $"the assistant's answer to «{text}»");
        }
    }

    private static Task<int> AssistantRepliesAsync(KaribuApp app, Tenant tenant) => QueryAsync(app, tenant, db =>
        db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.SenderType == SenderType.Ai && m.Status != MessageStatus.Read));

    private static Task<int> StaffRepliesSentAsync(KaribuApp app, Tenant tenant) => QueryAsync(app, tenant, db =>
        db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.SenderType == SenderType.Staff && m.Status == MessageStatus.Sent));

    /// <summary>Two earlier chats, so the inbox looks like a day's work: one the assistant handed over, one it answered.</summary>
    private static async Task ArrangeOtherChatsAsync(KaribuApp app, Tenant tenant)
    {
        using var api = app.Client(tenant.ApiKey);
        var jorge = (await (await api.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 2222 3333", name = "Jorge Medina" })).AssertStatusAsync(201)).Id();
        var lucia = (await (await api.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = "55 4444 5555", name = "Lucía Torres" })).AssertStatusAsync(201)).Id();
        await QueryAsync(app, tenant, async db =>
        {
            var handedOver = new Conversation
            {
                CustomerId = jorge, Channel = MessageChannel.Simulator, Status = ConversationStatus.Human,
                LastInboundAt = (Now - TimeSpan.FromMinutes(40)).UtcDateTime, LastMessageAt = (Now - TimeSpan.FromMinutes(40)).UtcDateTime,
            };
            var answered = new Conversation
            {
                CustomerId = lucia, Channel = MessageChannel.Simulator,
                LastInboundAt = (Now - TimeSpan.FromHours(20)).UtcDateTime, LastMessageAt = (Now - TimeSpan.FromHours(20)).UtcDateTime,
            };
            db.Conversations.AddRange(handedOver, answered);
            db.Messages.AddRange(
                Said(handedOver, "¿Hacen tintes para hombre? Quiero cubrir las canas", inbound: true),
                Said(handedOver, "Le pido a alguien del equipo que te conteste en un momento 🙌", inbound: false),
                Said(answered, "¿Abren el domingo?", inbound: true),
                Said(answered, "Los domingos descansamos. ¿Te aparto un lugar el sábado?", inbound: false));
            return await db.SaveChangesAsync();
        });
    }

    private static Message Said(Conversation c, string text, bool inbound) => new()
    {
        ConversationId = c.Id, Channel = c.Channel, Body = text,
        Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
        SenderType = inbound ? SenderType.Customer : SenderType.Ai,
        Status = inbound ? MessageStatus.Received : MessageStatus.Read,
    };

    private static async Task<T> QueryAsync<T>(KaribuApp app, Tenant tenant, Func<Karibu.Data.KaribuDb, Task<T>> query)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            return await query(db);
        }
    }
}
