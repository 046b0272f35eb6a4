using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.BookingPage;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Notifications;

/// <summary>The <c>Karibu:Notifications</c> section.</summary>
internal sealed class NotificationOptions
{
    public const string SectionName = "Karibu:Notifications";

    /// <summary>How often the worker looks for due reminders and agendas.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 30;

    /// <summary>A daily agenda later than this after its time is skipped (the node was down): news of the morning, not of the evening.</summary>
    [Range(0.5, 12)]
    public double AgendaGraceHours { get; set; } = 3;

    /// <summary>Due reminders claimed and queued per transaction (two such pages are in flight at once on PostgreSQL).</summary>
    [Range(1, 20_000)]
    public int ReminderPageSize { get; set; } = 2000;
}

/// <summary>A notice that must go out once (a second reminder, a day's agenda): its row is the claim, so two nodes never both send it.</summary>
internal sealed class SentNotice : TenantEntity
{
    public required string Kind { get; set; }
    public required string Key { get; set; }
}

internal sealed class SentNoticeConfiguration : IEntityTypeConfiguration<SentNotice>
{
    public void Configure(EntityTypeBuilder<SentNotice> b)
    {
        b.ToTable("sent_notices");
        b.Property(n => n.Kind).HasMaxLength(32);
        b.Property(n => n.Key).HasMaxLength(100);
        b.HasOne<Organization>().WithMany().HasForeignKey(n => n.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.OrganizationId, n.Kind, n.Key }).IsUnique();
    }
}

