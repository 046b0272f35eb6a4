using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Channels.Sms;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Messaging;

/// <summary>
/// Sends queued messages. A claim leases the oldest unsent message of each conversation (Postgres:
/// <c>FOR UPDATE SKIP LOCKED</c>), so several nodes never send one message twice and a conversation's
/// messages go out in order. Rules are checked at send time: opt-outs, quiet hours for marketing (held until
/// they end, counting no attempt), WhatsApp's 24-hour window (template, SMS fallback, or a clear failure), send
/// rates. Retryable provider errors back off
/// exponentially with jitter; after too many, or on a final error, the message fails with the reason.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, OutboxSignal signal, SendRates rates, TimeProvider time,
    IOptions<MessagingOptions> options, ILogger<OutboxDispatcher> log) : ClaimLoop<Message>(signal, time, options.Value, log)
{
    private const int MaxClaim = 64;

    /// <summary>The <c>error_code</c> of a queued marketing message waiting for the business's quiet hours to end.</summary>
    public const string QuietHoursCode = "quiet_hours";
    private readonly string _worker = Workers.NewName("outbox");

    protected override string Name => "Outbox dispatch";

    protected override int Parallelism => 8;

    /// <summary>
    /// Leases due messages that are first in line in their conversation, returned whole. A message
    /// scheduled for later does not hold back the ones queued after it; one being sent or retried does,
    /// unless it is only waiting for quiet hours to end (a marketing message overnight must not hold back
    /// a reminder). The lease commits without a WAL flush (<see cref="ClaimLoop{T}.AsyncLeaseCommit"/>):
    /// what must survive a crash is the outcome, recorded durably after the send.
    /// </summary>
    public override async Task<List<Message>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        var postgres = db.Database.IsNpgsql();
        var skipLocked = postgres ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE messages SET status = 'sending', locked_by = {"{0}"}, locked_until = {"{1}"}
            WHERE id IN (
                SELECT m.id FROM messages m
                WHERE m.status IN ('queued', 'sending') AND m.direction = 'outbound'
                  AND ((m.status = 'queued' AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= {"{2}"}))
                       OR (m.status = 'sending' AND m.locked_until < {"{2}"}))
                  AND NOT EXISTS (
                      SELECT 1 FROM messages p
                      WHERE p.organization_id = m.organization_id AND p.conversation_id = m.conversation_id
                        AND p.status IN ('queued', 'sending') AND p.direction = 'outbound' AND p.id < m.id
                        AND (p.status = 'sending' OR (p.attempts > 0 AND COALESCE(p.error_code, '') <> '{QuietHoursCode}')
                             OR p.next_attempt_at IS NULL OR p.next_attempt_at <= {"{2}"}))
                ORDER BY m.id
                LIMIT {"{3}"} {skipLocked})
            {(postgres ? AsyncLeaseCommit : "")}
            RETURNING *
            """;
        return await LeaseAsync(db, now => db.Messages.FromSqlRaw(sql, _worker, now.AddSeconds(options.Value.LeaseSeconds), now, Math.Clamp(limit, 1, MaxClaim))
            .IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking().ToListAsync(ct), ct);
    }

    /// <summary>What sending one message needs, read in one query.</summary>
    private sealed record SendContext(Organization Organization, Conversation Conversation, Customer? Customer, string? StaffPhone, ChannelAccount? WhatsApp);

    public override async Task ProcessAsync(Message message, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KaribuDb>();
        SendOutcome outcome;
        var channel = message.Channel;
        try
        {
            var context = await SendContextAsync(db, message, ct);
            var organization = context.Organization;
            services.GetRequiredService<TenantContext>().Set(organization.Id, countryCode: organization.CountryCode, currency: organization.Currency);
            var conversation = context.Conversation;
            var customer = context.Customer;
            var phone = customer?.PhoneNumber ?? context.StaffPhone ?? (conversation.Address?.StartsWith('+') == true ? conversation.Address : null);
            (outcome, channel) = await DecideAsync(services, db, context, phone, message, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An unexpected error while sending is retried like a provider hiccup, never lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.LogError(e, "Sending message {MessageId} failed unexpectedly", message.Id);
            outcome = SendOutcome.Retry("Karibu could not send the message: " + e.Message, null, null);
        }

        await RecordAsync(db, message, channel, outcome);
    }

    /// <summary>
    /// The business, the conversation, its customer (or the staff member's phone) and the business's
    /// active WhatsApp account, as plain joins (a FirstOrDefault per relation would become a window over
    /// the whole table).
    /// </summary>
    private static async Task<SendContext> SendContextAsync(KaribuDb db, Message message, CancellationToken ct) =>
        await SendContextQuery.For(db)(db, message.ConversationId, message.OrganizationId, ct)
        ?? throw new InvalidOperationException($"The conversation of message {message.Id} no longer exists.");

    /// <summary>Compiled (<see cref="CompiledQuery{TQuery}"/>): every message sent runs it.</summary>
    private static readonly CompiledQuery<Func<KaribuDb, Guid, Guid, CancellationToken, Task<SendContext?>>> SendContextQuery = new(_ => EF.CompileAsyncQuery(
        // The tenant is not set yet (it comes from this very row), so every table is filtered by hand.
        (KaribuDb db, Guid conversationId, Guid organizationId, CancellationToken ct) => (
                from c in db.Conversations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(c => c.Id == conversationId && c.OrganizationId == organizationId)
                join o in db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly) on c.OrganizationId equals o.Id
                from customer in db.Customers.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(x => x.Id == c.CustomerId && x.OrganizationId == organizationId).DefaultIfEmpty()
                from staff in db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(x => x.Id == c.StaffId && x.OrganizationId == organizationId).DefaultIfEmpty()
                from account in db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                    .Where(a => a.OrganizationId == organizationId && a.Kind == ChannelKind.Whatsapp && a.IsActive).DefaultIfEmpty()
                select new SendContext(o, c, customer, staff == null ? null : staff.PhoneNumber, account))
            .AsNoTracking().FirstOrDefault()));

    private async Task<(SendOutcome, MessageChannel)> DecideAsync(
        IServiceProvider services, KaribuDb db, SendContext context, string? phone, Message message, CancellationToken ct)
    {
        var (organization, conversation, customer, _, account) = context;
        var channelName = EnumNames.ToName(message.Channel);
        if (!Outbox.IsTransactional(message.Purpose) && customer?.OptedOutChannels.Contains(channelName) == true)
        {
            return (SendOutcome.Failed("opted_out", $"The customer opted out of these messages on {channelName}."), message.Channel);
        }

        // Win-backs are queued outside quiet hours, but a backed-up outbox can reach them after they begin.
        if (!Outbox.IsTransactional(message.Purpose))
        {
            var now = Instant.FromDateTimeOffset(Time.GetUtcNow());
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone) ?? DateTimeZone.Utc;
            var settings = organization.Settings;
            if (QuietHours.EndOf(now, zone, settings.QuietHoursStart, settings.QuietHoursEnd) is { } until)
            {
                var local = until.InZone(zone).LocalDateTime.ToString("uuuu-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                return (SendOutcome.Held(QuietHoursCode,
                    $"Held for the business's quiet hours ({settings.QuietHoursStart}–{settings.QuietHoursEnd}); goes out at {local} local time.",
                    (until - now).ToTimeSpan()), message.Channel);
            }
        }

        switch (message.Channel)
        {
            case MessageChannel.Simulator:
                // The simulator's "network" is the database: the message is delivered where the playground reads it.
                return (SendOutcome.Sent($"sim.{message.Id:N}"), MessageChannel.Simulator);
            case MessageChannel.Sms:
                return (await SendSmsAsync(services, db, phone, message, ct), MessageChannel.Sms);
        }

        if (account?.EncryptedSecret is null)
        {
            return (SendOutcome.Failed("not_connected", "The business has no connected WhatsApp number."), message.Channel);
        }

        var content = OutboundContent.Read(message.Payload);
        var o = options.Value;
        System.Text.Json.Nodes.JsonObject body;
        if (message.ContentType == Outbox.ReadReceipt)
        {
            if (content?.ReplyTo is not { } read)
            {
                return (SendOutcome.Failed("invalid", "A read receipt needs the message it marks as read."), message.Channel);
            }

            body = WhatsAppMessages.ReadReceipt(read, content.Typing);
        }
        else
        {
            var to = phone ?? conversation.Address;
            if (to is null)
            {
                return (SendOutcome.Failed("no_recipient", "The conversation has no WhatsApp number or id to send to."), message.Channel);
            }

            var now = Time.GetUtcNow().UtcDateTime;
            var windowOpen = conversation.LastInboundAt is { } last && last.AddHours(24).AddMinutes(-o.WindowSafetyMinutes) > now;
            var asTemplate = message.ContentType == Outbox.Template || message.RequireTemplate || !windowOpen;
            if (asTemplate && content?.Template is null)
            {
                if (organization.Settings.AllowSmsFallback && phone is not null
                    && await db.ChannelAccounts.AnyAsync(a => (a.Kind == ChannelKind.Africastalking || a.Kind == ChannelKind.Onfon) && a.IsActive, ct))
                {
                    return (await SendSmsAsync(services, db, phone, message, ct), MessageChannel.Sms);
                }

                return (SendOutcome.Failed("window_closed",
                    $"More than 24 hours have passed since {(conversation.StaffId is null ? "the customer's" : "the staff member's")} last WhatsApp message, so WhatsApp only accepts an approved template, and there is none for '{EnumNames.ToName(message.Purpose)}'"
                    + (organization.Settings.AllowSmsFallback ? " (and no SMS account to fall back to)." : "; SMS fallback is off.")),
                    message.Channel);
            }

            body = WhatsAppMessages.Build(to, message.Body, content, asTemplate, $"karibu:{message.Id:N}");
        }

        // Pacing waits here, holding the lease (a second or so at most): the message keeps its place in line.
        var recipient = conversation.Address ?? phone ?? conversation.Id.ToString();
        var interval = message.ContentType == Outbox.ReadReceipt ? TimeSpan.Zero : TimeSpan.FromMilliseconds(o.RecipientIntervalMilliseconds);
        while (rates.TryAcquire(account.ExternalId, account.MessagesPerSecond ?? o.WhatsAppMessagesPerSecond, recipient, interval) is { } wait)
        {
            await Task.Delay(wait, ct);
        }

        var token = WhatsAppTokens.Protector(services.GetRequiredService<IDataProtectionProvider>()).Unprotect(account.EncryptedSecret);
        var client = services.GetRequiredService<WhatsAppGraphClient>();
        return (await client.SendAsync(account.ExternalId, token, body, message.Attempts + 1, ct), message.Channel);
    }

    /// <summary>Through the business's SMS account (Africa's Talking or Onfon), counting the parts billed.</summary>
    private static async Task<SendOutcome> SendSmsAsync(IServiceProvider services, KaribuDb db, string? phone, Message message, CancellationToken ct)
    {
        var account = await db.ChannelAccounts.AsNoTracking()
            .FirstOrDefaultAsync(a => (a.Kind == ChannelKind.Africastalking || a.Kind == ChannelKind.Onfon) && a.IsActive, ct);
        if (account?.EncryptedSecret is null)
        {
            return SendOutcome.Failed("not_connected", "The business has no connected SMS account.");
        }

        if (phone is null)
        {
            return SendOutcome.Failed("no_recipient", "The conversation has no phone number to text.");
        }

        if (string.IsNullOrWhiteSpace(message.Body))
        {
            return SendOutcome.Failed("empty_message", "There is no text to send by SMS.");
        }

        var credentials = System.Text.Json.JsonSerializer.Deserialize<SmsCredentials>(
            SmsEndpoints.Protector(services.GetRequiredService<IDataProtectionProvider>()).Unprotect(account.EncryptedSecret), JsonColumn.Options)!;
        var client = services.GetServices<ISmsClient>().First(c => c.Provider == credentials.Provider);
        var result = await client.SendAsync(credentials, phone, message.Body, ct);
        return result.Outcome switch
        {
            SmsSendOutcome.Sent => SendOutcome.Sent(result.ProviderMessageId, result.Segments ?? SmsSegments.Count(message.Body).Segments),
            SmsSendOutcome.Retry => SendOutcome.Retry(result.Error ?? "The SMS provider could not take the message.", result.ErrorCode, null),
            _ => SendOutcome.Failed(result.ErrorCode, result.Error ?? "The SMS provider refused the message."),
        };
    }

    /// <summary>Writes the outcome, but only while this worker still holds the message's lease.</summary>
    private async Task RecordAsync(KaribuDb db, Message message, MessageChannel channel, SendOutcome outcome)
    {
        var o = options.Value;
        var now = Time.GetUtcNow().UtcDateTime;
        var mine = db.Messages.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(m => m.Id == message.Id && m.LockedBy == _worker);
        int updated;
        if (outcome.Result == SendResult.Held)
        {
            // Not an attempt: the count and the channel stay as they were.
            var until = now + (outcome.RetryAfter ?? TimeSpan.Zero);
            updated = await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Queued).SetProperty(m => m.NextAttemptAt, until)
                .SetProperty(m => m.Error, outcome.Error).SetProperty(m => m.ErrorCode, outcome.ErrorCode)
                .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.UpdatedAt, now),
                CancellationToken.None);
            log.LogInformation("Message {MessageId} held until {Until:o}: {Reason}", message.Id, until, outcome.Error);
        }
        else if (outcome.Result == SendResult.Sent)
        {
            updated = await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Sent).SetProperty(m => m.Channel, channel)
                .SetProperty(m => m.ProviderMessageId, outcome.ProviderMessageId).SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Segments, outcome.Segments).SetProperty(m => m.Attempts, message.Attempts + 1)
                .SetProperty(m => m.Error, (string?)null).SetProperty(m => m.ErrorCode, (string?)null)
                .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.UpdatedAt, now),
                CancellationToken.None);
        }
        else
        {
            var attempts = message.Attempts + 1;
            var failed = outcome.Result == SendResult.Failed || attempts >= o.MaxSendAttempts;
            var reason = outcome.Result == SendResult.Retry && failed
                ? $"Gave up after {attempts} attempts: {outcome.Error}"
                : outcome.Error ?? "The message could not be sent.";
            if (reason.Length > 1000)
            {
                reason = reason[..1000];
            }

            var retryAt = now + (outcome.RetryAfter ?? Backoff.Delay(attempts, o.RetryBaseSeconds, o.RetryMaxSeconds));
            updated = await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, failed ? MessageStatus.Failed : MessageStatus.Queued)
                .SetProperty(m => m.Channel, channel)
                .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, failed ? null : retryAt)
                .SetProperty(m => m.Error, reason).SetProperty(m => m.ErrorCode, outcome.ErrorCode)
                .SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.UpdatedAt, now),
                CancellationToken.None);
            if (failed)
            {
                log.LogWarning("Message {MessageId} failed: {Reason}", message.Id, reason);
            }
        }

        if (updated == 0)
        {
            log.LogWarning("Lost the lease on message {MessageId} before recording its outcome ({Result})", message.Id, outcome.Result);
        }
    }
}

/// <summary>Wakes the dispatcher when a change queues messages on this node.</summary>
internal sealed class OutboxSignal : InboxSignal;
