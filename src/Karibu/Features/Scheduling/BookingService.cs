using Karibu.Common;
using Karibu.Data;
using Karibu.Data.Migrations;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Karibu.Features.Retention;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace Karibu.Features.Scheduling;

/// <summary>Why a scheduling request could not be done: the HTTP status it maps to, the field and a message.</summary>
internal sealed record SchedulingError(int Status, string Field, string Message)
{
    public static SchedulingError Invalid(string field, string message) => new(400, field, message);
    public static SchedulingError NotFound(string field, string what) => new(404, field, $"No such {what}.");
    public static SchedulingError Conflict(string field, string message) => new(409, field, message);
}

/// <summary>A scheduling answer: a value or an error.</summary>
internal readonly record struct Scheduled<T>(T? Value, SchedulingError? Error)
{
    public static implicit operator Scheduled<T>(T value) => new(value, null);
    public static implicit operator Scheduled<T>(SchedulingError error) => new(default, error);
}

/// <summary>
/// What to book, for whom, through which door. <c>ConfirmByCode</c> is set by the booking page when the customer must
/// confirm with a one-time code: the appointment is held pending, no booking notices go out yet (they go once the code
/// confirms it), and the callback runs in the booking's transaction to store and send the code, so a hold never
/// exists without its code.
/// </summary>
internal sealed record BookingRequest(
    Guid ServiceId,
    Instant Start,
    Guid? StaffId,
    Guid? CustomerId,
    string? CustomerPhone,
    string? CustomerName,
    AppointmentSource Source,
    string? Notes,
    bool OverrideAvailability,
    string Actor,
    Func<Appointment, CancellationToken, Task>? ConfirmByCode = null);

internal sealed record SlotSearch(Guid ServiceId, LocalDate From, LocalDate To, Guid? StaffId);

/// <summary>
/// The one way to find times and to book, move, cancel, complete or mark a no-show. The REST API,
/// the assistant, staff commands and the booking page all call this, so no door skips a rule.
/// </summary>
/// <remarks>
/// A booking is accepted only for a start the slot finder offers for that staff member and service
/// (unless staff explicitly override availability, which is audited). The database has the last word
/// on overlaps: an exclusion constraint on PostgreSQL, a trigger on SQLite, where the whole booking
/// also runs in one IMMEDIATE transaction so check and insert cannot interleave.
/// </remarks>
internal sealed class BookingService(KaribuDb db, TenantContext tenant, TenantData tenantData, TimeProvider time, Notifications.BookingNotices notices)
{
    public const int MaxRangeDays = 93;

    /// <summary>
    /// The latest start accepted even with override: beyond any real diary, and far enough inside what
    /// dates and database timestamps hold that the day arithmetic around a booking cannot overflow.
    /// </summary>
    private static readonly Instant LatestStart = Instant.FromUtc(9999, 1, 1, 0, 0);

    private sealed record Setup(Service Service, Organization Organization, BusinessHours Hours, List<StaffMember> Staff);

    public async Task<Scheduled<(List<Slot> Slots, DateTimeZone Zone)>> FindSlotsAsync(SlotSearch search, CancellationToken ct)
    {
        if (search.To < search.From)
        {
            return SchedulingError.Invalid("date_to", "Must not be before date_from.");
        }

        if (Period.Between(search.From, search.To, PeriodUnits.Days).Days >= MaxRangeDays)
        {
            return SchedulingError.Invalid("date_to", $"A search covers at most {MaxRangeDays} days.");
        }

        var setup = await LoadSetupAsync(search.ServiceId, search.StaffId, ct);
        if (setup.Error is not null)
        {
            return setup.Error;
        }

        // Only today up to the booking horizon can have free times; searching just those days also keeps
        // the date arithmetic inside the calendar for dates like 0001-01-01 or 9999-12-31.
        var zone = DateTimeZoneProviders.Tzdb[setup.Value!.Organization.TimeZone];
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var lastDay = today.PlusDays(setup.Value!.Organization.Settings.MaxBookingDaysAhead);
        var from = search.From > today ? search.From : today;
        var to = search.To < lastDay ? search.To : lastDay;
        if (to < from)
        {
            return (new List<Slot>(), zone);
        }

        var query = await BuildQueryAsync(setup.Value!, from, to, excludeAppointment: null, ct);
        var slots = SlotFinder.Find(query);
        return (search.StaffId is null ? SlotFinder.AnyStaff(slots, query) : slots.OrderBy(s => s.Start).ToList(), query.Zone);
    }

