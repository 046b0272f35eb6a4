using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Karibu.Data;
using Karibu.Features.Accounts;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.BookingPage;

internal enum CodeOutcome { Open, Confirmed, Missing, Wrong, TooManyTries, Expired, Released, Sent, TooSoon, NoMoreSends }

/// <summary>What a step of confirming by code came to; <see cref="Left"/> tries after a wrong code, <see cref="Seconds"/> to wait before a resend.</summary>
internal sealed record CodeResult(CodeOutcome Outcome, int Left = 0, int Seconds = 0);

/// <summary>
/// Confirming a booking from the public page with a one-time code (setting <c>confirm_page_bookings_by_code</c>).
/// The booking is made by <see cref="BookingService"/> like any other, held pending; <see cref="Hold"/> runs inside
/// that booking's transaction, storing the code's hash and queuing the code to the customer's phone. The page
/// reaches the hold only through a random handle (its SHA-256 is stored), looked up within the business the page
/// belongs to. The right code confirms the appointment and sends the usual confirmation; <see cref="MaxAttempts"/>
/// wrong ones or <see cref="HoldFor"/> without the code release it (cancelled, no messages). Every change of a
/// hold is a conditional UPDATE, so a double submit or two tabs cannot confirm twice or miscount.
/// </summary>
internal sealed class BookingCodeFlow(
    KaribuDb db, BookingService booking, BookingNotices notices, TimeProvider time, IHostEnvironment environment, ILogger<BookingCodeFlow> log)
{
    public const int MaxAttempts = 5;
    public const int MaxSends = 3;
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(60);

    /// <summary>The page's actor: the confirmation is the page's booking completed.</summary>
    public const string Actor = "web";

    private const string ReleaseActor = "web:code";
    private const int HandleBytes = 24;

    /// <summary>The channel the code goes on when this business confirms page bookings by code; null when it does not (or has no way to send one).</summary>
    public async Task<MessageChannel?> ChannelAsync(Organization organization, CancellationToken ct) =>
        organization.Settings.ConfirmPageBookingsByCode ? await OneTimeCode.ChannelAsync(db, organization, environment, ct) : null;

    /// <summary>A new handle for the code page's address: 24 random bytes, base64url (32 characters).</summary>
    public static string NewHandle() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(HandleBytes));

    private static string HashHandle(string handle) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));

    /// <summary>What <see cref="BookingRequest.ConfirmByCode"/> runs in the booking's transaction: the hold's row and the code's message.</summary>
    public Func<Appointment, CancellationToken, Task> Hold(string handle, MessageChannel channel, Language language) => async (appointment, ct) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        var code = OneTimeCode.New();
        db.BookingCodes.Add(new BookingCode
        {
            AppointmentId = appointment.Id, HandleHash = HashHandle(handle), CodeHash = OneTimeCode.Hash(appointment.Id, code),
            ExpiresAt = now + HoldFor, SentAt = now,
        });
        await SendAsync(appointment, code, channel, language, ct);
    };

    /// <summary>The hold behind a handle, in the current business only: another business's handle, or a made-up one, is null.</summary>
    public Task<BookingCode?> FindAsync(string handle, CancellationToken ct)
    {
        if (handle.Length is 0 or > 64)
        {
            return Task.FromResult<BookingCode?>(null);
        }

        var hash = HashHandle(handle);
        return db.BookingCodes.FirstOrDefaultAsync(c => c.HandleHash == hash, ct);
    }

    /// <summary>Where the hold stands: open, confirmed, or released (and why). An open hold whose time is up is released now.</summary>
    public async Task<CodeResult> StateAsync(BookingCode hold, CancellationToken ct)
    {
        if (hold.ReleasedAt is null && hold.ConfirmedAt is null && time.GetUtcNow().UtcDateTime >= hold.ExpiresAt)
        {
            await ReleaseAsync(hold, "Not confirmed with the code from the booking page in time", ct);
        }

        return Settled(hold) ?? new CodeResult(CodeOutcome.Open, MaxAttempts - hold.FailedAttempts);
    }

    public async Task<CodeResult> VerifyAsync(BookingCode hold, string? typed, CancellationToken ct)
    {
        if ((await StateAsync(hold, ct)) is { Outcome: not CodeOutcome.Open } settled)
        {
            return settled;
        }

        var code = OneTimeCode.Digits(typed);
        if (code.Length != OneTimeCode.Length)
        {
            return new CodeResult(CodeOutcome.Missing, MaxAttempts - hold.FailedAttempts); // Not a guess: nothing is counted.
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (!OneTimeCode.Matches(hold.CodeHash, OneTimeCode.Hash(hold.AppointmentId, code)))
        {
            // Counted in the database, so two wrong codes sent at once both count.
            await Open(hold).ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1).SetProperty(c => c.UpdatedAt, now), ct);
            await db.Entry(hold).ReloadAsync(ct);
            if (hold.ReleasedAt is null && hold.ConfirmedAt is null && hold.FailedAttempts >= MaxAttempts)
            {
                await ReleaseAsync(hold, "Too many wrong codes on the booking page", ct);
            }

            return Settled(hold) ?? new CodeResult(CodeOutcome.Wrong, MaxAttempts - hold.FailedAttempts);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Only one of two identical posts gets here with the row still open; the other finds it confirmed.
        if (await Open(hold).ExecuteUpdateAsync(s => s.SetProperty(c => c.ConfirmedAt, now).SetProperty(c => c.UpdatedAt, now), ct) == 0)
        {
            await transaction.RollbackAsync(ct);
            await db.Entry(hold).ReloadAsync(ct);
            return Settled(hold) ?? new CodeResult(CodeOutcome.Open);
        }

        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == hold.AppointmentId, ct);
        if (appointment is { Status: AppointmentStatus.Pending })
        {
            appointment = (await booking.ConfirmAsync(appointment.Id, Actor, ct)).Value;
        }

        if (appointment is not { Status: AppointmentStatus.Confirmed })
        {
            // Cancelled by the business meanwhile (or changed at the same moment): nothing to confirm.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new CodeResult(CodeOutcome.Released);
        }

        await notices.QueueAsync(appointment, BookingChange.Booked, Actor, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await db.Entry(hold).ReloadAsync(ct);
        return new CodeResult(CodeOutcome.Confirmed);
    }

    /// <summary>A new code (the old one stops working), at most <see cref="MaxSends"/> in all and one per <see cref="ResendAfter"/>.</summary>
    public async Task<CodeResult> ResendAsync(BookingCode hold, Organization organization, Language language, CancellationToken ct)
    {
        if ((await StateAsync(hold, ct)) is { Outcome: not CodeOutcome.Open } settled)
        {
            return settled;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (hold.Sends >= MaxSends || await ChannelAsync(organization, ct) is not { } channel)
        {
            return new CodeResult(CodeOutcome.NoMoreSends);
        }

        var wait = hold.SentAt + ResendAfter - now;
        if (wait > TimeSpan.Zero)
        {
            return new CodeResult(CodeOutcome.TooSoon, Seconds: (int)Math.Ceiling(wait.TotalSeconds));
        }

        var code = OneTimeCode.New();
        var hash = OneTimeCode.Hash(hold.AppointmentId, code);
        var sentAt = hold.SentAt;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two taps on "send again" send one code: the second no longer finds the send time it read.
        if (await Open(hold).Where(c => c.SentAt == sentAt)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CodeHash, hash).SetProperty(c => c.SentAt, now).SetProperty(c => c.Sends, c => c.Sends + 1).SetProperty(c => c.UpdatedAt, now), ct) == 0)
        {
            await transaction.RollbackAsync(ct);
            return new CodeResult(CodeOutcome.TooSoon, Seconds: (int)ResendAfter.TotalSeconds);
        }

        var appointment = await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == hold.AppointmentId, ct);
        await SendAsync(appointment, code, channel, language, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await db.Entry(hold).ReloadAsync(ct);
        return new CodeResult(CodeOutcome.Sent);
    }

    /// <summary>Releases the current business's open holds whose time is up (the notification worker calls this every pass).</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.BookingCodes.Where(c => c.ConfirmedAt == null && c.ReleasedAt == null && c.ExpiresAt <= now).ToListAsync(ct);
        foreach (var hold in due)
        {
            await ReleaseAsync(hold, "Not confirmed with the code from the booking page in time", ct);
        }

        return due.Count;
    }

    /// <summary>
    /// Ends an open hold: the appointment is cancelled without messages (nobody was told of it). If the business
    /// confirmed the appointment itself meanwhile, the hold counts as confirmed instead.
    /// </summary>
    private async Task ReleaseAsync(BookingCode hold, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var status = await db.Appointments.Where(a => a.Id == hold.AppointmentId).Select(a => (AppointmentStatus?)a.Status).FirstOrDefaultAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (status == AppointmentStatus.Confirmed)
        {
            await Open(hold).ExecuteUpdateAsync(s => s.SetProperty(c => c.ConfirmedAt, now).SetProperty(c => c.UpdatedAt, now), ct);
        }
        else if (await Open(hold).ExecuteUpdateAsync(s => s.SetProperty(c => c.ReleasedAt, now).SetProperty(c => c.UpdatedAt, now), ct) == 1
                 && (await booking.ReleaseAsync(hold.AppointmentId, reason, ReleaseActor, ct)).Error is { } error)
        {
            log.LogWarning("Released the code hold {HoldId} but kept its appointment: {Error}", hold.Id, error.Message);
        }

        await transaction.CommitAsync(ct);
        await db.Entry(hold).ReloadAsync(ct);
    }

    private IQueryable<BookingCode> Open(BookingCode hold) =>
        db.BookingCodes.Where(c => c.Id == hold.Id && c.ConfirmedAt == null && c.ReleasedAt == null);

    /// <summary>Confirmed, or released and why; null while open.</summary>
    private static CodeResult? Settled(BookingCode hold) =>
        hold.ConfirmedAt is not null ? new CodeResult(CodeOutcome.Confirmed)
        : hold.ReleasedAt is null ? null
        : hold.FailedAttempts >= MaxAttempts ? new CodeResult(CodeOutcome.TooManyTries)
        : hold.ReleasedAt >= hold.ExpiresAt ? new CodeResult(CodeOutcome.Expired)
        : new CodeResult(CodeOutcome.Released);

    /// <summary>The code to the customer's phone as the <c>booking_code</c> template, in the page's language, by the business's rules for that channel.</summary>
    private async Task SendAsync(Appointment appointment, string code, MessageChannel channel, Language language, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == appointment.CustomerId, ct);
        var values = (await notices.ValuesAsync(appointment, organization, customer, language, ct)).With("code", code);
        Conversation chat;
        if (channel == MessageChannel.Simulator)
        {
            // Notices never go to simulator chats; a code in Development does, once per customer.
            chat = await db.Conversations.FirstOrDefaultAsync(c => c.CustomerId == customer.Id && c.Channel == MessageChannel.Simulator, ct)
                   ?? db.Conversations.Add(BookingNotices.NewChat(customer, channel)).Entity;
            log.LogInformation("Booking code for {Phone} at {Business} (simulator): {Code}", customer.PhoneNumber, organization.Name, code);
        }
        else
        {
            chat = notices.CustomerChat(await notices.CustomerChatsAsync([customer.Id], ct), customer, channel);
        }

        BookingNotices.Queue(db, chat, await Templates.LoadAsync(db, TemplatePurpose.BookingCode, language, chat.Channel, ct), MessagePurpose.System, values);
    }
}
