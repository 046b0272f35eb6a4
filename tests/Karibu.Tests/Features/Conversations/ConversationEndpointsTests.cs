using System.Text.Json.Nodes;
using Karibu.Features.Conversations;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Conversations;

/// <summary>
/// /api/v1/organizations/{org_id}/conversations over HTTP. Conversations arrive through channels, so
/// they are arranged directly in the database, as a channel would write them.
/// </summary>
public sealed class ConversationEndpointsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_ReturnsTheBusinesssConversations_AndFiltersByStatus(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        var other = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var customer = await CreateCustomerAsync(app, tenant, "55 1234 5678");
        var withBot = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer });
        var withHuman = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer, Status = ConversationStatus.Human });
        var resolved = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer, Status = ConversationStatus.Resolved, Channel = MessageChannel.Sms });
        await ArrangeConversationAsync(app, other, new Conversation { CustomerId = await CreateCustomerAsync(app, other, "0712 345 678"), Status = ConversationStatus.Human });

        Assert.Equal(new[] { withBot, withHuman, resolved }.Order(), (await ListAsync(client, tenant, "")).Order());
        Assert.Equal([withHuman], await ListAsync(client, tenant, "status=human"));
        Assert.Equal([withBot], await ListAsync(client, tenant, "status=bot"));
        Assert.Equal([resolved], await ListAsync(client, tenant, "status=resolved"));

        var page = await (await client.GetAsync($"{tenant.Path}/conversations?status=human")).AssertStatusAsync(200);
        Assert.False(page["has_more"]!.GetValue<bool>());
        Assert.Equal("human", page["data"]![0]!.Str("status"));
    }

    [Theory]
    [InlineData("status=open", "status")]
    [InlineData("status=", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    public async Task List_WithInvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);

        await (await client.GetAsync($"{tenant.Path}/conversations?{query}")).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task List_PagesWithLimitAndStartingAfter()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var customer = await CreateCustomerAsync(app, tenant, "55 1234 5678");
        for (var i = 0; i < 3; i++)
        {
            await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer });
        }

        var all = await ListAsync(client, tenant, "");
        var first = await (await client.GetAsync($"{tenant.Path}/conversations?limit=2")).AssertStatusAsync(200);
        Assert.True(first["has_more"]!.GetValue<bool>());
        var firstIds = first["data"]!.AsArray().Select(c => c!.Id()).ToList();
        var rest = await ListAsync(client, tenant, $"limit=2&starting_after={firstIds[^1]}");

        Assert.Equal(3, all.Count);
        Assert.Equal(all, firstIds.Concat(rest));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Get_ReturnsTheConversationInTheBusinesssOffset(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var customer = await CreateCustomerAsync(app, tenant, "55 1234 5678");
        var lastInbound = new DateTime(2026, 11, 21, 14, 30, 0, DateTimeKind.Utc);
        var id = await ArrangeConversationAsync(app, tenant, new Conversation
        {
            CustomerId = customer, Status = ConversationStatus.Human, LastInboundAt = lastInbound, LastMessageAt = lastInbound.AddMinutes(5),
        });

        var conversation = await (await client.GetAsync($"{tenant.Path}/conversations/{id}")).AssertStatusAsync(200);

        Assert.Equal(id, conversation.Id());
        Assert.Equal(tenant.Id, Guid.Parse(conversation.Str("organization_id")));
        Assert.Equal(customer, Guid.Parse(conversation.Str("customer_id")));
        Assert.Null(conversation["staff_id"]);
        Assert.Equal("whatsapp", conversation.Str("channel"));
        Assert.Equal("human", conversation.Str("status"));
        Assert.Equal("2026-11-21T08:30:00-06:00", conversation.Str("last_inbound_at"));
        Assert.Equal("2026-11-21T08:35:00-06:00", conversation.Str("last_message_at"));
        Assert.Equal("2026-11-21T09:00:00-06:00", conversation.Str("created_at"));
        Assert.Equal("2026-11-21T09:00:00-06:00", conversation.Str("updated_at"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Messages_AreOldestFirst_AndPageWithStartingAfter(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var customer = await CreateCustomerAsync(app, tenant, "55 1234 5678");
        var conversation = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer });
        var otherConversation = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer });
        var bodies = new[] { "Hola", "¡Hola! ¿En qué te ayudo?", "Quiero un corte mañana", "Tengo 10:00 u 11:30", "10:00 por favor" };
        var sent = new List<Guid>();
        foreach (var (body, i) in bodies.Select((b, i) => (b, i)))
        {
            var inbound = i % 2 == 0;
            sent.Add(await ArrangeMessageAsync(app, tenant, conversation, body, inbound));
            await ArrangeMessageAsync(app, tenant, otherConversation, "otra conversación", inbound);
        }

        var all = await (await client.GetAsync($"{tenant.Path}/conversations/{conversation}/messages")).AssertStatusAsync(200);
        Assert.Equal(sent, Ids(all));
        Assert.Equal(bodies, all["data"]!.AsArray().Select(m => m!.Str("body")));
        Assert.All(all["data"]!.AsArray(), m => Assert.Equal(conversation, Guid.Parse(m!.Str("conversation_id"))));
        Assert.False(all["has_more"]!.GetValue<bool>());

        var walked = new List<Guid>();
        var url = $"{tenant.Path}/conversations/{conversation}/messages?limit=2";
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 5, "Paging did not end.");
            var page = await (await client.GetAsync(url)).AssertStatusAsync(200);
            walked.AddRange(Ids(page));
            if (!page["has_more"]!.GetValue<bool>())
            {
                break;
            }

            url = $"{tenant.Path}/conversations/{conversation}/messages?limit=2&starting_after={walked[^1]}";
        }

        Assert.Equal(sent, walked);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Messages_AreSnakeCaseJson_WithTheBusinesssOffset(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        using var client = app.Client(tenant.ApiKey);
        var customer = await CreateCustomerAsync(app, tenant, "0712 345 678");
        var conversation = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = customer });
        await ArrangeMessageAsync(app, tenant, conversation, "Habari, nataka kusuka nywele", inbound: true);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            db.Messages.Add(new Message
            {
                Id = Guid.CreateVersion7(app.Time.GetUtcNow()), ConversationId = conversation, Direction = MessageDirection.Outbound,
                SenderType = SenderType.Ai, Channel = MessageChannel.Whatsapp, ContentType = "interactive", Body = "Karibu! Chagua huduma:",
                Status = MessageStatus.Delivered,
            });
            await db.SaveChangesAsync();
        }

        var page = await (await client.GetAsync($"{tenant.Path}/conversations/{conversation}/messages")).AssertStatusAsync(200);

        var inboundMessage = page["data"]![0]!.AsObject();
        Assert.Equal("inbound", inboundMessage["direction"]!.GetValue<string>());
        Assert.Equal("customer", inboundMessage["sender_type"]!.GetValue<string>());
        Assert.Equal("whatsapp", inboundMessage["channel"]!.GetValue<string>());
        Assert.Equal("text", inboundMessage["content_type"]!.GetValue<string>());
        Assert.Equal("Habari, nataka kusuka nywele", inboundMessage["body"]!.GetValue<string>());
        Assert.Equal("received", inboundMessage["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T18:00:00+03:00", inboundMessage["created_at"]!.GetValue<string>());
        foreach (var name in new[] { "id", "direction", "sender_type", "channel", "content_type", "body", "status", "created_at" })
        {
            Assert.True(inboundMessage.ContainsKey(name), $"No '{name}' in {inboundMessage.ToJsonString()}");
        }

        Assert.All(inboundMessage.Select(p => p.Key), key => Assert.Equal(key.ToLowerInvariant(), key));

        var reply = page["data"]![1]!;
        Assert.Equal("outbound", reply.Str("direction"));
        Assert.Equal("ai", reply.Str("sender_type"));
        Assert.Equal("interactive", reply.Str("content_type"));
        Assert.Equal("delivered", reply.Str("status"));
        Assert.Equal("2026-11-21T18:01:30+03:00", reply.Str("created_at"));
    }

    [Fact]
    public async Task Messages_OfAConversationWithoutAny_IsAnEmptyPage()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var conversation = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = await CreateCustomerAsync(app, tenant, "55 1234 5678") });

        var page = await (await client.GetAsync($"{tenant.Path}/conversations/{conversation}/messages")).AssertStatusAsync(200);

        Assert.Empty(page["data"]!.AsArray());
        Assert.False(page["has_more"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("starting_after=not-a-guid", "starting_after")]
    public async Task Messages_WithInvalidPaging_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        var conversation = await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = await CreateCustomerAsync(app, tenant, "55 1234 5678") });

        await (await client.GetAsync($"{tenant.Path}/conversations/{conversation}/messages?{query}")).AssertFieldErrorAsync(field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/messages")]
    public async Task UnknownConversation_Returns404Problem(string suffix)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync(Tenants.MexicoBarbershop());
        using var client = app.Client(tenant.ApiKey);
        await ArrangeConversationAsync(app, tenant, new Conversation { CustomerId = await CreateCustomerAsync(app, tenant, "55 1234 5678") });

        var body = await (await client.GetAsync($"{tenant.Path}/conversations/{Guid.CreateVersion7()}{suffix}")).AssertProblemAsync(404);

        Assert.Equal("No such conversation.", body.Str("detail"));
        await (await client.GetAsync($"{tenant.Path}/conversations/not-a-guid{suffix}")).AssertProblemAsync(404);
    }

    private static async Task<Guid> CreateCustomerAsync(KaribuApp app, Tenant tenant, string phone)
    {
        using var client = app.Client(tenant.ApiKey);
        return (await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = phone })).AssertStatusAsync(201)).Id();
    }

    private static async Task<Guid> ArrangeConversationAsync(KaribuApp app, Tenant tenant, Conversation conversation)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation.Id;
        }
    }

    /// <summary>A message received or sent now; the clock then moves on, as a chat does.</summary>
    private static async Task<Guid> ArrangeMessageAsync(KaribuApp app, Tenant tenant, Guid conversation, string body, bool inbound)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var message = new Message
            {
                // Ids are UUIDv7 of the moment the message was written; taken from the test clock so the order is the chat's.
                Id = Guid.CreateVersion7(app.Time.GetUtcNow()),
                ConversationId = conversation,
                Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
                SenderType = inbound ? SenderType.Customer : SenderType.Ai,
                Channel = MessageChannel.Whatsapp,
                Body = body,
                Status = inbound ? MessageStatus.Received : MessageStatus.Sent,
            };
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            app.Time.Advance(TimeSpan.FromSeconds(30));
            return message.Id;
        }
    }

    private static async Task<List<Guid>> ListAsync(HttpClient client, Tenant tenant, string query) =>
        Ids(await (await client.GetAsync($"{tenant.Path}/conversations?{query}")).AssertStatusAsync(200));

    private static List<Guid> Ids(JsonNode page) => page["data"]!.AsArray().Select(m => m!.Id()).ToList();
}
