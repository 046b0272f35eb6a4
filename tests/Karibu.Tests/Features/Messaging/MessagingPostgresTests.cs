using System.Collections.Concurrent;
using System.Net;
using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Messaging;

/// <summary>Several nodes on one PostgreSQL, and a node dying mid-work.</summary>
public sealed class MessagingPostgresTests
{
    private static Dictionary<string, string?> Settings(FakeWhatsApp graph)
    {
        var settings = graph.Settings();
        settings["Karibu:Messaging:LeaseSeconds"] = "30";
        return settings;
    }

    private static async Task ConnectAsync(KaribuApp app, Tenant tenant)
    {
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new
        {
            phone_number_id = FakeWhatsApp.PhoneNumberId, waba_id = FakeWhatsApp.WabaId, access_token = FakeWhatsApp.AccessToken,
        })).AssertStatusAsync(200);
    }

    /// <summary>Conversations whose customers wrote an hour ago, each with <paramref name="perConversation"/> queued replies "c{n}-m{i}".</summary>
    private static async Task QueueAsync(KaribuApp app, Guid organizationId, int conversations, int perConversation)
    {
        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            for (var c = 0; c < conversations; c++)
            {
                var phone = $"+5255{c:D8}";
                var customer = new Customer { PhoneNumber = phone, PersonId = await People.GetOrAddAsync(db, phone, default) };
                db.Customers.Add(customer);
                var conversation = new Conversation
                {
                    CustomerId = customer.Id, Address = phone, LastInboundAt = app.Time.GetUtcNow().UtcDateTime.AddHours(-1),
                };
                db.Conversations.Add(conversation);
                for (var i = 0; i < perConversation; i++)
                {
                    Outbox.Queue(db, conversation, $"c{c}-m{i}", MessagePurpose.Reply);
                }
            }

            await db.SaveChangesAsync();
        }
    }

    private static async Task<T> QueryAsync<T>(KaribuApp app, Func<KaribuDb, Task<T>> query)
    {
        var (db, scope) = app.Db();
        using (scope)
        {
            return await query(db);
        }
    }

    [PostgresFact]
    public async Task TwoInstances_SendEveryMessageOnce_AndKeepEachConversationsOrder()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var graph = await FakeWhatsApp.StartAsync();
        await using var a = KaribuApp.Start(database, settings: Settings(graph));
        await using var b = KaribuApp.Start(database, settings: Settings(graph));
        var tenant = await a.CreateAsync();
        await ConnectAsync(a, tenant);

        await QueueAsync(a, tenant.Id, conversations: 100, perConversation: 20);
        await Eventually.HoldsAsync(
            () => QueryAsync(a, db => db.Messages.IgnoreQueryFilters().AllAsync(m => m.Status == MessageStatus.Sent)), "all 2,000 messages sent", 180);

        var requests = graph.Requests.ToList();
        Assert.Equal(2000, requests.Count);
        Assert.Equal(2000, requests.Select(r => r.Body["biz_opaque_callback_data"]!.GetValue<string>()).Distinct().Count());
        foreach (var recipient in requests.GroupBy(r => r.Body["to"]!.GetValue<string>()))
        {
            var bodies = recipient.Select(r => r.Body["text"]!["body"]!.GetValue<string>()).ToList();
            var c = int.Parse(recipient.Key[5..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{c}-m{i}"), bodies);
        }
    }

    [PostgresFact]
    public async Task AfterANodeDiesMidWork_EveryAcknowledgedEventIsProcessedOnce_AndNoMessageIsStuck()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var graph = await FakeWhatsApp.StartAsync();
        graph.Delay = TimeSpan.FromMilliseconds(5);
        var first = KaribuApp.Start(database, settings: Settings(graph));
        var tenant = await first.CreateAsync();
        await ConnectAsync(first, tenant);
        await QueueAsync(first, tenant.Id, conversations: 200, perConversation: 10);

        // 2,000 inbound messages from 400 people, 16 webhooks at a time; the node is stopped part-way.
        var acknowledged = new ConcurrentBag<string>();
        var client = first.Client(null);
        var start = first.Time.GetUtcNow();
        var posting = Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var wamid = $"wamid.CRASH_{i:D4}";
            var body = FakeWhatsApp.InboundText(wamid, $"mensaje {i}", start.AddSeconds(i), waId: $"52155{i % 400:D8}", name: $"Cliente {i % 400}");
            try
            {
                if ((await FakeWhatsApp.PostWebhookAsync(client, body)).StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(wamid);
                }
            }
#pragma warning disable CA1031 // Requests cut off by the dying node are simply not acknowledged.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        });
        await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= 700), "part of the webhooks acknowledged", 120);
        await first.DisposeAsync();
        await posting;
        int leftBehind;
        await using (var probe = KaribuApp.Start(database, settings: new Dictionary<string, string?> { ["Karibu:Messaging:RunWorkers"] = "false" }))
        {
            leftBehind = await QueryAsync(probe,
                db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Outbound && m.Status != MessageStatus.Sent));
        }

        Assert.True(leftBehind > 0, "the node should have died with work left");

        // A new node, later than the dead node's leases.
        await using var second = KaribuApp.Start(database, settings: Settings(graph));
        second.Time.Set(start.AddMinutes(5));
        await Eventually.HoldsAsync(() => QueryAsync(second, db => db.InboxEvents.AllAsync(e => e.State == InboxState.Processed)), "every stored event processed", 180);
        await Eventually.HoldsAsync(
            () => QueryAsync(second, db => db.Messages.IgnoreQueryFilters().AllAsync(m => m.Status == MessageStatus.Sent || m.Status == MessageStatus.Failed || m.Direction == MessageDirection.Inbound)),
            "every outbound message sent or failed", 180);

        var inbound = await QueryAsync(second, db => db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Inbound)
            .Select(m => m.ProviderMessageId!).ToListAsync());
        Assert.Equal(inbound.Count, inbound.Distinct().Count());
        Assert.Subset(inbound.ToHashSet(), acknowledged.ToHashSet());
        Assert.Equal(await QueryAsync(second, db => db.InboxEvents.CountAsync()), inbound.Count);
        Assert.Equal(0, await QueryAsync(second, db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending)));
    }

    [PostgresFact]
    public async Task TwoInstances_ProcessEachChatsInboundMessagesInOrder()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var graph = await FakeWhatsApp.StartAsync();
        await using var a = KaribuApp.Start(database, settings: Settings(graph));
        await using var b = KaribuApp.Start(database, settings: Settings(graph));
        var tenant = await a.CreateAsync();
        await ConnectAsync(a, tenant);
        using var toA = a.Client(null);
        using var toB = b.Client(null);

        // 30 people write 10 messages each; their webhooks alternate between the two nodes.
        var start = a.Time.GetUtcNow().AddMinutes(-30);
        await Parallel.ForEachAsync(Enumerable.Range(0, 30), async (person, _) =>
        {
            for (var i = 0; i < 10; i++)
            {
                var body = FakeWhatsApp.InboundText($"wamid.P{person}_{i}", $"{person}:{i}", start.AddSeconds(i), waId: $"52155{person:D8}");
                await (await FakeWhatsApp.PostWebhookAsync(i % 2 == 0 ? toA : toB, body)).AssertStatusAsync(200);
            }
        });
        await Eventually.HoldsAsync(() => QueryAsync(a, db => db.InboxEvents.AllAsync(e => e.State == InboxState.Processed)), "every event processed", 120);

        // The assistant answers too; the order that matters here is that of what the people wrote.
        var messages = await QueryAsync(a, db => db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.Id).Select(m => new { m.ConversationId, m.Body }).ToListAsync());
        Assert.Equal(300, messages.Count);
        Assert.Equal(30, messages.Select(m => m.ConversationId).Distinct().Count());
        foreach (var chat in messages.GroupBy(m => m.ConversationId))
        {
            var person = chat.First().Body!.Split(':')[0];
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{person}:{i}"), chat.Select(m => m.Body));
        }
    }
}