/// <summary>
/// Sends what is due from the database, so a restart loses nothing and repeats nothing: reminders
/// (claimed by setting <c>reminder_sent_at</c> where it is still null, in the transaction that queues the
/// message), the optional second reminder and the daily agenda (claimed by a <see cref="SentNotice"/> row).
/// A reminder also tells the customer's chat that a "sí"/"cancelar" answers it.
/// </summary>
internal sealed class NotificationWorker(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<NotificationOptions> options, IOptions<MessagingOptions> messaging,
    ILogger<NotificationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!messaging.Value.RunWorkers)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The worker must outlive a database hiccup; it logs and tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.LogError(e, "Notification round failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One pass over every business: due reminders, second reminders and agendas.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Organization> organizations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organizations = await scope.ServiceProvider.GetRequiredService<KaribuDb>().Organizations
                .IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking().ToListAsync(ct);
        }

        var sent = 0;
        foreach (var organization in organizations)
        {
            sent += await ForOrganizationAsync(organization, ct);
        }

        return sent;
    }

    private async Task<int> ForOrganizationAsync(Organization organization, CancellationToken ct)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        MessageChannel channel;
        bool postgres;
        await using (var scope = Enter(organization, out var db))
        {
            // Page bookings held for a code nobody typed in time let their slot go (with or without a channel: the
            // simulator sends codes in Development).
            await scope.ServiceProvider.GetRequiredService<BookingCodeFlow>().ReleaseExpiredAsync(ct);
            if (await BookingNotices.ChannelAsync(db, ct) is not { } found)
            {
                return 0; // No WhatsApp or SMS: nothing to send reminders or agendas with.
            }

            channel = found;
            postgres = db.Database.IsNpgsql();
        }

        // Two pages at a time on PostgreSQL: one page's messages are built while the database stores the other's.
        var sent = 0;
        await Parallel.ForEachAsync(DueRemindersAsync(organization, now, ct), new ParallelOptions { MaxDegreeOfParallelism = postgres ? 2 : 1, CancellationToken = ct },
            async (page, token) =>
            {
                await using var scope = Enter(organization, out var db);
                Interlocked.Add(ref sent, await RemindAsync(scope.ServiceProvider, db, organization, page.Due, channel, page.Context, now, token));
            });

        await using (var scope = Enter(organization, out var db))
        {
            sent += await SecondRemindersAsync(scope.ServiceProvider, db, organization, channel, now, ct);
            sent += await AgendasAsync(scope.ServiceProvider, db, organization, channel, now, ct);
            sent += await WinBacksAsync(scope.ServiceProvider, db, organization, channel, now, ct);
        }

        return sent;
    }

    /// <summary>
    /// Appointments whose reminder is due and not yet claimed, in pages in (start, id) order. Each page starts
    /// after the last row of the one before (keyset), so pages never overlap while the previous ones are still
    /// being claimed, and a page costs the same however many appointments share one start time.
    /// </summary>
    private async IAsyncEnumerable<(List<Appointment> Due, BookingNotices.Context Context)> DueRemindersAsync(Organization organization, Instant now, [EnumeratorCancellation] CancellationToken ct)
    {
        var nowUtc = now.ToDateTimeUtc();
        var horizon = (now + Duration.FromHours(organization.Settings.ReminderHoursBefore)).ToDateTimeUtc();
        var pageSize = options.Value.ReminderPageSize;
        var after = nowUtc;
        var afterId = Guid.Empty;
        BookingNotices.Context? context = null;
        await using var scope = Enter(organization, out var db);
        while (true)
        {
            var page = await db.Appointments.AsNoTracking()
                .Where(a => a.ReminderSentAt == null && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending)
                            && a.StartAt > nowUtc && a.StartAt <= horizon && a.StartAt >= after && (a.StartAt > after || a.Id.CompareTo(afterId) > 0)
                            && (a.Status == AppointmentStatus.Confirmed || !db.BookingCodes.Any(c => c.AppointmentId == a.Id && c.ConfirmedAt == null)))
                .OrderBy(a => a.StartAt).ThenBy(a => a.Id).Take(pageSize).ToListAsync(ct);
            if (page.Count > 0)
            {
                // Names and the address, read once per pass and only when something is due (most passes find nothing).
                context ??= await scope.ServiceProvider.GetRequiredService<BookingNotices>().ContextAsync(ct);
                yield return (page, context);
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            (after, afterId) = (page[^1].StartAt, page[^1].Id);
        }
    }

    private AsyncServiceScope Enter(Organization organization, out KaribuDb db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(
            organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);
        db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        return scope;
    }

    /// <summary>
    /// Claims a batch of reminders (rows another node holds are skipped on PostgreSQL; only rows still
    /// without <c>reminder_sent_at</c> are taken), marks them, and queues their messages in the same
    /// transaction (copied in bulk on PostgreSQL). Bookings made after their reminder time get none: they
    /// were just confirmed.
    /// </summary>
    private static async Task<int> RemindAsync(
        IServiceProvider services, KaribuDb db, Organization organization, List<Appointment> due, MessageChannel channel,
        BookingNotices.Context context, Instant now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = due.Select(a => a.Id).ToArray();
        var nowUtc = now.ToDateTimeUtc();
        HashSet<Guid> claimed;
        if (db.Database.IsNpgsql())
        {
            claimed = [.. await db.Database.SqlQueryRaw<Guid>(
                """
                UPDATE appointments SET reminder_sent_at = {1}
                WHERE id IN (SELECT id FROM appointments WHERE id = ANY({0}) AND reminder_sent_at IS NULL FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """, ids, nowUtc).ToListAsync(ct)];
        }
        else
        {
            claimed = [.. await db.Appointments.Where(a => ids.Contains(a.Id) && a.ReminderSentAt == null).Select(a => a.Id).ToListAsync(ct)];
            await db.Appointments.Where(a => claimed.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.ReminderSentAt, nowUtc), ct);
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        var hours = Duration.FromHours(organization.Settings.ReminderHoursBefore);
        var toSend = due.Where(a => claimed.Contains(a.Id)
            && Instant.FromDateTimeUtc(DateTime.SpecifyKind(a.CreatedAt, DateTimeKind.Utc)) < Instant.FromDateTimeUtc(a.StartAt) - hours).ToList();
        await QueueRemindersAsync(services, db, organization, toSend, channel, context, nowUtc, ct);
        await transaction.CommitAsync(ct);
        services.GetService<OutboxSignal>()?.Notify();
        return toSend.Count;
    }

    /// <summary>
    /// Writes the reminders of a batch (new chats, messages, and each chat's "a sí or cancelar answers it"),
    /// everything they need read once for the batch, not per message, and written in bulk.
    /// </summary>
    private static async Task QueueRemindersAsync(
        IServiceProvider services, KaribuDb db, Organization organization, List<Appointment> appointments, MessageChannel channel,
        BookingNotices.Context context, DateTime now, CancellationToken ct)
    {
        if (appointments.Count == 0)
        {
            return;
        }

        var notices = services.GetRequiredService<BookingNotices>();
        var language = GuidedTexts.FromLocale(organization.Locale);
        var customerIds = appointments.Select(a => a.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var chats = await notices.CustomerChatsAsync(customerIds, ct);
        var template = await Templates.LoadAsync(db, TemplatePurpose.Reminder, language, channel, ct);
        var newChats = new List<Conversation>();
        var changedChats = new Dictionary<Guid, Conversation>();
        var messages = new List<Message>(appointments.Count);
        foreach (var appointment in appointments)
        {
            var customer = customers[appointment.CustomerId];
            if (!chats.TryGetValue(customer.Id, out var chat))
            {
                chat = chats[customer.Id] = BookingNotices.NewChat(customer, channel);
                newChats.Add(chat);
            }
            else
            {
                changedChats[chat.Id] = chat;
            }

            messages.Add(BookingNotices.Render(chat, template, MessagePurpose.Reminder, notices.ValuesFor(appointment, organization, customer, language, context)));
            chat.AssistantState = GuidedEngine.AwaitingReminderAnswer(appointment.Id);
        }

        await BulkSave.InsertAsync(db, newChats, now, ct);
        await BulkSave.UpdateAsync(db, [.. changedChats.Values], now, [nameof(Conversation.AssistantState)], ct);
        await BulkSave.InsertAsync(db, messages, now, ct);
    }

    private static async Task QueueReminderAsync(
        IServiceProvider services, KaribuDb db, Organization organization, Appointment appointment, MessageChannel channel, DateTime now, CancellationToken ct) =>
        await QueueRemindersAsync(services, db, organization, [appointment], channel,
            await services.GetRequiredService<BookingNotices>().ContextAsync(ct), now, ct);

    private static async Task<int> SecondRemindersAsync(
        IServiceProvider services, KaribuDb db, Organization organization, MessageChannel channel, Instant now, CancellationToken ct)
    {
        if (organization.Settings.SecondReminderHoursBefore is not { } hours)
        {
            return 0;
        }

        var nowUtc = now.ToDateTimeUtc();
        var horizon = (now + Duration.FromHours(hours)).ToDateTimeUtc();
        var due = await db.Appointments.AsNoTracking()
            .Where(a => (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending) && a.StartAt > nowUtc && a.StartAt <= horizon
                        && (a.Status == AppointmentStatus.Confirmed || !db.BookingCodes.Any(c => c.AppointmentId == a.Id && c.ConfirmedAt == null)))
            .ToListAsync(ct);
        var sent = 0;
        foreach (var appointment in due)
        {
            var dueAt = Instant.FromDateTimeUtc(appointment.StartAt) - Duration.FromHours(hours);
            if (Instant.FromDateTimeUtc(DateTime.SpecifyKind(appointment.CreatedAt, DateTimeKind.Utc)) >= dueAt)
            {
                continue;
            }

            if (await ClaimAsync(db, "reminder_2", $"{appointment.Id:N}", ct))
            {
                await QueueReminderAsync(services, db, organization, appointment, channel, nowUtc, ct);
                sent++;
            }
        }

        return sent;
    }

    /// <summary>At the business's agenda time (local), each active staff member and the owner get the day's appointments.</summary>
    private async Task<int> AgendasAsync(IServiceProvider services, KaribuDb db, Organization organization, MessageChannel channel, Instant now, CancellationToken ct)
    {
        if (organization.Settings.DailyAgendaTime is not { } at || !TimeOnly.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return 0;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone) ?? DateTimeZone.Utc;
        var local = now.InZone(zone);
        var agendaAt = local.Date.At(new LocalTime(parsed.Hour, parsed.Minute)).InZoneLeniently(zone).ToInstant();
        if (now < agendaAt || now > agendaAt + Duration.FromHours(options.Value.AgendaGraceHours))
        {
            return 0;
        }

        var language = GuidedTexts.FromLocale(organization.Locale);
        var from = local.Date.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = local.Date.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= from && a.StartAt < to && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending))
            .OrderBy(a => a.StartAt).ToListAsync(ct);
        var services_ = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var customerIds = appointments.Select(a => a.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName ?? c.PhoneNumber, ct);
        var team = await db.Staff.AsNoTracking().Where(s => s.IsActive).ToListAsync(ct);
        var names = team.ToDictionary(s => s.Id, s => s.Name);
        var notices = services.GetRequiredService<BookingNotices>();
        var sent = 0;
        foreach (var member in team)
        {
            var owner = member.Role == StaffRole.Owner;
            var theirs = appointments.Where(a => owner || a.StaffId == member.Id).ToList();
            if (!await ClaimAsync(db, "daily_agenda", $"{member.Id:N}:{local.Date:yyyy-MM-dd}", ct))
            {
                continue;
            }

            var lines = theirs.Select(a => $"• {GuidedTexts.Time(language, Instant.FromDateTimeUtc(a.StartAt).InZone(zone).TimeOfDay)} "
                                           + $"{services_.GetValueOrDefault(a.ServiceId)} — {customers.GetValueOrDefault(a.CustomerId)}"
                                           + (owner && a.StaffId != member.Id ? $" ({names.GetValueOrDefault(a.StaffId)})" : ""));
            var values = new BookingNotices.Values(new Dictionary<string, string?>
            {
                ["staff_name"] = member.Name.Split(' ')[0],
                ["business_name"] = organization.Name,
                ["day"] = GuidedTexts.Date(language, local.Date),
                ["count"] = theirs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["agenda"] = theirs.Count == 0 ? GuidedTexts.EmptyAgenda(language, GuidedTexts.Day(language, local.Date, local.Date), owner) : string.Join("\n", lines),
            });
            await notices.ToStaffAsync(member, channel, TemplatePurpose.DailyAgenda, MessagePurpose.Agenda, language, values, ct);
            await db.SaveChangesAsync(ct);
            sent++;
        }

        return sent;
    }

    /// <summary>
    /// When the business lets them go by themselves: a personal win-back to the top of today's "who to
    /// contact" list (which already leaves out opted-out customers and anyone with a booking ahead), never in
    /// quiet hours, and never a second marketing message to one customer within <c>marketing_cap_days</c>.
    /// </summary>
    private static async Task<int> WinBacksAsync(
        IServiceProvider services, KaribuDb db, Organization organization, MessageChannel channel, Instant now, CancellationToken ct)
    {
        var settings = organization.Settings;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone) ?? DateTimeZone.Utc;
        var local = now.InZone(zone);
        if (!settings.WinBackAutomatic || InQuietHours(local.TimeOfDay, settings.QuietHoursStart, settings.QuietHoursEnd))
        {
            return 0;
        }

        var language = GuidedTexts.FromLocale(organization.Locale);
        var since = (now - Duration.FromDays(settings.MarketingCapDays)).ToDateTimeUtc();
        var notices = services.GetRequiredService<BookingNotices>();
        var sent = 0;
        foreach (var contact in (await Retention.ToContactList.BuildAsync(db, zone, now.ToDateTimeOffset(), ct)).Take(MaxWinBacksPerRound))
        {
            var recent = await Retention.WinBacks.RecentlyMessagedAsync(db, contact.CustomerId, since, ct);
            if (recent || !await ClaimAsync(db, "win_back", $"{contact.CustomerId:N}:{local.Date:yyyy-MM-dd}", ct))
            {
                continue;
            }

            var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == contact.CustomerId, ct);
            var values = Retention.WinBacks.Values(organization, customer, contact, language);
            await notices.ToCustomerAsync(customer, channel, TemplatePurpose.WinBack, MessagePurpose.WinBack, language, values, ct);
            await db.SaveChangesAsync(ct);
            sent++;
        }

        return sent;
    }

    private const int MaxWinBacksPerRound = 50;

    /// <summary>Quiet hours may wrap midnight (20:00–08:00).</summary>
    public static bool InQuietHours(LocalTime t, string start, string end) =>
        QuietHours.TryParse(start, out var from) && QuietHours.TryParse(end, out var to) && QuietHours.Contains(t, from, to);

    /// <summary>Inserts the notice's row; false when it is already there (sent before, or by another node just now).</summary>
    private static async Task<bool> ClaimAsync(KaribuDb db, string kind, string key, CancellationToken ct)
    {
        if (await db.SentNotices.AnyAsync(n => n.Kind == kind && n.Key == key, ct))
        {
            return false;
        }

        var notice = new SentNotice { Kind = kind, Key = key };
        db.SentNotices.Add(notice);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(notice).State = EntityState.Detached;
            return false;
        }
    }
}
