using Karibu.Features.Assistant;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Assistant;

/// <summary>The business's assistant switch (<c>assistant_enabled</c>) and tone (<c>assistant_tone</c>), through the simulator.</summary>
public sealed class AssistantSwitchAndToneTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private const string StaffPhone = "55 9000 0001";

    private static async Task<MessagingHarness> StartAsync(object settings)
    {
        var h = await MessagingHarness.StartAsync(connect: false);
        h.App.Time.Set(Now);
        var path = h.Tenant.Path;
        await (await h.Client.PostJsonAsync($"{path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{path}/staff", new { name = "Luis", phone_number = StaffPhone })).AssertStatusAsync(201);
        await (await h.Client.PatchJsonAsync($"{path}/settings", settings)).AssertStatusAsync(200);
        return h;
    }

    private static Task<List<Message>> RepliesToAsync(MessagingHarness h, string e164) => h.QueryAsync(db => db.Messages
        .Where(m => m.Direction == MessageDirection.Outbound && db.Conversations.Any(c => c.Id == m.ConversationId && c.Address == e164))
        .OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task Off_CustomersWaitInTheInboxForAPerson_WhileStaffCommandsAndReminderAnswersStillWork()
    {
        await using var h = await StartAsync(new { assistant_enabled = false });

        // A customer writing (text or a photo) gets no automatic answer; the chat needs a person.
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/simulator/messages", new { from = "55 1234 0000", text = "Hola, ¿tienen lugar mañana?" })).AssertStatusAsync(202);
        await h.WaitInboxDrainedAsync();
        Assert.Empty(await RepliesToAsync(h, "+525512340000"));
        var chat = await h.QueryAsync(db => db.Conversations.SingleAsync(c => c.Address == "+525512340000"));
        Assert.Equal((ConversationStatus.Human, null), (chat.Status, chat.BotPausedUntil));
        Assert.Equal(ChatOwner.NeedsPerson, InboxTexts.OwnerOf(chat.Status, chat.BotPausedUntil, Now.UtcDateTime));

        // Staff still run their day by chat.
        Assert.StartsWith("Hoy no tienes citas.", await h.SimulateAsync("¿Qué tengo hoy?", StaffPhone), StringComparison.Ordinal);

        // A customer answering a reminder Karibu sent: their "sí" still confirms the appointment.
        var service = (await (await h.Client.GetAsync($"{h.Tenant.Path}/services")).AssertStatusAsync(200))["data"]![0]!.Id();
        var booked = (await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/appointments",
            new { service_id = service, start = "2026-11-24T12:00", customer_phone = "55 1234 0002" })).AssertStatusAsync(201)).Id();
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var appointment = await db.Appointments.SingleAsync(a => a.Id == booked);
            appointment.Status = AppointmentStatus.Pending;
            var customer = await db.Customers.SingleAsync(c => c.Id == appointment.CustomerId);
            db.Conversations.Add(new Conversation
            {
                CustomerId = customer.Id, Channel = MessageChannel.Simulator, Address = customer.PhoneNumber,
                AssistantState = GuidedEngine.AwaitingReminderAnswer(booked),
            });
            await db.SaveChangesAsync();
        }

        Assert.StartsWith("¡Gracias por confirmar!", await h.SimulateAsync("Sí", "55 1234 0002"), StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Confirmed, await h.QueryAsync(db => db.Appointments.Where(a => a.Id == booked).Select(a => a.Status).SingleAsync()));

        // Anything else from that customer waits for a person too.
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/simulator/messages", new { from = "55 1234 0002", text = "¿Y cuánto cuesta?" })).AssertStatusAsync(202);
        await h.WaitInboxDrainedAsync();
        Assert.Single(await RepliesToAsync(h, "+525512340002"), m => m.Purpose == MessagePurpose.Reply);
        Assert.Equal(ConversationStatus.Human, await h.QueryAsync(db => db.Conversations.Where(c => c.Address == "+525512340002").Select(c => c.Status).SingleAsync()));

        // Switched back on, new chats are answered again.
        await (await h.Client.PatchJsonAsync($"{h.Tenant.Path}/settings", new { assistant_enabled = true })).AssertStatusAsync(200);
        Assert.Contains("¿En qué te ayudo?", await h.SimulateAsync("Hola", "55 1234 0003"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormalTone_SendsTheGuidedRepliesWithoutEmoji()
    {
        await using var friendly = await StartAsync(new { assistant_tone = "friendly" });
        Assert.Equal("¡Con gusto! Que tengas un excelente día. 👋", await friendly.SimulateAsync("Gracias", "55 1234 0000"));

        await using var formal = await StartAsync(new { assistant_tone = "formal" });
        Assert.Equal("¡Con gusto! Que tengas un excelente día.", await formal.SimulateAsync("Gracias", "55 1234 0000"));
    }

    [Fact]
    public async Task TheToneAndGuidance_AreCheckedBySettings()
    {
        await using var h = await StartAsync(new { assistant_instructions = "  " });
        Assert.Null(await h.QueryAsync(db => db.Organizations.Select(o => o.Settings.AssistantInstructions).SingleAsync()));

        await (await h.Client.PatchJsonAsync($"{h.Tenant.Path}/settings", new { assistant_tone = "sarcastic" })).AssertFieldErrorAsync("settings.assistant_tone");
        await (await h.Client.PatchJsonAsync($"{h.Tenant.Path}/settings", new { assistant_instructions = new string('x', 1001) })).AssertFieldErrorAsync("settings.assistant_instructions");
        await (await h.Client.PatchJsonAsync($"{h.Tenant.Path}/settings", new { assistant_enabled = "yes" })).AssertFieldErrorAsync("settings.assistant_enabled");

        var settings = await (await h.Client.GetAsync($"{h.Tenant.Path}/settings")).AssertStatusAsync(200);
        Assert.Equal((true, "friendly"), (settings["assistant_enabled"]!.GetValue<bool>(), settings.Str("assistant_tone")));
    }

    [Theory]
    [InlineData("¡Listo, Ana! Tu cita quedó confirmada:\n📅 Martes 24\n⏰ 4:00 p.m.\n💇 Corte con Luis", "¡Listo, Ana! Tu cita quedó confirmada:\nMartes 24\n4:00 p.m.\nCorte con Luis")]
    [InlineData("😊 Aquí estoy.", "Aquí estoy.")]
    [InlineData("Asante! 👍🏽 Karibu tena ❤️", "Asante! Karibu tena")]
    [InlineData("• Corte: $250 (30 min) → ñandú · 10:30", "• Corte: $250 (30 min) → ñandú · 10:30")]
    [InlineData("👨‍👩‍👧 familia", "familia")]
    [InlineData("Con gusto le ayudo 😊 Aceptamos solo efectivo.", "Con gusto le ayudo. Aceptamos solo efectivo.")]
    [InlineData("¡Listo! 🎉 Te esperamos.", "¡Listo! Te esperamos.")]
    public void WithoutEmoji_DropsPictographsAndKeepsTheWords(string text, string expected) =>
        Assert.Equal(expected, AssistantTones.WithoutEmoji(text));
}