    public async Task<Scheduled<Appointment>> BookAsync(BookingRequest request, CancellationToken ct)
    {
        try
        {
            return await BookOnceAsync(request, ct);
        }
        catch (DbUpdateException e) when (request.CustomerId is null && IsUniqueViolation(e))
        {
            // Another booking added the same new phone number at the same moment (its transaction was
            // rolled back here): forget what this attempt added and book again for that customer.
            db.ChangeTracker.Entries()
                .Where(entry => entry.State == EntityState.Added && entry.Entity is Appointment or Customer or Person or AuditEvent)
                .ToList()
                .ForEach(entry => entry.State = EntityState.Detached);
            return await BookOnceAsync(request, ct);
        }
    }

    private async Task<Scheduled<Appointment>> BookOnceAsync(BookingRequest request, CancellationToken ct)
    {
        var setup = await LoadSetupAsync(request.ServiceId, request.StaffId, ct);
        if (setup.Error is not null)
        {
            return setup.Error;
        }

        var (service, organization, _, _) = setup.Value!;
        if (CheckWhen(request.Start, organization, request.OverrideAvailability) is { } timeError)
        {
            return timeError;
        }

        await using var transaction = await OwnTransactionAsync(ct);
        var customer = await ResolveCustomerAsync(request, ct);
        if (customer.Error is not null)
        {
            return customer.Error;
        }

        var candidates = await CandidatesAsync(setup.Value!, request.Start, request.OverrideAvailability, excludeAppointment: null, ct);
        if (candidates.Count == 0)
        {
            return Unavailable(request.StaffId, request.Start, organization);
        }

        var end = request.Start + Duration.FromMinutes(service.DurationMinutes);
        var byCode = request.ConfirmByCode is not null;
        var askCustomer = !byCode && request.Source == AppointmentSource.Web && organization.Settings.ConfirmPageBookingsByReply
                          && await Notifications.BookingNotices.ChannelAsync(db, ct) is not null;
        var locationId = (await tenantData.PrimaryLocationAsync(ct))?.Id;
        foreach (var staffId in candidates)
        {
            var appointment = new Appointment
            {
                CustomerId = customer.Value!.Id,
                StaffId = staffId,
                ServiceId = service.Id,
                LocationId = locationId,
                StartAt = request.Start.ToDateTimeUtc(),
                EndAt = end.ToDateTimeUtc(),
                BlockedUntil = (end + Duration.FromMinutes(service.BufferAfterMinutes)).ToDateTimeUtc(),
                Status = byCode ? AppointmentStatus.Pending
                    : (organization.Settings.AutoConfirmBookings && !askCustomer) || request.Source is AppointmentSource.Api or AppointmentSource.WalkIn or AppointmentSource.Manual
                    ? AppointmentStatus.Confirmed
                    : AppointmentStatus.Pending,
                Source = request.Source,
                Notes = request.Notes,
                PriceCents = service.PriceCents,
                Currency = service.Currency,
            };
            db.Appointments.Add(appointment);
            if (request.OverrideAvailability)
            {
                db.Audit(request.Actor, "appointment.booked_with_override", "appointment", appointment.Id);
            }

            if (await TrySaveAsync(ct))
            {
                if (request.ConfirmByCode is { } sendCode)
                {
                    await sendCode(appointment, ct);
                }
                else
                {
                    await notices.QueueAsync(appointment, Notifications.BookingChange.Booked, request.Actor, ct);
                }

                await db.SaveWithoutSavepointAsync(ct);
                await CommitOwnAsync(transaction, ct);
                return appointment;
            }

            // Someone else took this staff member's time in the meantime: try the next one.
            db.ChangeTracker.Entries<AuditEvent>().Where(e => e.Entity.EntityId == appointment.Id).ToList().ForEach(e => e.State = EntityState.Detached);
            db.Entry(appointment).State = EntityState.Detached;
        }

        return Unavailable(request.StaffId, request.Start, organization);
    }

