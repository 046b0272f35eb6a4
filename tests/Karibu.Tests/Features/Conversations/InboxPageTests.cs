using System.Net;
using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Conversations;

/// <summary>The owner app's inbox (/app/inbox) and a conversation's thread, over HTTP like a browser.</summary>
public sealed class InboxPageTests
{
    // Monday 23 November 2026, 10:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);
    private static readonly string[] NewestFirst = ["55 3333 4444", "Ana López", "Carla Ruiz"];
    private static readonly string[] Thread = ["Hola, ¿tienen lugar hoy?", "¡Hola Ana! Tengo 11:00 o 12:30.", "11 por favor", "Listo, te espero"];

    private static DateTime Utc(TimeSpan ago) => (Now - ago).UtcDateTime;

    private sealed record Shop(KaribuApp App, Tenant Tenant) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Shop> StartAsync(string provider = "Sqlite")
    {
        var app = await KaribuApp.StartAsync(provider);
        app.Time.Set(Now);
        var tenant = await app.CreateAsync();
        await app.AddPersonAsync(tenant, "ramon@example.com");
        return new Shop(app, tenant);
    }

    private static async Task<Guid> CustomerAsync(Shop shop, string phone, string? name)
    {
        using var api = shop.App.Client(shop.Tenant.ApiKey);
        return (await (await api.PostJsonAsync($"{shop.Tenant.Path}/customers", new { phone_number = phone, name })).AssertStatusAsync(201)).Id();
    }

    /// <summary>A conversation with the customer, and its messages (inbound when the text starts with "&lt;").</summary>
    private static async Task<Guid> ConversationAsync(Shop shop, Guid customer, Action<Conversation>? arrange = null, params string[] said)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var conversation = new Conversation { CustomerId = customer, Channel = MessageChannel.Whatsapp, LastInboundAt = Utc(TimeSpan.FromHours(1)) };
            arrange?.Invoke(conversation);
            db.Conversations.Add(conversation);
            foreach (var text in said)
            {
                var inbound = text.StartsWith('<');
                db.Messages.Add(new Message
                {
                    ConversationId = conversation.Id, Channel = conversation.Channel, Body = text.TrimStart('<'),
                    Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
                    SenderType = inbound ? SenderType.Customer : SenderType.Ai,
                    Status = inbound ? MessageStatus.Received : MessageStatus.Delivered,
                });
            }

