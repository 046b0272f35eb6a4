using System.Globalization;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Tests.Features.Messaging;

/// <summary>
/// Quiet hours at send time: a marketing message the outbox reaches after quiet hours have begun waits for them to
/// end (no attempt counted), while transactional messages go at once. Time-travel with the fake clock.
/// </summary>
public sealed class QuietHoursTests
{
    private static readonly DateTimeZone MexicoCity = DateTimeZoneProviders.Tzdb["America/Mexico_City"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static readonly TemplateMessage WinBack = new("te_extranamos", "es_MX", ["Ana", "42"], ["customer_name", "days_since"]);
    private static readonly TemplateMessage Reminder = new("recordatorio_cita", "es_MX", ["Ana", "martes 24 de noviembre", "10:00"], ["customer_name", "day", "time"]);

    [Fact]
    public async Task AWinBackQueuedBefore20h_ButHeldUpUntil20h10_GoesOutAt8NextMorning_ExactlyOnce_WhileAReminderGoesAtOnce()
    {
        await using var h = await MessagingHarness.StartAsync(); // Barbería Centro, Mexico City (UTC−6), quiet 20:00–08:00
        await SetClockAsync(h, Local(2026, 11, 23, 19, 55));
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));

        // WhatsApp is rate limiting the number: the first try fails and is put off.
        h.Graph.Respond = r => r.Number == 1 ? (400, Fixtures.Read("whatsapp", "api", "send-error-130429.json")) : null;
        var winBack = await QueueAsync(h, conversation, "¡Hola Ana! Hace 42 días de tu último corte.", WinBack, MessagePurpose.WinBack);
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, winBack)).Attempts == 1, "the first, rate-limited attempt");
        Assert.Equal(MessageStatus.Queued, (await ReloadAsync(h, winBack)).Status);

        // By the time it is due again, quiet hours have begun: held until 08:00, not sent, not counted.
        h.App.Time.Set(Local(2026, 11, 23, 20, 10));
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, winBack)).ErrorCode == OutboxDispatcher.QuietHoursCode, "the win-back held for quiet hours");
        var held = await ReloadAsync(h, winBack);
        Assert.Equal(MessageStatus.Queued, held.Status);
        Assert.Equal(1, held.Attempts);
        Assert.Equal(Local(2026, 11, 24, 8, 0).UtcDateTime, held.NextAttemptAt);
        Assert.Contains("quiet hours", held.Error, StringComparison.Ordinal);
        Assert.Single(h.Graph.Requests);

        // A reminder in the same conversation is transactional: it goes now, not held back by the waiting win-back.
        var reminder = await QueueAsync(h, conversation, "Ana, te esperamos mañana a las 10:00.", Reminder, MessagePurpose.Reminder);
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, reminder)).Status == MessageStatus.Sent, "the reminder sent at 20:10");
        Assert.Equal(2, h.Graph.Requests.Count);
        Assert.Equal("recordatorio_cita", TemplateName(h.Graph.Requests.Last()));

        // 07:59: still quiet, still waiting.
        h.App.Time.Set(Local(2026, 11, 24, 7, 59));
        await Task.Delay(500);
        Assert.Equal(MessageStatus.Queued, (await ReloadAsync(h, winBack)).Status);
        Assert.Equal(2, h.Graph.Requests.Count);

        // 08:00: it goes, once.
        h.App.Time.Set(Local(2026, 11, 24, 8, 0));
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, winBack)).Status == MessageStatus.Sent, "the win-back sent at 08:00");
        await Task.Delay(500);
        var sent = await ReloadAsync(h, winBack);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.ErrorCode);
        Assert.Equal(Local(2026, 11, 24, 8, 0).UtcDateTime, sent.SentAt);
        Assert.Equal(3, h.Graph.Requests.Count);
        Assert.Equal(2, h.Graph.Requests.Count(r => TemplateName(r) == "te_extranamos")); // the rate-limited try and the one that went
    }

    [Fact]
    public async Task AReviewRequestDueInQuietHours_IsHeld_ButAConfirmationIsNot()
    {
        await using var h = await MessagingHarness.StartAsync();
        await SetClockAsync(h, Local(2026, 11, 23, 22, 30));
        var conversation = await h.ArrangeConversationAsync(lastInbound: TimeSpan.FromHours(1));

        var review = await QueueAsync(h, conversation, "¿Qué tal tu corte? Déjanos una reseña.", null, MessagePurpose.ReviewRequest);
        var confirmation = await QueueAsync(h, conversation, "¡Listo! Tu cita quedó confirmada.", null, MessagePurpose.Confirmation);

        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, confirmation)).Status == MessageStatus.Sent, "the confirmation sent at 22:30");
        await Eventually.HoldsAsync(async () => (await ReloadAsync(h, review)).ErrorCode == OutboxDispatcher.QuietHoursCode, "the review request held");
        var held = await ReloadAsync(h, review);
        Assert.Equal(0, held.Attempts);
        Assert.Equal(Local(2026, 11, 24, 8, 0).UtcDateTime, held.NextAttemptAt);
        Assert.Single(h.Graph.Requests);
    }

    [Theory]
    [InlineData(19, 55, null)]
    [InlineData(20, 0, "2026-11-24T08:00")]
    [InlineData(23, 59, "2026-11-24T08:00")]
    [InlineData(2, 0, "2026-11-23T08:00")]
    [InlineData(7, 59, "2026-11-23T08:00")]
    [InlineData(8, 0, null)]
    public void EndOf_TheDefaultNight_WrapsMidnight(int hour, int minute, string? end)
    {
        var until = QuietHours.EndOf(At(2026, 11, 23, hour, minute), MexicoCity, "20:00", "08:00");

        Assert.Equal(end, until?.InZone(MexicoCity).LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EndOf_ADaytimeSpan_NoSpan_AndUnreadableSettings()
    {
        var at14 = At(2026, 11, 23, 14, 0);
        Assert.Equal(At(2026, 11, 23, 15, 0), QuietHours.EndOf(at14, MexicoCity, "13:00", "15:00"));
        Assert.Null(QuietHours.EndOf(at14, MexicoCity, "15:00", "16:00"));
        Assert.Null(QuietHours.EndOf(at14, MexicoCity, "14:00", "14:00")); // equal ends: no quiet hours
        Assert.Null(QuietHours.EndOf(at14, MexicoCity, "8pm", "08:00"));
        Assert.Null(QuietHours.EndOf(at14, MexicoCity, null, "08:00"));
    }

    [Fact]
    public void EndOf_OnTheNightsClocksChange_IsAlwaysLater_AndExists()
    {
        // 8 March 2026, New York: 02:00 EST jumps to 03:00 EDT, so 02:30 never happens; the quiet ends at 03:00.
        var springNight = Instant.FromUtc(2026, 3, 8, 6, 0); // 01:00 EST
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 0), QuietHours.EndOf(springNight, NewYork, "22:00", "02:30"));

        // 1 November 2026: 01:00–02:00 happens twice; from the first 01:10 the quiet lasts to the second 01:30.
        var autumnNight = Instant.FromUtc(2026, 11, 1, 5, 10); // 01:10 EDT
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 30), QuietHours.EndOf(autumnNight, NewYork, "22:00", "01:30"));
        var secondReading = Instant.FromUtc(2026, 11, 1, 6, 10); // 01:10 EST
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 30), QuietHours.EndOf(secondReading, NewYork, "22:00", "01:30"));
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(MexicoCity).ToDateTimeOffset().ToUniversalTime();

    /// <summary>
    /// Moves the clock days ahead of the harness's start, then lets the dispatcher's current poll finish: a claim
    /// that read the old time could otherwise lease the first message with a lease already long expired.
    /// </summary>
    private static async Task SetClockAsync(MessagingHarness h, DateTimeOffset now)
    {
        h.App.Time.Set(now);
        await Task.Delay(300);
    }

    private static Instant At(int year, int month, int day, int hour, int minute) => Instant.FromDateTimeOffset(Local(year, month, day, hour, minute));

    private static string? TemplateName(FakeWhatsApp.Request request) => request.Body["template"]?["name"]?.GetValue<string>();

    private static async Task<Message> QueueAsync(MessagingHarness h, Conversation conversation, string text, TemplateMessage? template, MessagePurpose purpose)
    {
        var (db, scope) = h.App.Db(h.Tenant.Id);
        using (scope)
        {
            var tracked = await db.Conversations.FirstAsync(c => c.Id == conversation.Id);
            var message = template is null ? Outbox.Queue(db, tracked, text, purpose) : Outbox.QueueTemplate(db, tracked, text, template, purpose);
            await db.SaveChangesAsync();
            return message;
        }
    }

    private static Task<Message> ReloadAsync(MessagingHarness h, Message message) =>
        h.QueryAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == message.Id));
}