    public async Task<Scheduled<Appointment>> RescheduleAsync(
        Guid id, Instant? start, Guid? staffId, string? notes, bool overrideAvailability, string actor, CancellationToken ct)
    {
        await using var transaction = await OwnTransactionAsync(ct);
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (appointment is null)
        {
            return SchedulingError.NotFound("id", "appointment");
        }

        if (notes is not null)
        {
            appointment.Notes = notes.Length == 0 ? null : notes;
        }

        var newStart = start ?? Instant.FromDateTimeUtc(appointment.StartAt);
        var newStaff = staffId ?? appointment.StaffId;
        var moving = newStart != Instant.FromDateTimeUtc(appointment.StartAt) || newStaff != appointment.StaffId;
        if (moving)
        {
            if (!appointment.Status.IsActive())
            {
                return SchedulingError.Conflict("status", $"A {EnumNames.ToName(appointment.Status)} appointment cannot be moved.");
            }

            var setup = await LoadSetupAsync(appointment.ServiceId, newStaff, ct, allowInactiveService: true);
            if (setup.Error is not null)
            {
                return setup.Error;
            }

            if (CheckWhen(newStart, setup.Value!.Organization, overrideAvailability) is { } timeError)
            {
                return timeError;
            }

            var candidates = await CandidatesAsync(setup.Value!, newStart, overrideAvailability, appointment.Id, ct);
            if (!candidates.Contains(newStaff))
            {
                return Unavailable(newStaff, newStart, setup.Value!.Organization);
            }

            var service = setup.Value!.Service;
            var end = newStart + Duration.FromMinutes(service.DurationMinutes);
            appointment.StartAt = newStart.ToDateTimeUtc();
            appointment.EndAt = end.ToDateTimeUtc();
            appointment.BlockedUntil = (end + Duration.FromMinutes(service.BufferAfterMinutes)).ToDateTimeUtc();
            appointment.StaffId = newStaff;
            appointment.ReminderSentAt = null;
            db.Audit(actor, overrideAvailability ? "appointment.rescheduled_with_override" : "appointment.rescheduled", "appointment", appointment.Id);
        }

        if (!await TrySaveAsync(ct))
        {
            return SchedulingError.Conflict("start", "That time was just taken; pick another.");
        }

        if (moving)
        {
            await notices.QueueAsync(appointment, Notifications.BookingChange.Moved, actor, ct);
            await db.SaveWithoutSavepointAsync(ct);
        }

        await CommitOwnAsync(transaction, ct);
        return appointment;
    }

    /// <summary>
    /// Someone who just walked in, booked now (rounded down to 5 minutes) with the staff member serving
    /// them, overriding availability (audited); the no-overlap guard still refuses a clash (409).
    /// </summary>
    public Task<Scheduled<Appointment>> WalkInAsync(
        Guid serviceId, Guid staffId, Guid? customerId, string? phone, string? name, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var start = Instant.FromUnixTimeSeconds(now - (now % 300));
        return BookAsync(new BookingRequest(serviceId, start, staffId, customerId, customerId is null ? phone : null, customerId is null ? name : null,
            AppointmentSource.WalkIn, null, OverrideAvailability: true, actor), ct);
    }

