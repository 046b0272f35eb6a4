using System.Text.Json.Nodes;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Messaging;

public sealed class OutboxTests
{
    private static async Task<Message> QueueAsync(MessagingHarness h, Conversation conversation, string body,
        MessagePurpose purpose = MessagePurpose.Reply, OutboundContent? content = null)
    {
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var tracked = await db.Conversations.FirstAsync(c => c.Id == conversation.Id);
            var message = Outbox.Queue(db, tracked, body, purpose, content);
            await db.SaveChangesAsync();
            return message;
        }
    }

    private static Task<Message> ReloadAsync(MessagingHarness h, Message message) =>
        h.QueryAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == message.Id));

    private static Task WaitStatusAsync(MessagingHarness h, Message message, MessageStatus status) =>
        Eventually.HoldsAsync(async () => (await ReloadAsync(h, message)).Status == status, $"message {message.Body} to be {status}");

    private static readonly TemplateMessage Reminder = new(
        "appointment_reminder", "es_MX", ["Luis", "jueves 8 de enero, 10:00"], ["customer_name", "appointment_time"],
        ["confirm:booking:BK-000124", "cancel:booking:BK-000124"]);

    [Fact]
    public async Task AReplyInsideTheWindow_GoesOutAsText_ToThePlusFiftyTwoNumber_AndTracksItsStatuses()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(2));

        var message = await QueueAsync(h, conversation, "¡Hola María! ¿Qué día te queda mejor?");
        await WaitStatusAsync(h, message, MessageStatus.Sent);

        var request = Assert.Single(h.Graph.Requests);
        Assert.Equal(FakeWhatsApp.PhoneNumberId, request.PhoneNumberId);
        Assert.Equal($"Bearer {FakeWhatsApp.AccessToken}", request.Authorization);
        var expected = JsonNode.Parse(Fixtures.Read("whatsapp", "api", "send-text-request.json"))!.AsObject();
        expected["biz_opaque_callback_data"] = $"karibu:{message.Id:N}";
        Assert.True(JsonNode.DeepEquals(expected, request.Body), request.Body.ToJsonString());
        var sent = await ReloadAsync(h, message);
        Assert.Equal("wamid.FAKE_OUT_1", sent.ProviderMessageId);
        Assert.Equal(1, sent.Attempts);

        // Read arrives before delivered (WhatsApp does not order webhooks): the message never moves back.
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.Status("wamid.FAKE_OUT_1", "read", h.Now))).AssertStatusAsync(200);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.Status("wamid.FAKE_OUT_1", "delivered", h.Now.AddSeconds(-5)))).AssertStatusAsync(200);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.Status("wamid.FAKE_OUT_1", "failed", h.Now, errorCode: "131026"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        var read = await ReloadAsync(h, message);
        Assert.Equal(MessageStatus.Read, read.Status);
        Assert.NotNull(read.DeliveredAt);
        Assert.NotNull(read.ReadAt);
    }

    [Fact]
    public async Task AFailedStatus_KeepsWhatsAppsCodeAndReason()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        var message = await QueueAsync(h, conversation, "Hola");
        await WaitStatusAsync(h, message, MessageStatus.Sent);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.Status("wamid.FAKE_OUT_1", "failed", h.Now, errorCode: "131026"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();

        var failed = await ReloadAsync(h, message);
        Assert.Equal(MessageStatus.Failed, failed.Status);
        Assert.Equal("131026", failed.ErrorCode);
        Assert.Contains("Re-engagement message", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideTheWindow_WithoutATemplate_FailsWithAClearReason_AndSendsNothing()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(25));

        var message = await QueueAsync(h, conversation, "¿Vienes mañana?");
        await WaitStatusAsync(h, message, MessageStatus.Failed);

        var failed = await ReloadAsync(h, message);
        Assert.Equal("window_closed", failed.ErrorCode);
        Assert.Contains("24 hours have passed since the customer's last WhatsApp message", failed.Error, StringComparison.Ordinal);
        Assert.Empty(h.Graph.Requests);
    }

    [Fact]
    public async Task OutsideTheWindow_TheApprovedTemplateGoesOut_WithItsParameters()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync("+525500000102", lastInbound: null);

        var message = await QueueAsync(h, conversation, "Luis, te esperamos el jueves 8 de enero a las 10:00", MessagePurpose.Reminder,
            new OutboundContent { Template = Reminder });
        await WaitStatusAsync(h, message, MessageStatus.Sent);

        var expected = JsonNode.Parse(Fixtures.Read("whatsapp", "api", "send-template-utility-request.json"))!.AsObject();
        expected["biz_opaque_callback_data"] = $"karibu:{message.Id:N}";
        Assert.True(JsonNode.DeepEquals(expected, h.Graph.Requests.Single().Body), h.Graph.Requests.Single().Body.ToJsonString());
    }

    [Fact]
    public async Task WhenWhatsAppSaysTheWindowClosed_131047_TheTemplateIsSentInstead()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync("+525500000102", lastInbound: TimeSpan.FromHours(23));
        var message = await QueueAsync(h, conversation, "Te esperamos el jueves", MessagePurpose.Reminder, new OutboundContent { Template = Reminder });
        await WaitStatusAsync(h, message, MessageStatus.Sent);
        Assert.Equal("text", h.Graph.Requests.Single().Body["type"]!.GetValue<string>());

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.Status("wamid.FAKE_OUT_1", "failed", h.Now, "5215500000102", "131047"))).AssertStatusAsync(200);
        await Eventually.HoldsAsync(() => Task.FromResult(h.Graph.Requests.Count == 2), "the template to be sent");
        await WaitStatusAsync(h, message, MessageStatus.Sent);

        Assert.Equal("template", h.Graph.Requests.Last().Body["type"]!.GetValue<string>());
        Assert.Equal("wamid.FAKE_OUT_2", (await ReloadAsync(h, message)).ProviderMessageId);
    }

    [Fact]
    public async Task RateLimited_130429_IsRetriedWithBackoff_ThenSent()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        h.Graph.Respond = r => r.Number == 1 ? (400, Fixtures.Read("whatsapp", "api", "send-error-130429.json")) : null;

        var message = await QueueAsync(h, conversation, "Hola");
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, message)).Attempts == 1, "the first attempt");
        var waiting = await ReloadAsync(h, message);
        Assert.Equal(MessageStatus.Queued, waiting.Status);
        Assert.Equal("130429", waiting.ErrorCode);
        Assert.True(waiting.NextAttemptAt > h.Now.UtcDateTime);

        h.App.Time.Advance(TimeSpan.FromMinutes(1));
        await WaitStatusAsync(h, message, MessageStatus.Sent);
        Assert.Equal(2, h.Graph.Requests.Count);
        Assert.Null((await ReloadAsync(h, message)).Error);
    }

    [Fact]
    public async Task AFinalError_FailsAtOnce_WithTheProvidersReason()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        h.Graph.Respond = _ => (400, Fixtures.Read("whatsapp", "api", "send-error-131030-dev-allowlist.json"));

        var message = await QueueAsync(h, conversation, "Hola");
        await WaitStatusAsync(h, message, MessageStatus.Failed);

        var failed = await ReloadAsync(h, message);
        Assert.Equal("131030", failed.ErrorCode);
        Assert.Contains("allowed list", failed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(h.Graph.Requests);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("500")]
    [InlineData("hang")]
    public async Task AProviderAnsweringGarbageOrHanging_IsRetried_NeverMarkedSent_UntilItGivesUp(string behaviour)
    {
        await using var h = await MessagingHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Karibu:WhatsApp:TimeoutSeconds"] = "1",
            ["Karibu:Messaging:MaxSendAttempts"] = "3",
        });
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        switch (behaviour)
        {
            case "garbage":
                h.Graph.Respond = _ => (200, "<html>oops</html>");
                break;
            case "500":
                h.Graph.Respond = _ => (500, "");
                break;
            default:
                h.Graph.Delay = TimeSpan.FromSeconds(5);
                break;
        }

        var message = await QueueAsync(h, conversation, "Hola");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Eventually.HoldsAsync(async () => (await ReloadAsync(h, message)).Attempts == attempt, $"attempt {attempt}");
            Assert.NotEqual(MessageStatus.Sent, (await ReloadAsync(h, message)).Status);
            h.App.Time.Advance(TimeSpan.FromMinutes(10));
        }

        await WaitStatusAsync(h, message, MessageStatus.Failed);
        var failed = await ReloadAsync(h, message);
        Assert.StartsWith("Gave up after 3 attempts", failed.Error, StringComparison.Ordinal);
        Assert.Null(failed.ProviderMessageId);
    }

    [Fact]
    public async Task WithoutAConnectedNumber_AWhatsAppMessageFails_Clearly()
    {
        await using var h = await MessagingHarness.StartAsync(connect: false);
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        var message = await QueueAsync(h, conversation, "Hola");
        await WaitStatusAsync(h, message, MessageStatus.Failed);
        Assert.Equal("not_connected", (await ReloadAsync(h, message)).ErrorCode);
    }

    [Fact]
    public async Task AConversationsMessages_GoOutInTheOrderTheyWereQueued()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));
        h.Graph.Delay = TimeSpan.FromMilliseconds(20);
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var tracked = await db.Conversations.FirstAsync(c => c.Id == conversation.Id);
            for (var i = 0; i < 12; i++)
            {
                Outbox.Queue(db, tracked, $"parte {i}", MessagePurpose.Reply);
            }

            await db.SaveChangesAsync();
        }

        await h.WaitOutboxDrainedAsync();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"parte {i}"), h.Graph.Bodies.Select(b => b["text"]!["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ButtonsListsAndReadReceipts_AreSentInWhatsAppsShapes()
    {
        await using var h = await MessagingHarness.StartAsync();
        var conversation = await h.ArrangeConversationAsync("+254722000102", lastInbound: TimeSpan.FromMinutes(5));
        var list = new OutboundContent
        {
            Header = "Available slots",
            Footer = "Example Salon (fake)",
            List = new ListMenu("See slots",
            [
                new ListSection("Thursday 8 Jan",
                [
                    new ListRow("slot:2026-01-08T10:00+03:00", "Thu 8 Jan 10:00", "Braids - 2h with Akinyi"),
                    new ListRow("slot:2026-01-08T14:00+03:00", "Thu 8 Jan 14:00", "Braids - 2h with Akinyi"),
                ]),
                new ListSection("Friday 9 Jan", [new ListRow("slot:2026-01-09T09:00+03:00", "Fri 9 Jan 09:00", "Braids - 2h with Njeri")]),
            ]),
        };
        var message = await QueueAsync(h, conversation, "Pick a time for your appointment.", content: list);
        await WaitStatusAsync(h, message, MessageStatus.Sent);
        var expected = JsonNode.Parse(Fixtures.Read("whatsapp", "api", "send-interactive-list-request.json"))!.AsObject();
        expected["biz_opaque_callback_data"] = $"karibu:{message.Id:N}";
        Assert.True(JsonNode.DeepEquals(expected, h.Graph.Requests.Single().Body), h.Graph.Requests.Single().Body.ToJsonString());

        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            Outbox.QueueReadReceipt(db, await db.Conversations.FirstAsync(c => c.Id == conversation.Id), "wamid.FAKE_MX_IN_TEXT_0001", typing: true);
            await db.SaveChangesAsync();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(h.Graph.Requests.Count == 2), "the read receipt");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixtures.Read("whatsapp", "api", "mark-read-with-typing-request.json")), h.Graph.Requests.Last().Body));
        await h.WaitOutboxDrainedAsync();
        // Read receipts are bookkeeping, not part of the conversation's transcript.
        var transcript = await (await h.Client.GetAsync($"{h.Tenant.Path}/conversations/{conversation.Id}/messages")).AssertStatusAsync(200);
        Assert.Single(transcript["data"]!.AsArray());
    }

    [Fact]
    public async Task StopAndStart_AreHonoured_AndConfirmedInTheCustomersLanguage()
    {
        await using var h = await MessagingHarness.StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.STOP", "Baja", h.Now))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        await h.WaitOutboxDrainedAsync();

        var customer = await h.QueryAsync(db => db.Customers.SingleAsync());
        Assert.Equal(["whatsapp"], customer.OptedOutChannels);
        Assert.NotNull(customer.OptedOutAt);
        var confirmation = h.Graph.Requests.Single().Body["text"]!["body"]!.GetValue<string>();
        Assert.StartsWith("Listo, ya no te enviaremos promociones de Barbería Centro", confirmation, StringComparison.Ordinal);

        // Promotions stop; booking messages still go.
        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        var promo = await QueueAsync(h, conversation, "¡2x1 en cortes este viernes!", MessagePurpose.Campaign);
        var reminder = await QueueAsync(h, conversation, "Te esperamos mañana a las 10:00", MessagePurpose.Reminder);
        await h.WaitOutboxDrainedAsync();
        Assert.Equal("opted_out", (await ReloadAsync(h, promo)).ErrorCode);
        Assert.Equal(MessageStatus.Failed, (await ReloadAsync(h, promo)).Status);
        Assert.Equal(MessageStatus.Sent, (await ReloadAsync(h, reminder)).Status);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, FakeWhatsApp.InboundText("wamid.START", "ALTA", h.Now))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        await h.WaitOutboxDrainedAsync();
        Assert.Empty((await h.QueryAsync(db => db.Customers.SingleAsync())).OptedOutChannels);
        Assert.StartsWith("¡Qué gusto tenerte de vuelta!", h.Graph.Requests.Last().Body["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
