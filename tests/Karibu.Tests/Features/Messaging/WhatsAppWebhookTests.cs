using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Features.Messaging;

public sealed class WhatsAppWebhookTests
{
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixtures.Path("whatsapp"), "*.json").Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith("duplicate-delivery-note.json", StringComparison.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    /// <summary>Events a body carries, counted straight from the JSON: what the inbox must hold.</summary>
    private static int CountEvents(JsonNode body)
    {
        var count = 0;
        foreach (var change in (body["entry"] as JsonArray ?? []).SelectMany(e => e?["changes"] as JsonArray ?? []))
        {
            var value = change?["value"];
            count += change?["field"]?.GetValue<string>() switch
            {
                "messages" => ((value?["messages"] as JsonArray)?.Count ?? 0) + ((value?["statuses"] as JsonArray)?.Count ?? 0)
                    + ((value?["errors"] as JsonArray)?.Count > 0 ? 1 : 0),
                "smb_message_echoes" => (value?["message_echoes"] as JsonArray)?.Count ?? 0,
                _ => 1,
            };
        }

        return count;
    }

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public async Task EveryFixture_Signed_Gets200_StoresItsEvents_AndReplayingAddsNothing(string file)
    {
        await using var h = await MessagingHarness.StartAsync();
        // The Kenyan tenant of the fixtures owns the second number.
        var kenya = await h.App.CreateAsync(Tenants.NairobiSalon());
        using (var ke = h.App.Client(kenya.ApiKey))
        {
            await (await ke.PostJsonAsync($"{kenya.Path}/connect-whatsapp", new
            {
                phone_number_id = "200000000000002", waba_id = "100000000000002", access_token = "EAAG-ke", display_phone_number = "254700000001",
            })).AssertStatusAsync(200);
        }

        var body = Fixtures.Read("whatsapp", file);
        var expected = CountEvents(JsonNode.Parse(body)!);

        Assert.Equal(HttpStatusCode.OK, (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).StatusCode);
        await h.WaitInboxDrainedAsync();
        var events = await h.QueryAsync(db => db.InboxEvents.AsNoTracking().ToListAsync());
        Assert.Equal(expected, events.Count);
        Assert.All(events, e => Assert.Equal(InboxState.Processed, e.State));
        var messages = await h.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync());
        var customers = await h.QueryAsync(db => db.Customers.IgnoreQueryFilters().CountAsync());

        // Every inbound message lands in its business's conversation once, under its wamid.
        var inbound = JsonNode.Parse(body)!["entry"]!.AsArray().SelectMany(e => e!["changes"]!.AsArray())
            .Where(c => c!["field"]!.GetValue<string>() == "messages")
            .SelectMany(c => c!["value"]!["messages"] as JsonArray ?? [])
            .Select(m => m!["id"]!.GetValue<string>()).ToList();
        foreach (var wamid in inbound)
        {
            Assert.Equal(1, await h.QueryAsync(db => db.Messages.IgnoreQueryFilters()
                .CountAsync(m => m.ProviderMessageId == wamid && m.Direction == MessageDirection.Inbound)));
        }

        Assert.Equal(HttpStatusCode.OK, (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).StatusCode);
        await h.WaitInboxDrainedAsync();
        Assert.Equal(expected, await h.QueryAsync(db => db.InboxEvents.CountAsync()));
        Assert.Equal(messages, await h.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync()));
        Assert.Equal(customers, await h.QueryAsync(db => db.Customers.IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task FirstContact_CreatesPersonCustomerAndConversation_WithProfileName_AndOpensTheWindow()
    {
        await using var h = await MessagingHarness.StartAsync();
        var at = h.Now.AddMinutes(-1);
        var body = FakeWhatsApp.InboundText("wamid.T1", "Hola, ¿tienen lugar mañana?", at);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        var customer = await h.QueryAsync(db => db.Customers.SingleAsync());
        // WhatsApp's 521… id is the same person as the E.164 +52… number.
        Assert.Equal("+525500000101", customer.PhoneNumber);
        Assert.Equal("5215500000101", customer.WhatsappId);
        Assert.Equal("María Fernández", customer.DisplayName);
        Assert.Equal("María Fernández", (await h.QueryAsync(db => db.People.SingleAsync())).ProfileName);

        var conversations = await (await h.Client.GetAsync($"{h.Tenant.Path}/conversations")).AssertStatusAsync(200);
        var conversation = conversations["data"]!.AsArray().Single()!;
        Assert.Equal(customer.Id.ToString(), conversation.Str("customer_id"));
        Assert.Equal(at.ToUnixTimeSeconds(), DateTimeOffset.Parse(conversation.Str("last_inbound_at"), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());

        var messages = await (await h.Client.GetAsync($"{h.Tenant.Path}/conversations/{conversation.Str("id")}/messages")).AssertStatusAsync(200);
        var message = messages["data"]!.AsArray().First()!;
        Assert.Equal("inbound", message.Str("direction"));
        Assert.Equal("customer", message.Str("sender_type"));
        Assert.Equal("whatsapp", message.Str("channel"));
        Assert.Equal("Hola, ¿tienen lugar mañana?", message.Str("body"));
    }

    [Fact]
    public async Task ACustomerWritingAgain_ReusesTheCustomerAndConversation_InOrder()
    {
        await using var h = await MessagingHarness.StartAsync();
        // One POST with two messages, then a third: one customer, one conversation, three messages in time order.
        var batch = JsonNode.Parse(FakeWhatsApp.InboundText("wamid.A", "Hola", h.Now.AddSeconds(-30)))!;
        var second = JsonNode.Parse(FakeWhatsApp.InboundText("wamid.B", "¿Me ayudan?", h.Now.AddSeconds(-20)))!;
        var messages = batch["entry"]![0]!["changes"]![0]!["value"]!["messages"]!.AsArray();
        // Reversed inside the batch on purpose: processing follows the timestamps.
        messages.Insert(0, second["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!.DeepClone());
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, batch.ToJsonString())).AssertStatusAsync(200);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.C", "Gracias", h.Now.AddSeconds(-10)))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        Assert.Equal(1, await h.QueryAsync(db => db.Customers.CountAsync()));
        Assert.Equal(1, await h.QueryAsync(db => db.Conversations.CountAsync()));
        var bodies = await h.QueryAsync(db => db.Messages.Where(m => m.Direction == MessageDirection.Inbound).OrderBy(m => m.Id).Select(m => m.Body).ToListAsync());
        Assert.Equal(["Hola", "¿Me ayudan?", "Gracias"], bodies);
    }

    [Fact]
    public async Task AStaffMemberWriting_IsNotMadeACustomer()
    {
        await using var h = await MessagingHarness.StartAsync();
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/staff", new { name = "Toño", phone_number = "55 0000 0101", role = "employee" })).AssertStatusAsync(201);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.S1", "¿Qué tengo hoy?", h.Now))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        Assert.Equal(0, await h.QueryAsync(db => db.Customers.CountAsync()));
        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        Assert.NotNull(conversation.StaffId);
        Assert.Equal(SenderType.Staff, (await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Inbound))).SenderType);
        // The assistant answers staff as staff (their agenda), never with the customer menu.
        var reply = await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Outbound));
        Assert.StartsWith("Hoy no tienes citas.", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_EchoesTheChallenge_OnlyForTheRightToken()
    {
        await using var h = await MessagingHarness.StartAsync(connect: false);
        var ok = await h.Anonymous.GetAsync($"/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={FakeWhatsApp.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        await (await h.Anonymous.GetAsync("/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).AssertProblemAsync(403);
        await (await h.Anonymous.GetAsync("/api/v1/webhooks/whatsapp?hub.challenge=1")).AssertProblemAsync(403);
    }

    [Fact]
    public async Task MissingOrForgedSignature_Is401_AndStoresNothing()
    {
        await using var h = await MessagingHarness.StartAsync();
        var body = Fixtures.Read("whatsapp", "inbound-text.json");

        using (var unsigned = new StringContent(body, Encoding.UTF8, "application/json"))
        {
            await (await h.Anonymous.PostAsync("/api/v1/webhooks/whatsapp", unsigned)).AssertProblemAsync(401);
        }

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body, "sha256=" + new string('0', 64))).AssertProblemAsync(401);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body, "sha256=not-hex")).AssertProblemAsync(401);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body + " ", FakeWhatsApp.Sign(body))).AssertProblemAsync(401);
        Assert.Equal(0, await h.QueryAsync(db => db.InboxEvents.CountAsync()));
    }

    [Fact]
    public async Task MalformedJson_Signed_Is400_AndStoresNothing()
    {
        await using var h = await MessagingHarness.StartAsync();
        foreach (var body in new[] { "{\"object\":\"whatsapp_business_account\",\"entry\":[", "[1,2,3]", "not json", "" })
        {
            await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).AssertProblemAsync(400);
        }

        Assert.Equal(0, await h.QueryAsync(db => db.InboxEvents.CountAsync()));
    }

    [Fact]
    public async Task ABodyOverThreeMegabytes_Is413()
    {
        await using var h = await MessagingHarness.StartAsync();
        var body = "{\"pad\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";
        var response = await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await h.QueryAsync(db => db.InboxEvents.CountAsync()));
    }

    [Fact]
    public async Task EventsForANumberNoBusinessOwns_AreKeptAsUnroutable_AndAcknowledged()
    {
        await using var h = await MessagingHarness.StartAsync();
        var body = FakeWhatsApp.InboundText("wamid.LOST", "Hola", h.Now, phoneNumberId: "999999999999999");

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).AssertStatusAsync(200);

        var stored = await h.QueryAsync(db => db.InboxEvents.SingleAsync());
        Assert.Equal(InboxState.Unroutable, stored.State);
        Assert.Null(stored.OrganizationId);
        Assert.Equal(0, await h.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task TheSameMessage_DeliveredTwiceAtOnce_IsProcessedOnce()
    {
        await using var h = await MessagingHarness.StartAsync();
        var body = Fixtures.Read("whatsapp", "inbound-text.json");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await h.WaitInboxDrainedAsync();

        Assert.Equal(1, await h.QueryAsync(db => db.InboxEvents.CountAsync()));
        Assert.Equal(1, await h.QueryAsync(db => db.Messages.CountAsync(m => m.ProviderMessageId == "wamid.FAKE_MX_IN_TEXT_0001")));
    }

    [Fact]
    public async Task AnUnknownMessageType_IsStoredAcknowledged_AndAnsweredPolitely()
    {
        await using var h = await MessagingHarness.StartAsync();
        var body = FakeWhatsApp.InboundText("wamid.POLL", "x", h.Now).Replace("\"type\":\"text\"", "\"type\":\"poll_creation\"", StringComparison.Ordinal);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, body)).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        var message = await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Inbound));
        Assert.Equal("poll_creation", message.ContentType);
        // Answered kindly (in the business's Spanish), asking for text.
        var reply = await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Outbound));
        Assert.StartsWith("¡Gracias! Por ahora solo puedo leer mensajes de texto.", reply.Body, StringComparison.Ordinal);
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Contains("poll_creation", message.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoexistenceEcho_KeepsTheBusinessReply_AndHandsTheChatToAHuman()
    {
        await using var h = await MessagingHarness.StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "inbound-text.json"))).AssertStatusAsync(200);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "smb-message-echoes.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        Assert.Equal(ConversationStatus.Human, conversation.Status);
        var echo = await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Outbound && m.SenderType == SenderType.Staff));
        Assert.Equal(SenderType.Staff, echo.SenderType);
        Assert.Equal(MessageStatus.Sent, echo.Status);
        Assert.StartsWith("Listo María", echo.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerRemoved_DeactivatesTheNumber()
    {
        await using var h = await MessagingHarness.StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "account-update-partner-removed.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        Assert.False((await h.QueryAsync(db => db.ChannelAccounts.SingleAsync())).IsActive);
    }

    [Fact]
    public async Task AnExistingCustomer_SavedAsPlus52_IsRecognisedFromTheir521WhatsAppId()
    {
        await using var h = await MessagingHarness.StartAsync();
        var created = await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/customers", new { phone_number = "55 0000 0101", name = "María F." }))
            .AssertStatusAsync(201);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.M1", "Hola", h.Now))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        var customer = await h.QueryAsync(db => db.Customers.SingleAsync());
        Assert.Equal(created.Id(), customer.Id);
        Assert.Equal("María F.", customer.DisplayName);
        Assert.Equal("5215500000101", customer.WhatsappId);
        Assert.Equal(customer.Id, (await h.QueryAsync(db => db.Conversations.SingleAsync())).CustomerId);
    }

    [Fact]
    public async Task AnEventThatKeepsFailing_IsParkedWithItsError_AndTheChatMovesOn()
    {
        await using var h = await MessagingHarness.StartAsync(settings: new Dictionary<string, string?> { ["Karibu:Messaging:MaxInboxAttempts"] = "2" });
        var (db, scope) = h.App.Db();
        using (scope)
        {
            db.InboxEvents.Add(new InboxEvent
            {
                Source = "whatsapp", EventKey = "wamid.BROKEN", OrganizationId = h.Tenant.Id, ChannelId = FakeWhatsApp.PhoneNumberId,
                OrderingKey = "whatsapp:200000000000001:525500000101", Kind = InboxKind.Message, Payload = "[]",
                OccurredAt = h.Now.AddMinutes(-2).UtcDateTime, ReceivedAt = h.Now.UtcDateTime,
            });
            await db.SaveChangesAsync();
        }

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.AFTER", "Hola", h.Now.AddMinutes(-1)))).AssertStatusAsync(200);
        await Eventually.HoldsAsync(() => h.QueryAsync(d => d.InboxEvents.AnyAsync(e => e.EventKey == "wamid.BROKEN" && e.Attempts == 1 && e.LockedBy == null)),
            "the first failed attempt");
        // The later message of the same chat waits behind the failing one...
        Assert.Equal(InboxState.Pending, (await h.QueryAsync(d => d.InboxEvents.SingleAsync(e => e.EventKey == "wamid.AFTER"))).State);

        h.App.Time.Advance(TimeSpan.FromMinutes(10));
        await h.WaitInboxDrainedAsync();
        var broken = await h.QueryAsync(d => d.InboxEvents.SingleAsync(e => e.EventKey == "wamid.BROKEN"));
        Assert.Equal(InboxState.Failed, broken.State);
        Assert.Contains("not an object", broken.Error, StringComparison.Ordinal);
        // ...and is processed once the broken one is parked.
        Assert.Equal(InboxState.Processed, (await h.QueryAsync(d => d.InboxEvents.SingleAsync(e => e.EventKey == "wamid.AFTER"))).State);
        Assert.Equal("Hola", (await h.QueryAsync(d => d.Messages.SingleAsync(m => m.Direction == MessageDirection.Inbound))).Body);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnEventWhoseLeaseWasLost_LeavesNothingBehind_AndStaysWithTheWorkerThatHasIt(string provider)
    {
        await using var h = await MessagingHarness.StartAsync(provider, new Dictionary<string, string?> { ["Karibu:Messaging:RunWorkers"] = "false" });
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.LEASE", "Hola", h.Now))).AssertStatusAsync(200);
        var processor = h.App.Services.GetRequiredService<InboxProcessor>();
        var claimed = Assert.Single(await processor.ClaimAsync(10, CancellationToken.None));
        Assert.Equal("wamid.LEASE", claimed.EventKey);

        // Its lease ran out and another node took the event while this one was still working on it.
        await h.QueryAsync(db => db.InboxEvents.Where(e => e.Id == claimed.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.LockedBy, "inbox:other")));
        await processor.ProcessAsync(claimed, CancellationToken.None);

        var stored = await h.QueryAsync(db => db.InboxEvents.SingleAsync(e => e.Id == claimed.Id));
        Assert.Equal((InboxState.Pending, "inbox:other"), (stored.State, stored.LockedBy));
        Assert.Empty(await h.QueryAsync(db => db.Messages.ToListAsync()));
        Assert.Empty(await h.QueryAsync(db => db.Customers.ToListAsync()));

        // The worker that holds it processes it once.
        await h.QueryAsync(db => db.InboxEvents.Where(e => e.Id == claimed.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.LockedBy, (string?)null).SetProperty(e => e.LockedUntil, (DateTime?)null)));
        await processor.ProcessAsync(Assert.Single(await processor.ClaimAsync(10, CancellationToken.None)), CancellationToken.None);
        Assert.Equal(InboxState.Processed, (await h.QueryAsync(db => db.InboxEvents.SingleAsync(e => e.Id == claimed.Id))).State);
        Assert.Equal("Hola", (await h.QueryAsync(db => db.Messages.SingleAsync(m => m.Direction == MessageDirection.Inbound))).Body);
    }
}