    /// <summary>
    /// Staff time off: a dated exception that blocks the whole day or part of it. Appointments already
    /// booked in that time are not touched; they are returned so the caller can move or cancel them.
    /// </summary>
    public async Task<Scheduled<(AvailabilityRule Block, List<Appointment> Affected)>> BlockTimeAsync(
        Guid staffId, LocalDate date, LocalTime? start, LocalTime? end, string? note, string actor, CancellationToken ct)
    {
        if (!await db.Staff.AnyAsync(s => s.Id == staffId, ct))
        {
            return SchedulingError.NotFound("staff_id", "staff member");
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var zone = DateTimeZoneProviders.Tzdb[organization.TimeZone];
        var block = new AvailabilityRule
        {
            StaffId = staffId, Type = AvailabilityRuleType.Exception, ExceptionDate = date,
            StartTime = start, EndTime = end, IsAvailable = false, Note = note,
        };
        var affected = await AffectedByAsync(staffId, date, start, end, zone, ct);
        db.AvailabilityRules.Add(block);
        db.Audit(actor, "staff.time_off_added", "availability_rule", block.Id);
        await db.SaveChangesAsync(ct);
        return (block, affected);
    }

    /// <summary>The staff member's booked (active) appointments that a block of that day and times would fall on.</summary>
    private Task<List<Appointment>> AffectedByAsync(Guid staffId, LocalDate date, LocalTime? start, LocalTime? end, DateTimeZone zone, CancellationToken ct)
    {
        var from = (start is { } s ? date.At(s).InZoneLeniently(zone) : date.AtStartOfDayInZone(zone)).ToDateTimeUtc();
        var to = (end is { } e ? date.At(e).InZoneLeniently(zone) : date.PlusDays(1).AtStartOfDayInZone(zone)).ToDateTimeUtc();
        return db.Appointments.AsNoTracking()
            .Where(a => a.StaffId == staffId && AppointmentStatuses.Active.Contains(a.Status) && a.StartAt < to && a.EndAt > from)
            .OrderBy(a => a.StartAt)
            .ToListAsync(ct);
    }

    public Task<Scheduled<Appointment>> CancelAsync(Guid id, string? reason, string actor, CancellationToken ct) =>
        TransitionAsync(id, AppointmentStatus.Cancelled, actor, a =>
        {
            a.CancellationReason = reason;
            a.CancelledAt = time.GetUtcNow().UtcDateTime;
            return null;
        }, ct);

    /// <summary>
    /// Lets go of a hold nobody confirmed (a page booking whose one-time code was never typed): cancelled without a
    /// message to anyone, since nobody was told of it. Only a pending appointment is released; one the business
    /// confirmed meanwhile is kept (409). Releasing twice is harmless.
    /// </summary>
    public Task<Scheduled<Appointment>> ReleaseAsync(Guid id, string reason, string actor, CancellationToken ct) =>
        TransitionAsync(id, AppointmentStatus.Cancelled, actor, a =>
        {
            if (a.Status != AppointmentStatus.Pending)
            {
                return SchedulingError.Conflict("status", $"A {EnumNames.ToName(a.Status)} appointment is not a hold to release.");
            }

            a.CancellationReason = reason;
            a.CancelledAt = time.GetUtcNow().UtcDateTime;
            return null;
        }, ct, notify: false);

    public Task<Scheduled<Appointment>> ConfirmAsync(Guid id, string actor, CancellationToken ct) =>
        TransitionAsync(id, AppointmentStatus.Confirmed, actor, _ => null, ct);

    /// <summary>A customer who arrived is no no-show.</summary>
    public Task<Scheduled<Appointment>> NoShowAsync(Guid id, string actor, CancellationToken ct) =>
        TransitionAsync(id, AppointmentStatus.NoShow, actor, a => a.CheckedInAt is not null
            ? SchedulingError.Conflict("status", "The customer has arrived, so it cannot be marked a no-show.")
            : NotStartedYet(a, "a no-show"), ct);

    /// <summary>Done once it has started, or earlier when the customer arrived early and was served.</summary>
    public Task<Scheduled<Appointment>> CompleteAsync(Guid id, string actor, CancellationToken ct) =>
        TransitionAsync(id, AppointmentStatus.Completed, actor, a => a.CheckedInAt is null ? NotStartedYet(a, "completed") : null, ct, CountVisitAsync);

    /// <summary>
    /// The customer arrived for today's appointment: the time is noted (a pending one becomes confirmed) and the
    /// visit is recorded as a check-in, in one transaction; completing it later merges into that visit. Checking in
    /// twice is harmless; only an active appointment of today (the business's day) can be checked in.
    /// </summary>
    public async Task<Scheduled<Appointment>> CheckInAsync(Guid id, string actor, CancellationToken ct)
    {
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (appointment is null)
        {
            return SchedulingError.NotFound("id", "appointment");
        }

        if (appointment.CheckedInAt is not null)
        {
            return appointment;
        }

        if (!appointment.Status.IsActive())
        {
            return SchedulingError.Conflict("status", $"A {EnumNames.ToName(appointment.Status)} appointment cannot be checked in.");
        }

        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var zoneId = await db.Organizations.AsNoTracking().Select(o => o.TimeZone).SingleAsync(ct);
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        if (Instant.FromDateTimeUtc(appointment.StartAt).InZone(zone).Date != now.InZone(zone).Date)
        {
            return SchedulingError.Conflict("start", "Only today's appointments can be checked in.");
        }

        appointment.CheckedInAt = now.ToDateTimeUtc();
        if (appointment.Status == AppointmentStatus.Pending)
        {
            appointment.Status = AppointmentStatus.Confirmed;
        }

        db.Audit(actor, "appointment.checked_in", "appointment", appointment.Id);
        await using var transaction = await OwnTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SchedulingError.Conflict("status", "The appointment was changed at the same time; reload and try again.");
        }

        await Visits.RecordAsync(db, time, new VisitInput(
            appointment.CustomerId, appointment.CheckedInAt.Value, VisitSource.CheckIn, AppointmentId: appointment.Id, ServiceId: appointment.ServiceId), ct);
        await CommitOwnAsync(transaction, ct);
        return appointment;
    }

