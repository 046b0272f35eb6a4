using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Messaging;

/// <summary>A Mexican barbershop with its WhatsApp number connected, talking to a fake Graph API.</summary>
internal sealed class MessagingHarness : IAsyncDisposable
{
    private MessagingHarness(KaribuApp app, FakeWhatsApp graph, Tenant tenant)
    {
        App = app;
        Graph = graph;
        Tenant = tenant;
        Client = app.Client(tenant.ApiKey);
        Anonymous = app.Client(null);
    }

    public KaribuApp App { get; }
    public FakeWhatsApp Graph { get; }
    public Tenant Tenant { get; }
    public HttpClient Client { get; }
    public HttpClient Anonymous { get; }

    public static async Task<MessagingHarness> StartAsync(
        string provider = "Sqlite", IDictionary<string, string?>? settings = null, bool connect = true, object? tenantBody = null)
    {
        var graph = await FakeWhatsApp.StartAsync();
        var all = graph.Settings();
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var app = await KaribuApp.StartAsync(provider, all);
        var tenant = await app.CreateAsync(tenantBody);
        var harness = new MessagingHarness(app, graph, tenant);
        if (connect)
        {
            await harness.ConnectAsync();
        }

        return harness;
    }

    public async Task ConnectAsync() =>
        await (await Client.PostJsonAsync($"{Tenant.Path}/connect-whatsapp", new
        {
            phone_number_id = FakeWhatsApp.PhoneNumberId,
            waba_id = FakeWhatsApp.WabaId,
            access_token = FakeWhatsApp.AccessToken,
            display_phone_number = "525500000001",
        })).AssertStatusAsync(200);

    public DateTimeOffset Now => App.Time.GetUtcNow();

    /// <summary>Sends <paramref name="text"/> from <paramref name="from"/> through the simulator and returns the assistant's reply.</summary>
    public async Task<string> SimulateAsync(string text, string from)
    {
        Task<int> SentAsync() => QueryAsync(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.Status == MessageStatus.Sent));
        var before = await SentAsync();
        await (await Client.PostJsonAsync($"{Tenant.Path}/simulator/messages", new { from, text })).AssertStatusAsync(202);
        await Eventually.HoldsAsync(async () => await SentAsync() > before, $"a reply to «{text}»");
        return (await QueryAsync(db => db.Messages.Where(m => m.Direction == MessageDirection.Outbound).OrderBy(m => m.Id).ToListAsync())).Last().Body!;
    }

    public async Task<T> QueryAsync<T>(Func<KaribuDb, Task<T>> query)
    {
        var (db, scope) = App.Db(Tenant.Id);
        using (scope)
        {
            return await query(db);
        }
    }

    public Task WaitInboxDrainedAsync() => Eventually.HoldsAsync(
        () => QueryAsync(db => db.InboxEvents.AllAsync(e => e.State != Karibu.Features.Messaging.InboxState.Pending)), "every inbox event processed");

    public Task WaitOutboxDrainedAsync(int seconds = 20) => Eventually.HoldsAsync(
        () => QueryAsync(db => db.Messages.AllAsync(m => m.Status != MessageStatus.Queued && m.Status != MessageStatus.Sending)),
        "every queued message sent or failed", seconds);

    /// <summary>A customer who wrote <paramref name="lastInbound"/> ago (null: never), with their WhatsApp conversation.</summary>
    public async Task<Conversation> ArrangeConversationAsync(string phone = "+525500000101", TimeSpan? lastInbound = null, MessageChannel channel = MessageChannel.Whatsapp)
    {
        var (db, scope) = App.Db(Tenant.Id);
        using (scope)
        {
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.PhoneNumber == phone);
            if (customer is null)
            {
                customer = new Customer { PhoneNumber = phone, DisplayName = "María", PersonId = await People.GetOrAddAsync(db, phone, default) };
                db.Customers.Add(customer);
            }

            var conversation = new Conversation
            {
                CustomerId = customer.Id,
                Channel = channel,
                Address = phone,
                LastInboundAt = lastInbound is { } ago ? (Now - ago).UtcDateTime : null,
            };
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await App.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
