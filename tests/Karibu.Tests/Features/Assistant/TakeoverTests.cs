using Karibu.Features.Conversations;
using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Assistant;

public sealed class TakeoverTests
{
    /// <summary>Puts the clock a minute after the fixtures' messages, so WhatsApp's 24-hour window is open.</summary>
    private static async Task<MessagingHarness> StartAsync()
    {
        var h = await MessagingHarness.StartAsync();
        h.App.Time.Set(DateTimeOffset.FromUnixTimeSeconds(1767301620).AddMinutes(1));
        return h;
    }

    private static Task<int> RepliesAsync(MessagingHarness h) =>
        h.QueryAsync(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.Outbound && m.SenderType == SenderType.Ai));

    [Fact]
    public async Task AVoiceNote_GetsAKindTextReply_InTheBusinessLanguage_QuotingIt()
    {
        await using var h = await StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "inbound-audio.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        await h.WaitOutboxDrainedAsync();

        var sent = h.Graph.Requests.Single().Body;
        Assert.StartsWith("¡Gracias por tu mensaje de voz!", sent["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(sent["context"]!["message_id"]);
    }

    [Fact]
    public async Task AfterTheOwnerTypesOnTheBusinessPhone_TheAssistantIsQuiet_UntilTheTakeoverTimesOut()
    {
        await using var h = await StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "smb-message-echoes.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        Assert.Equal(ConversationStatus.Human, conversation.Status);
        Assert.Equal(h.Now.AddHours(12).UtcDateTime, conversation.BotPausedUntil);

        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "inbound-image.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        Assert.Equal(0, await RepliesAsync(h));

        h.App.Time.Advance(TimeSpan.FromHours(12.5));
        var later = Fixtures.Read("whatsapp", "inbound-audio.json").Replace("1767301620", h.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, later)).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        Assert.Equal(1, await RepliesAsync(h));
        Assert.Equal(ConversationStatus.Bot, (await h.QueryAsync(db => db.Conversations.SingleAsync())).Status);
    }

    [Fact]
    public async Task AReplyFromTheOwnerApp_IsSent_AndTakesTheChatOver_UntilHandedBack()
    {
        await using var h = await StartAsync();
        await (await FakeWhatsApp.PostWebhookAsync(h.Anonymous, Fixtures.Read("whatsapp", "inbound-text.json"))).AssertStatusAsync(200);
        await h.WaitInboxDrainedAsync();
        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        var path = $"{h.Tenant.Path}/conversations/{conversation.Id}";

        var reply = await (await h.Client.PostJsonAsync($"{path}/messages", new { text = "¡Hola María! Soy Don Ramón, ¿a qué hora te acomoda?" })).AssertStatusAsync(201);
        Assert.Equal("staff", reply.Str("sender_type"));
        Assert.Equal("queued", reply.Str("status"));
        await h.WaitOutboxDrainedAsync();
        Assert.Equal("¡Hola María! Soy Don Ramón, ¿a qué hora te acomoda?", h.Graph.Requests.Last().Body["text"]!["body"]!.GetValue<string>());
        var taken = await (await h.Client.GetAsync(path)).AssertStatusAsync(200);
        Assert.Equal("human", taken.Str("status"));

        var back = await (await h.Client.PatchJsonAsync(path, new { status = "bot" })).AssertStatusAsync(200);
        Assert.Equal("bot", back.Str("status"));
        Assert.Null(back["bot_paused_until"]);

        await (await h.Client.PatchJsonAsync(path, new { status = "asleep" })).AssertFieldErrorAsync("status");
        await (await h.Client.PostJsonAsync($"{path}/messages", new { text = "" })).AssertFieldErrorAsync("text");
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/conversations/{Guid.NewGuid()}/messages", new { text = "hola" })).AssertProblemAsync(404);
    }
}