    /// <summary>
    /// A completed appointment is a visit: recorded (or merged into that day's check-in or payment) in
    /// the same transaction as the status change, which also keeps the customer's counters.
    /// </summary>
    private Task CountVisitAsync(Appointment a, CancellationToken ct) =>
        Visits.RecordAsync(db, time, new VisitInput(
            a.CustomerId, a.StartAt, VisitSource.Appointment, AppointmentId: a.Id, AmountCents: a.PriceCents, ServiceId: a.ServiceId), ct);

    /// <summary>The allowed moves: pending → confirmed; pending/confirmed → completed, cancelled, no_show. Anything else is 409.</summary>
    public static bool CanMove(AppointmentStatus from, AppointmentStatus to) => (from, to) switch
    {
        (AppointmentStatus.Pending, AppointmentStatus.Confirmed) => true,
        (AppointmentStatus.Pending or AppointmentStatus.Confirmed, AppointmentStatus.Completed or AppointmentStatus.Cancelled or AppointmentStatus.NoShow) => true,
        _ => false,
    };

    private async Task<Scheduled<Appointment>> TransitionAsync(
        Guid id, AppointmentStatus to, string actor, Func<Appointment, SchedulingError?> apply, CancellationToken ct,
        Func<Appointment, CancellationToken, Task>? afterSave = null, bool notify = true)
    {
        var appointment = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (appointment is null)
        {
            return SchedulingError.NotFound("id", "appointment");
        }

        if (appointment.Status == to && to == AppointmentStatus.Cancelled)
        {
            return appointment; // Cancelling twice is harmless: the customer may tap twice.
        }

        if (!CanMove(appointment.Status, to))
        {
            return SchedulingError.Conflict("status",
                $"A {EnumNames.ToName(appointment.Status)} appointment cannot become {EnumNames.ToName(to)}.");
        }

        if (apply(appointment) is { } error)
        {
            return error;
        }

        appointment.Status = to;
        db.Audit(actor, $"appointment.{EnumNames.ToName(to)}", "appointment", appointment.Id);
        // The status change and what follows from it (a counted visit) are saved together or not at all.
        await using var transaction = await OwnTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Two taps on "cancel" at once: the other one did it, and cancelling twice is harmless.
            if (to == AppointmentStatus.Cancelled
                && await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { Status: AppointmentStatus.Cancelled } cancelled)
            {
                return cancelled;
            }

            return SchedulingError.Conflict("status", "The appointment was changed at the same time; reload and try again.");
        }

        if (afterSave is not null)
        {
            await afterSave(appointment, ct);
        }

        if (notify && to is AppointmentStatus.Cancelled or AppointmentStatus.Completed)
        {
            await notices.QueueAsync(appointment, to == AppointmentStatus.Cancelled ? Notifications.BookingChange.Cancelled : Notifications.BookingChange.Completed, actor, ct);
            await db.SaveWithoutSavepointAsync(ct);
        }

        await CommitOwnAsync(transaction, ct);