            await db.SaveChangesAsync();
            return conversation.Id;
        }
    }

    private static async Task<T> QueryAsync<T>(Shop shop, Func<Karibu.Data.KaribuDb, Task<T>> query)
    {
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            return await query(db);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheInbox_ListsConversationsNewestFirst_WithTheLastMessageAndWhoAnswers_AndFilters(string provider)
    {
        await using var shop = await StartAsync(provider);
        var ana = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var beto = await CustomerAsync(shop, "55 3333 4444", null);
        var carla = await CustomerAsync(shop, "55 5555 6666", "Carla Ruiz");
        await ConversationAsync(shop, ana, c => c.LastMessageAt = Utc(TimeSpan.FromHours(3)), "<Hola", "¡Hola Ana! ¿En qué te ayudo?");
        await ConversationAsync(shop, beto, c => (c.Status, c.LastMessageAt) = (ConversationStatus.Human, Utc(TimeSpan.FromMinutes(5))),
            "<Quiero hablar con el dueño sobre un pago que hice la semana pasada y que todavía no aparece en mi cuenta, por favor");
        await ConversationAsync(shop, carla, c => (c.Status, c.BotPausedUntil, c.LastMessageAt) = (ConversationStatus.Human, Utc(TimeSpan.FromHours(-5)), Utc(TimeSpan.FromDays(1))),
            "<¿Tienen lugar el sábado?", "Sí, a las 11");
        // Not in the inbox: a chat that is not with a customer (staff talk to the assistant), and another business's customers.
        await ConversationAsync(shop, ana, c => (c.CustomerId, c.StaffId, c.LastMessageAt) = (null, null, Utc(TimeSpan.Zero)));
        var other = await shop.App.CreateAsync(Tenants.NairobiSalon());
        using (var api = shop.App.Client(other.ApiKey))
        {
            var stranger = (await (await api.PostJsonAsync($"{other.Path}/customers", new { phone_number = "0712 000 111", name = "Wanjiru" })).AssertStatusAsync(201)).Id();
            var (db, scope) = shop.App.Db(other.Id);
            using (scope)
            {
                db.Conversations.Add(new Conversation { CustomerId = stranger, LastMessageAt = Utc(TimeSpan.Zero) });
                await db.SaveChangesAsync();
            }
        }

        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var response = await browser.GetAsync("/app/inbox");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();

        // Newest activity first; a customer without a name shows their number.
        var order = NewestFirst.Select(n => html.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0, html));
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("Wanjiru", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("class=\"chat-row").Length - 1);

        // Who answers each, when, and the last message trimmed to one line.
        Assert.Contains("Necesita a una persona", html, StringComparison.Ordinal);
        Assert.Contains("Atiende una persona", html, StringComparison.Ordinal);
        Assert.Contains("Responde el asistente", html, StringComparison.Ordinal);
        Assert.Contains("Quiero hablar con el dueño sobre un pago que hice la semana pasada y…", html, StringComparison.Ordinal);
        Assert.Contains("Asistente:</span>", html, StringComparison.Ordinal);
        Assert.Contains("¡Hola Ana! ¿En qué te ayudo?", html, StringComparison.Ordinal);
        Assert.Contains("9:55 a.m.", html, StringComparison.Ordinal);
        Assert.Contains("Ayer", html, StringComparison.Ordinal);
        Assert.Contains("class=\"chat-row unread\"", html, StringComparison.Ordinal);

        var needs = await (await browser.GetAsync("/app/inbox?filter=needs")).HtmlAsync();
        Assert.Contains("55 3333 4444", needs, StringComparison.Ordinal);
        Assert.DoesNotContain("Carla Ruiz", needs, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana López", needs, StringComparison.Ordinal);

        var person = await (await browser.GetAsync("/app/inbox?filter=person")).HtmlAsync();
        Assert.Contains("Carla Ruiz", person, StringComparison.Ordinal);
        Assert.DoesNotContain("55 3333 4444", person, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana López", person, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheInbox_ShowsTheNewest30_AndLinksToOlderOnes()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            for (var i = 0; i < 31; i++)
            {
                db.Conversations.Add(new Conversation { CustomerId = customer, LastMessageAt = Utc(TimeSpan.FromMinutes(i)) });
            }

            await db.SaveChangesAsync();
        }

        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var first = await (await browser.GetAsync("/app/inbox")).HtmlAsync();
        Assert.Equal(30, first.Split("class=\"chat-row").Length - 1);
        Assert.Contains("href=\"/app/inbox?page=2\"", first, StringComparison.Ordinal);

        var second = await (await browser.GetAsync("/app/inbox?page=2")).HtmlAsync();
        Assert.Equal(1, second.Split("class=\"chat-row").Length - 1);
        Assert.Contains("9:30 a.m.", second, StringComparison.Ordinal);
        Assert.DoesNotContain("page=3", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheThread_ShowsTheMessagesOldestFirst_InTheBusinesssTime_WithWhatHappenedToEachReply()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, null, "<Hola, ¿tienen lugar hoy?", "¡Hola Ana! Tengo 11:00 o 12:30.", "<11 por favor");
        await QueryAsync(shop, async db =>
        {
            var replies = await db.Messages.Where(m => m.Direction == MessageDirection.Outbound).ToListAsync();
            db.Messages.Add(new Message
            {
                ConversationId = id, Channel = MessageChannel.Whatsapp, Body = "Listo, te espero", Direction = MessageDirection.Outbound,
                SenderType = SenderType.Staff, Status = MessageStatus.Failed, ErrorCode = "131047",
            });
            replies.Single().Status = MessageStatus.Read;
            return await db.SaveChangesAsync();
        });

        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var response = await browser.GetAsync($"/app/inbox/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.HtmlAsync();

        var order = Thread.Select(t => html.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i > 0, html));
        Assert.Equal(order.Order(), order);
        Assert.Equal(2, html.Split("class=\"bubble in\"").Length - 1);
        Assert.Contains("class=\"bubble out\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"bubble out failed\"", html, StringComparison.Ordinal);
        Assert.Contains("10:00 a.m.", html, StringComparison.Ordinal);
        Assert.Contains("✓✓ Leído", html, StringComparison.Ordinal);
        Assert.Contains("No se envió", html, StringComparison.Ordinal);
        Assert.Contains("WhatsApp no lo dejó pasar", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Ana López</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Responde el asistente", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AReply_IsQueuedInTheOutbox_AndTakesTheConversationOver(string provider)
    {
        await using var shop = await StartAsync(provider);
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, null, "<¿Hacen tintes?");
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/{id}";

        var sent = await browser.PostFormAsync(page, "reply", ("Form.Text", "  ¡Claro! Soy Don Ramón, ¿qué color buscas?  "), ("Form.Once", "k1"));

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(page, sent.Headers.Location!.AbsolutePath);
        var message = await QueryAsync(shop, db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Outbound));
        Assert.Equal("¡Claro! Soy Don Ramón, ¿qué color buscas?", message.Body);
        Assert.Equal(SenderType.Staff, message.SenderType);
        Assert.Equal(MessagePurpose.Reply, message.Purpose);
        Assert.Equal(id, message.ConversationId);
        var conversation = await QueryAsync(shop, db => db.Conversations.SingleAsync(c => c.Id == id));
        Assert.Equal(ConversationStatus.Human, conversation.Status);
        Assert.Equal(Now.AddHours(12).UtcDateTime, conversation.BotPausedUntil);
        Assert.Equal(Now.UtcDateTime, conversation.LastMessageAt);

        var after = await (await browser.GetAsync(page)).HtmlAsync();
        Assert.Contains("¡Claro! Soy Don Ramón, ¿qué color buscas?", after, StringComparison.Ordinal);
        Assert.Contains("Atiende una persona", after, StringComparison.Ordinal);
        Assert.Contains("El asistente está en silencio hasta las 10:00 p.m.", after, StringComparison.Ordinal);

        var empty = await browser.PostFormAsync(page, "reply", ("Form.Text", "   "), ("Form.Once", "k2"));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("id=\"reply-error\">Escribe tu mensaje.", await empty.HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakingOver_AndHandingBack_ChangeWhoAnswers()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, null, "<Hola");
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/{id}";

        var taken = await browser.PostFormAsync(page, "take-over");
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        var conversation = await QueryAsync(shop, db => db.Conversations.SingleAsync(c => c.Id == id));
        Assert.Equal(ConversationStatus.Human, conversation.Status);
        Assert.Equal(Now.AddHours(12).UtcDateTime, conversation.BotPausedUntil);
        var html = await (await browser.GetAsync(page)).HtmlAsync();
        Assert.Contains("Atiende una persona", html, StringComparison.Ordinal);
        Assert.Contains("Devolver al asistente", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Tomar la conversación", html, StringComparison.Ordinal);

        var back = await browser.PostFormAsync(page, "hand-back");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        conversation = await QueryAsync(shop, db => db.Conversations.SingleAsync(c => c.Id == id));
        Assert.Equal(ConversationStatus.Bot, conversation.Status);
        Assert.Null(conversation.BotPausedUntil);
        Assert.Contains("Responde el asistente", await (await browser.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);

        // The takeover times out by itself: after 12 hours the inbox shows the assistant again.
        await browser.PostFormAsync(page, "take-over");
        shop.App.Time.Advance(TimeSpan.FromHours(12.5));
        Assert.Contains("Responde el asistente", await (await browser.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideWhatsAppsWindow_AReplyIsRefusedPolitely_NextToTheField_AndNothingIsQueued()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, c => c.LastInboundAt = Utc(TimeSpan.FromHours(25)), "<Gracias, nos vemos");
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/{id}";

        Assert.Contains("Pasaron más de 24 horas desde el último mensaje de Ana.", await (await browser.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);

        var refused = await browser.PostFormAsync(page, "reply", ("Form.Text", "¿Vienes el sábado?"), ("Form.Once", "k1"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.HtmlAsync();
        Assert.Contains("id=\"reply-error\">Pasaron más de 24 horas desde el último mensaje de Ana. Después de 24 horas WhatsApp solo deja enviar mensajes aprobados (plantillas)", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains(">¿Vienes el sábado?</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:+525511112222\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync(shop, db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound)));
        Assert.Equal(ConversationStatus.Bot, (await QueryAsync(shop, db => db.Conversations.SingleAsync(c => c.Id == id))).Status);

        // The JSON endpoint refuses it the same way, instead of queuing a message that would fail.
        using var api = shop.App.Client(shop.Tenant.ApiKey);
        await (await api.PostJsonAsync($"{shop.Tenant.Path}/conversations/{id}/messages", new { text = "¿Vienes?" })).AssertProblemAsync(422);
        Assert.Equal(0, await QueryAsync(shop, db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound)));
    }

    [Fact]
    public async Task OutsideTheWindow_WithSmsFallback_TheReplyGoesAndThePageSaysItWillArriveBySms()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, c => c.LastInboundAt = Utc(TimeSpan.FromDays(3)), "<Gracias");
        using (var api = shop.App.Client(shop.Tenant.ApiKey))
        {
            await (await api.PatchJsonAsync(shop.Tenant.Path, new { settings = new { allow_sms_fallback = true } })).AssertStatusAsync(200);
        }

        await QueryAsync(shop, async db =>
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Africastalking, ExternalId = "KARIBU" });
            return await db.SaveChangesAsync();
        });
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/{id}";

        Assert.Contains("tu respuesta le llegará por SMS", await (await browser.GetAsync(page)).HtmlAsync(), StringComparison.Ordinal);
        var sent = await browser.PostFormAsync(page, "reply", ("Form.Text", "¿Vienes el sábado?"), ("Form.Once", "k1"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(1, await QueryAsync(shop, db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.SenderType == SenderType.Staff)));
    }

    [Fact]
    public async Task ADoubleTapOnSend_SendsOnce()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, null, "<Hola");
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/{id}";

        var first = await browser.PostFormAsync(page, "reply", ("Form.Text", "¡Hola Ana!"), ("Form.Once", "same-key"));
        var second = await browser.PostFormAsync(page, "reply", ("Form.Text", "¡Hola Ana!"), ("Form.Once", "same-key"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await QueryAsync(shop, db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound)));
    }

    [Fact]
    public async Task AnEmployeeWithoutMessageCustomers_GetsAPoliteNote_AndOneWithItSeesTheInbox()
    {
        await using var shop = await StartAsync();
        var customer = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        var id = await ConversationAsync(shop, customer, null, "<Hola, ¿abren mañana?");
        await shop.App.AddPersonAsync(shop.Tenant, "luis@example.com", "Luis Pérez", "55 9000 0010", role: "employee");
        await shop.App.AddPersonAsync(shop.Tenant, "sofia@example.com", "Sofía Gómez", "55 9000 0011", role: "employee", permissions: ["message_customers"]);

        using var luis = await shop.App.SignedInAsync("luis@example.com");
        foreach (var page in new[] { "/app/inbox", $"/app/inbox/{id}", $"/app/inbox/customer/{customer}" })
        {
            var response = await luis.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.HtmlAsync();
            Assert.Contains("Tu cuenta no tiene permiso para ver los mensajes con clientes.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("¿abren mañana?", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Ana López", html, StringComparison.Ordinal);
        }

        using var sofia = await shop.App.SignedInAsync("sofia@example.com");
        Assert.Contains("Ana López", await (await sofia.GetAsync("/app/inbox")).HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await sofia.PostFormAsync($"/app/inbox/{id}", "reply", ("Form.Text", "Sí, de 9 a 7"), ("Form.Once", "k"))).StatusCode);
    }

    [Fact]
    public async Task AnotherBusinesssConversationOrCustomer_IsAFriendlyNotFound()
    {
        await using var shop = await StartAsync();
        var other = await shop.App.CreateAsync(Tenants.NairobiSalon());
        Guid stranger, theirs;
        using (var api = shop.App.Client(other.ApiKey))
        {
            stranger = (await (await api.PostJsonAsync($"{other.Path}/customers", new { phone_number = "0712 000 111", name = "Wanjiru" })).AssertStatusAsync(201)).Id();
        }

        var (db, scope) = shop.App.Db(other.Id);
        using (scope)
        {
            var conversation = new Conversation { CustomerId = stranger, LastInboundAt = Utc(TimeSpan.FromHours(1)) };
            db.Conversations.Add(conversation);
            db.Messages.Add(new Message { ConversationId = conversation.Id, Body = "Siri yangu", Direction = MessageDirection.Inbound, Status = MessageStatus.Received });
            await db.SaveChangesAsync();
            theirs = conversation.Id;
        }

        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        foreach (var page in new[] { $"/app/inbox/{theirs}", $"/app/inbox/customer/{stranger}", $"/app/inbox/{Guid.NewGuid()}" })
        {
            var response = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.HtmlAsync();
            Assert.Contains("No encontramos esta conversación", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/app/inbox\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Siri yangu", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Wanjiru", html, StringComparison.Ordinal);
        }

        Assert.Equal(0, await QueryAsync(shop, d => d.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Outbound)));
    }

    [Fact]
    public async Task MessageThem_OpensTheCustomersNewestConversation_OrStartsOneWithTheFirstMessage()
    {
        await using var shop = await StartAsync();
        var ana = await CustomerAsync(shop, "55 1111 2222", "Ana López");
        await ConversationAsync(shop, ana, c => c.LastMessageAt = Utc(TimeSpan.FromDays(2)));
        var newest = await ConversationAsync(shop, ana, c => c.LastMessageAt = Utc(TimeSpan.FromHours(2)));
        using var browser = await shop.App.SignedInAsync("ramon@example.com");

        var open = await browser.GetAsync($"/app/inbox/customer/{ana}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/app/inbox/{newest}", open.Headers.Location!.AbsolutePath);

        // A customer nobody has written to yet: the page is the empty thread; the first message starts the conversation.
        var beto = await CustomerAsync(shop, "55 3333 4444", "Beto Sánchez");
        var page = $"/app/inbox/customer/{beto}";
        var empty = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("Aún no hay mensajes con Beto Sánchez.", await empty.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync(shop, db => db.Conversations.CountAsync(c => c.CustomerId == beto)));

        var sent = await browser.PostFormAsync(page, "reply", ("Form.Text", "Hola Beto, te escribe Ramón de la barbería"), ("Form.Once", "k1"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var started = await QueryAsync(shop, db => db.Conversations.SingleAsync(c => c.CustomerId == beto));
        Assert.Equal($"/app/inbox/{started.Id}", sent.Headers.Location!.AbsolutePath);
        Assert.Equal(ConversationStatus.Human, started.Status);
        Assert.Equal("Hola Beto, te escribe Ramón de la barbería", (await QueryAsync(shop, db => db.Messages.SingleAsync(m => m.ConversationId == started.Id))).Body);
    }

    [Fact]
    public async Task WritingFirst_OnWhatsApp_ToSomeoneWhoNeverWrote_IsRefusedPolitely()
    {
        await using var shop = await StartAsync();
        await QueryAsync(shop, async db =>
        {
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = "1234567890" });
            return await db.SaveChangesAsync();
        });
        var beto = await CustomerAsync(shop, "55 3333 4444", "Beto Sánchez");
        using var browser = await shop.App.SignedInAsync("ramon@example.com");
        var page = $"/app/inbox/customer/{beto}";

        var refused = await browser.PostFormAsync(page, "reply", ("Form.Text", "Hola Beto"), ("Form.Once", "k1"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("id=\"reply-error\">Beto aún no te ha escrito por WhatsApp", await refused.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync(shop, db => db.Conversations.CountAsync(c => c.CustomerId == beto)));
    }
}