        return appointment;
    }

    private SchedulingError? NotStartedYet(Appointment a, string what) =>
        a.StartAt > time.GetUtcNow().UtcDateTime
            ? SchedulingError.Conflict("status", $"The appointment has not started yet, so it cannot be marked {what}.")
            : null;

    private SchedulingError? CheckWhen(Instant start, Organization organization, bool overrideAvailability)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var zone = DateTimeZoneProviders.Tzdb[organization.TimeZone];
        // Staff may record a walk-in that started a little while ago; nobody books yesterday.
        var earliest = overrideAvailability ? now - Duration.FromHours(12) : now;
        if (start < earliest)
        {
            return SchedulingError.Invalid("start", "Is in the past.");
        }

        if (start >= LatestStart)
        {
            return SchedulingError.Invalid("start", "Is too far ahead.");
        }

        var lastDay = now.InZone(zone).Date.PlusDays(organization.Settings.MaxBookingDaysAhead);
        if (start.InZone(zone).Date > lastDay && !overrideAvailability)
        {
            return SchedulingError.Invalid("start", $"Is too far ahead: bookings open {organization.Settings.MaxBookingDaysAhead} days in advance.");
        }

        return null;
    }

    private static SchedulingError Unavailable(Guid? staffId, Instant start, Organization organization)
    {
        var local = start.InZone(DateTimeZoneProviders.Tzdb[organization.TimeZone]).LocalDateTime;
        var when = local.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return SchedulingError.Conflict("start", staffId is null
            ? $"No one is free at {when}; ask for available slots and pick one."
            : $"That staff member is not available at {when}; ask for available slots and pick one.");
    }

    /// <summary>Staff who can take this start, in the order to try them.</summary>
    private async Task<List<Guid>> CandidatesAsync(Setup setup, Instant start, bool overrideAvailability, Guid? excludeAppointment, CancellationToken ct)
    {
        var zone = DateTimeZoneProviders.Tzdb[setup.Organization.TimeZone];
        var date = start.InZone(zone).Date;
        var query = await BuildQueryAsync(setup, date, date, excludeAppointment, ct);
        if (overrideAvailability)
        {
            var end = start + setup.Service.DurationMinutes * Duration.FromMinutes(1) + Duration.FromMinutes(setup.Service.BufferAfterMinutes);
            return query.Staff.Where(s => !s.Busy.Any(b => b.Start < end && start < b.End)).Select(s => s.StaffId).ToList();
        }

        var offered = SlotFinder.Find(query with { Now = query.Now, From = date, To = date }).Where(s => s.Start == start).ToList();
        return SlotFinder.PreferenceOrder(offered, query).ToList();
    }

    private async Task<SlotQuery> BuildQueryAsync(Setup setup, LocalDate from, LocalDate to, Guid? excludeAppointment, CancellationToken ct)
    {
        var zone = DateTimeZoneProviders.Tzdb[setup.Organization.TimeZone];
        var staffIds = setup.Staff.Select(s => s.Id).ToList();
        var rules = await db.AvailabilityRules.AsNoTracking().Where(r => staffIds.Contains(r.StaffId)).ToListAsync(ct);
        // A day either side covers appointments whose buffer reaches into the range, in any zone.
        var windowStart = from.PlusDays(-1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var windowEnd = to.PlusDays(2).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var busy = await db.Appointments.AsNoTracking()
            .Where(a => staffIds.Contains(a.StaffId) && AppointmentStatuses.Active.Contains(a.Status)
                        && a.StartAt < windowEnd && a.BlockedUntil > windowStart && a.Id != excludeAppointment)
            .Select(a => new { a.StaffId, a.StartAt, a.BlockedUntil })
            .ToListAsync(ct);
        var settings = setup.Organization.Settings;
        return new SlotQuery(
            zone, from, to, Instant.FromDateTimeOffset(time.GetUtcNow()),
            Duration.FromMinutes(setup.Service.DurationMinutes), Duration.FromMinutes(setup.Service.BufferAfterMinutes),
            settings.SlotIntervalMinutes, settings.MinBookingNoticeMinutes, settings.MaxBookingDaysAhead, setup.Hours,
            setup.Staff.Select(s => new StaffSchedule(
                s.Id,
                rules.Where(r => r.StaffId == s.Id).ToList(),
                busy.Where(b => b.StaffId == s.Id).Select(b => new Busy(Instant.FromDateTimeUtc(b.StartAt), Instant.FromDateTimeUtc(b.BlockedUntil))).ToList()))
            .ToList());
    }

    private async Task<Scheduled<Setup>> LoadSetupAsync(Guid serviceId, Guid? staffId, CancellationToken ct, bool allowInactiveService = false)
    {
        var service = (await tenantData.ServicesAsync(ct)).FirstOrDefault(s => s.Id == serviceId);
        if (service is null)
        {
            return SchedulingError.NotFound("service_id", "service");
        }

        if (!service.IsActive && !allowInactiveService)
        {
            return SchedulingError.Conflict("service_id", $"'{service.Name}' is no longer offered.");
        }

        var organization = await tenantData.OrganizationAsync(ct);
        var hours = (await tenantData.PrimaryLocationAsync(ct) ?? throw new InvalidOperationException("The business has no primary location.")).BusinessHours;
        var everyone = await tenantData.StaffAsync(ct);
        var staff = everyone.Where(s => s.IsActive).ToList();
        if (staffId is { } wanted)
        {
            var one = everyone.FirstOrDefault(s => s.Id == wanted);
            if (one is null)
            {
                return SchedulingError.NotFound("staff_id", "staff member");
            }

            if (!one.IsActive)
            {
                return SchedulingError.Conflict("staff_id", $"{one.Name} is no longer taking bookings.");
            }

            if (!Offers(one, service.Id))
            {
                return SchedulingError.Conflict("staff_id", $"{one.Name} does not offer '{service.Name}'.");
            }

            staff = [one];
        }

        return new Setup(service, organization, hours, staff.Where(s => Offers(s, service.Id)).ToList());
    }

    private static bool Offers(StaffMember staff, Guid serviceId) => staff.ServiceIds is null || staff.ServiceIds.Contains(serviceId);

    private async Task<Scheduled<Customer>> ResolveCustomerAsync(BookingRequest request, CancellationToken ct)
    {
        if (request.CustomerId is { } id)
        {
            // A chat's customer is already in this unit of work (the message came from them).
            return (db.Customers.Local.FirstOrDefault(c => c.Id == id) ?? await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct)) is { } byId
                ? byId
                : SchedulingError.NotFound("customer_id", "customer");
        }

        var v = new Validation();
        var phone = v.Phone("customer_phone", request.CustomerPhone, tenant.CountryCode, required: true);
        if (phone is null)
        {
            return SchedulingError.Invalid("customer_phone", v.Errors.First().Value[0]);
        }

        var existing = await db.Customers.FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct);
        if (existing is not null)
        {
            existing.DisplayName ??= request.CustomerName;
            return existing;
        }

        var customer = new Customer
        {
            PhoneNumber = phone,
            DisplayName = request.CustomerName,
            Source = request.Source switch
            {
                AppointmentSource.Whatsapp => CustomerSource.Whatsapp,
                AppointmentSource.Sms => CustomerSource.Sms,
                AppointmentSource.Web => CustomerSource.Web,
                AppointmentSource.WalkIn => CustomerSource.WalkIn,
                AppointmentSource.Manual => CustomerSource.Manual,
                _ => CustomerSource.Api,
            },
            PersonId = await People.GetOrAddAsync(db, phone, ct),
        };
        db.Customers.Add(customer);
        return customer;
    }

    /// <summary>Saves; false when the database refused an overlapping appointment.</summary>
    /// <remarks>
    /// On PostgreSQL two transactions inserting overlapping rows at the same moment each wait for the
    /// other's exclusion check, and one is ended with "deadlock detected" (40P01) instead of an exclusion
    /// violation; that is the same lost race. EF Core's execution strategy reports it wrapped in an
    /// InvalidOperationException, as a transient failure, after rolling back to its savepoint.
    /// </remarks>
    /// <summary>
    /// A transaction of its own, or none when the caller already has one (the assistant books inside the
    /// inbox processor's transaction, so the booking and the reply commit together). Either way a refused
    /// save is rolled back to EF's automatic savepoint, so the caller's transaction stays usable. The notices
    /// saved after a change that went through need no savepoint: if that save fails, the whole unit fails.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> OwnTransactionAsync(CancellationToken ct) =>
        db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

    private static async Task CommitOwnAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, CancellationToken ct)
    {
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
    }

    private async Task<bool> TrySaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException { InnerException: DbUpdateException } && IsOverlap(e))
        {
            return false;
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.GetBaseException() switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067, // SQLITE_CONSTRAINT_UNIQUE
        _ => false,
    };

    private static bool IsOverlap(Exception e) => e.GetBaseException() switch
    {
        PostgresException pg => (pg.SqlState == PostgresErrorCodes.ExclusionViolation && pg.ConstraintName == NoDoubleBooking.OverlapConstraint)
                                || pg.SqlState == PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => sqlite.Message.Contains(NoDoubleBooking.OverlapConstraint, StringComparison.Ordinal),
        _ => false,
    };
}
