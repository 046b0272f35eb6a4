using System.ComponentModel;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Assistant.Tools;

[Description("No arguments.")]
internal sealed record NoArguments;

internal sealed record CheckAvailabilityArguments(
    [Description("The service's id, as listed in the system prompt or by list_services.")] Guid ServiceId,
    [Description("The first day to look at, YYYY-MM-DD in the business's time zone; today or later.")] string Date,
    [Description("The last day to look at (YYYY-MM-DD, at most 6 days after date); omit for one day.")] string? DateTo = null,
    [Description("Only times in this part of the day: morning (before 12:00), afternoon (12:00-18:00), evening (from 18:00).")] PartOfDay? PartOfDay = null,
    [Description("Only this staff member's times; omit for anyone.")] Guid? StaffId = null);

internal sealed record BookAppointmentArguments(
    [Description("The service's id.")] Guid ServiceId,
    [Description("The day, YYYY-MM-DD, exactly as check_availability returned it.")] string Date,
    [Description("The start time, HH:mm (24-hour clock), exactly as check_availability returned it.")] string Time,
    [Description("The staff member check_availability returned for that time; omit for anyone free.")] Guid? StaffId = null,
    [Description("Anything the customer asked the business to know.")] string? Notes = null);

internal sealed record CancelAppointmentArguments(
    [Description("The appointment's id, from list_my_appointments or the system prompt.")] Guid AppointmentId,
    [Description("Why, in the customer's words.")] string? Reason = null);

internal sealed record RescheduleAppointmentArguments(
    [Description("The appointment's id, from list_my_appointments or the system prompt.")] Guid AppointmentId,
    [Description("The new day, YYYY-MM-DD, as check_availability returned it.")] string Date,
    [Description("The new start time, HH:mm (24-hour clock), as check_availability returned it.")] string Time,
    [Description("The staff member check_availability returned for that time; omit to keep the current one.")] Guid? StaffId = null);

internal sealed record HandOffArguments([Description("Why a person should take over, in a few words.")] string? Reason = null);

internal sealed record ScheduleArguments([Description("The day, YYYY-MM-DD in the business's time zone; omit for today.")] string? Date = null);

/// <summary>
/// The functions either engine may run for a sender, each going through <see cref="BookingService"/> for
/// anything that books, moves or cancels. <see cref="All"/> is the registry: a new tool is one more entry
/// with the senders it is for (customers, staff, owners, a permission), and <see cref="For"/> offers a
/// sender only theirs, so a customer's message can never reach a staff function.
/// </summary>
internal sealed class AssistantTools
{
    /// <summary>How many free times one check returns at most, so answers stay short and prompts small.</summary>
    private const int MaxSlots = 12;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private readonly KaribuDb _db;
    private readonly BookingService _booking;
    private readonly GuidedEngine _guided;

    public AssistantTools(KaribuDb db, BookingService booking, GuidedEngine guided, StaffTools staff)
    {
        _db = db;
        _booking = booking;
        _guided = guided;
        All =
        [
            new AssistantTool<CheckAvailabilityArguments>("check_availability",
                "Free start times for a service on a day or a few days. The only source of times: offer and book only times it returns.",
                _ => true, CheckAvailabilityAsync),
            new AssistantTool<BookAppointmentArguments>("book_appointment",
                "Books the sender an appointment at a time check_availability returned. Ask the customer to confirm service, day and time first.",
                a => a.IsCustomer, BookAsync),
            new AssistantTool<NoArguments>("list_my_appointments", "The sender's upcoming appointments with their ids.", a => a.IsCustomer, MyAppointmentsAsync),
            new AssistantTool<CancelAppointmentArguments>("cancel_appointment",
                "Cancels one of the sender's own upcoming appointments, after the customer confirmed.", a => a.IsCustomer, CancelAsync),
            new AssistantTool<RescheduleAppointmentArguments>("reschedule_appointment",
                "Moves one of the sender's own upcoming appointments to a time check_availability returned.", a => a.IsCustomer, RescheduleAsync),
            new AssistantTool<NoArguments>("list_services", "The business's services with ids, durations and prices.", _ => true, ServicesAsync),
            new AssistantTool<NoArguments>("business_hours", "Opening hours per weekday and the address.", _ => true, HoursAsync),
            new AssistantTool<NoArguments>("faq", "The business's own answers to common questions (payment, parking, products...); quote them, never invent policies.",
                _ => true, FaqAsync),
            new AssistantTool<HandOffArguments>("hand_off_to_human",
                "Hands the chat to a person at the business (the customer asks for one, a complaint, or anything you cannot do).",
                a => a.IsCustomer, HandOffAsync),
            new AssistantTool<ScheduleArguments>("my_schedule", "The sender's own appointments on a day.", a => a.IsStaff, MyScheduleAsync),
            new AssistantTool<ScheduleArguments>("business_schedule", "Every staff member's appointments on a day.",
                a => a.IsStaff && a.May("view_all_schedules"), BusinessScheduleAsync),
            .. staff.All(),
        ];
    }

    /// <summary>Every tool; add new ones here with who they are for.</summary>
    public IReadOnlyList<AssistantTool> All { get; }

    public IReadOnlyList<AssistantTool> For(Asker asker) => All.Where(t => t.IsFor(asker)).ToList();

    private async Task<ToolResult> CheckAvailabilityAsync(CheckAvailabilityArguments a, ToolTurn turn, CancellationToken ct)
    {
        var service = await _db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == a.ServiceId && s.IsActive, ct);
        if (service is null)
        {
            return UnknownService();
        }

        if (ParseDate(a.Date, "date", turn, out var from) is { } dateError)
        {
            return dateError;
        }

        var to = from;
        if (a.DateTo is not null && ParseDate(a.DateTo, "date_to", turn, out to) is { } toError)
        {
            return toError;
        }

        if (to < from || Period.Between(from, to, PeriodUnits.Days).Days > 6)
        {
            return ToolResult.Error("invalid_date_to", "date_to must be on or after date and at most 6 days after it.");
        }

        var found = await _booking.FindSlotsAsync(new SlotSearch(service.Id, from, to, a.StaffId), ct);
        if (found.Error is { } error)
        {
            return ToolResult.Error(error.Field, error.Message);
        }

        var slots = found.Value.Slots
            .Where(s => a.PartOfDay is not { } part || InPart(s.Start.InZone(turn.Zone).TimeOfDay, part))
            .Take(MaxSlots)
            .ToList();
        var names = await StaffNamesAsync(ct);
        foreach (var slot in slots)
        {
            turn.Offered.Add(slot);
            turn.Know(slot.Start);
        }

        return ToolResult.Ok(new
        {
            service = service.Name,
            service_id = service.Id,
            duration_minutes = service.DurationMinutes,
            slots = slots.Select(s => new
            {
                date = DatePattern.Format(s.Start.InZone(turn.Zone).Date),
                time = TimePattern.Format(s.Start.InZone(turn.Zone).TimeOfDay),
                staff = names.GetValueOrDefault(s.StaffId),
                staff_id = s.StaffId,
            }),
            note = slots.Count == 0 ? "No free times then. Offer to look at another day; never suggest a time yourself." : null,
        });
    }

    private async Task<ToolResult> BookAsync(BookAppointmentArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!await _db.Services.AnyAsync(s => s.Id == a.ServiceId && s.IsActive, ct))
        {
            return UnknownService();
        }

        if (ParseStart(a.Date, a.Time, turn, out var start) is { } error)
        {
            return error;
        }

        // A time this turn's check did not return is re-checked by the booking service, which accepts only
        // starts its slot finder offers right now; nothing here trusts the model's word for it.
        var booked = await _booking.BookAsync(new BookingRequest(
            a.ServiceId, start, a.StaffId, turn.Asker.CustomerId, null, null,
            turn.Conversation.Channel == MessageChannel.Sms ? AppointmentSource.Sms : AppointmentSource.Whatsapp,
            a.Notes, OverrideAvailability: false, "customer"), ct);
        if (booked.Error is { } refused)
        {
            return ToolResult.Error(refused.Status == 409 ? "not_available" : refused.Field, refused.Message);
        }

        return ToolResult.Ok(new { booked = await DescribeAsync(booked.Value!, turn, ct) });
    }

    private async Task<ToolResult> MyAppointmentsAsync(NoArguments _, ToolTurn turn, CancellationToken ct)
    {
        var now = turn.Now.ToDateTimeUtc();
        var upcoming = await _db.Appointments.AsNoTracking()
            .Where(x => x.CustomerId == turn.Asker.CustomerId && x.StartAt >= now && AppointmentStatuses.Active.Contains(x.Status))
            .OrderBy(x => x.StartAt).Take(10).ToListAsync(ct);
        var described = new List<object>();
        foreach (var appointment in upcoming)
        {
            described.Add(await DescribeAsync(appointment, turn, ct));
        }

        return ToolResult.Ok(new { appointments = described });
    }

    private async Task<ToolResult> CancelAsync(CancelAppointmentArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (await OwnUpcomingAsync(a.AppointmentId, turn, ct) is not { } appointment)
        {
            return NotYours();
        }

        if (TooLate(appointment, turn) is { } late)
        {
            return late;
        }

        var cancelled = await _booking.CancelAsync(appointment.Id, a.Reason ?? "Cancelled by the customer by chat", "customer", ct);
        return cancelled.Error is { } error
            ? ToolResult.Error(error.Field, error.Message)
            : ToolResult.Ok(new { cancelled = await DescribeAsync(cancelled.Value!, turn, ct) });
    }

    private async Task<ToolResult> RescheduleAsync(RescheduleAppointmentArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (await OwnUpcomingAsync(a.AppointmentId, turn, ct) is not { } appointment)
        {
            return NotYours();
        }

        if (TooLate(appointment, turn) is { } late)
        {
            return late;
        }

        if (ParseStart(a.Date, a.Time, turn, out var start) is { } error)
        {
            return error;
        }

        var moved = await _booking.RescheduleAsync(appointment.Id, start, a.StaffId, null, overrideAvailability: false, "customer", ct);
        return moved.Error is { } refused
            ? ToolResult.Error(refused.Status == 409 ? "not_available" : refused.Field, refused.Message)
            : ToolResult.Ok(new { moved = await DescribeAsync(moved.Value!, turn, ct) });
    }

    private async Task<ToolResult> FaqAsync(NoArguments _, ToolTurn turn, CancellationToken ct)
    {
        var entries = await _db.FaqEntries.AsNoTracking().Where(f => f.IsActive).OrderByDescending(f => f.Priority).Take(50).ToListAsync(ct);
        return ToolResult.Ok(new { entries = entries.Select(f => new { question = f.Question, answer = f.Answer, category = f.Category }) });
    }

    private async Task<ToolResult> ServicesAsync(NoArguments _, ToolTurn turn, CancellationToken ct)
    {
        var services = await _db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        return ToolResult.Ok(new
        {
            services = services.Select(s => new
            {
                id = s.Id, name = s.Name, description = s.Description, duration_minutes = s.DurationMinutes,
                price = GuidedTexts.Money(s.PriceCents, s.Currency),
            }),
        });
    }

    private async Task<ToolResult> HoursAsync(NoArguments _, ToolTurn turn, CancellationToken ct)
    {
        var location = await _db.Locations.AsNoTracking().Where(l => l.IsPrimary).FirstOrDefaultAsync(ct);
        var hours = location?.BusinessHours ?? new Organizations.BusinessHours();
        KnowHours(turn, hours);

        return ToolResult.Ok(new
        {
            time_zone = turn.Zone.Id,
            hours = hours.ToDictionary().ToDictionary(d => d.Key, d => d.Value.Select(i => $"{i.Open}-{i.Close}").ToList()),
            address = location?.Address,
        });
    }

    private async Task<ToolResult> HandOffAsync(HandOffArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!turn.HandedOff)
        {
            await _guided.HandOverAsync(turn.Conversation, turn.Inbound, ct);
            turn.HandedOff = true;
        }

        return ToolResult.Ok(new { handed_off = true, note = "A person at the business will answer; tell the customer so, briefly." });
    }

    private Task<ToolResult> MyScheduleAsync(ScheduleArguments a, ToolTurn turn, CancellationToken ct) => ScheduleAsync(a, turn, everyone: false, ct);

    private Task<ToolResult> BusinessScheduleAsync(ScheduleArguments a, ToolTurn turn, CancellationToken ct) => ScheduleAsync(a, turn, everyone: true, ct);

    private async Task<ToolResult> ScheduleAsync(ScheduleArguments a, ToolTurn turn, bool everyone, CancellationToken ct)
    {
        if (turn.Asker.Staff is not { } member)
        {
            return ToolResult.Error("not_allowed", "Only staff have a schedule.");
        }

        var day = turn.Today;
        if (a.Date is not null && !DatePattern.Parse(a.Date).TryGetValue(default, out day))
        {
            return ToolResult.Error("invalid_date", $"'{a.Date}' is not a date; use YYYY-MM-DD.");
        }

        var from = day.AtStartOfDayInZone(turn.Zone).ToDateTimeUtc();
        var to = day.PlusDays(1).AtStartOfDayInZone(turn.Zone).ToDateTimeUtc();
        var appointments = await _db.Appointments.AsNoTracking()
            .Where(x => x.StartAt >= from && x.StartAt < to && (everyone || x.StaffId == member.Id)
                        && (x.Status == AppointmentStatus.Confirmed || x.Status == AppointmentStatus.Pending || x.Status == AppointmentStatus.Completed))
            .OrderBy(x => x.StartAt).ToListAsync(ct);
        var customerIds = appointments.Select(x => x.CustomerId).Distinct().ToList();
        var customers = await _db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName ?? c.PhoneNumber, ct);
        var described = new List<object>();
        foreach (var appointment in appointments)
        {
            described.Add(new { appointment = await DescribeAsync(appointment, turn, ct), customer = customers.GetValueOrDefault(appointment.CustomerId) });
        }

        return ToolResult.Ok(new { date = DatePattern.Format(day), appointments = described });
    }

    private async Task<Appointment?> OwnUpcomingAsync(Guid id, ToolTurn turn, CancellationToken ct)
    {
        // Another customer's appointment, or another business's, is simply not found: nothing is revealed.
        var appointment = await _db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.CustomerId == turn.Asker.CustomerId, ct);
        return appointment is not null && appointment.Status.IsActive() && Instant.FromDateTimeUtc(appointment.StartAt) > turn.Now ? appointment : null;
    }

    private static ToolResult? TooLate(Appointment appointment, ToolTurn turn)
    {
        var notice = Duration.FromHours(turn.Organization.Settings.CancellationNoticeHours);
        return Instant.FromDateTimeUtc(appointment.StartAt) - turn.Now < notice
            ? ToolResult.Error("too_late", $"Changes by chat close {turn.Organization.Settings.CancellationNoticeHours} hours before the appointment; offer hand_off_to_human.")
            : null;
    }

    private async Task<object> DescribeAsync(Appointment appointment, ToolTurn turn, CancellationToken ct)
    {
        var start = Instant.FromDateTimeUtc(appointment.StartAt);
        turn.Know(start);
        var service = await _db.Services.AsNoTracking().Where(s => s.Id == appointment.ServiceId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var staff = await _db.Staff.AsNoTracking().Where(s => s.Id == appointment.StaffId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var local = start.InZone(turn.Zone);
        return new
        {
            id = appointment.Id,
            service,
            date = DatePattern.Format(local.Date),
            time = TimePattern.Format(local.TimeOfDay),
            staff,
            status = Common.EnumNames.ToName(appointment.Status),
        };
    }

    private Task<Dictionary<Guid, string>> StaffNamesAsync(CancellationToken ct) =>
        _db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);

    private static ToolResult? ParseDate(string text, string field, ToolTurn turn, out LocalDate date)
    {
        if (!DatePattern.Parse(text).TryGetValue(default, out date))
        {
            return ToolResult.Error($"invalid_{field}", $"'{text}' is not a date; use YYYY-MM-DD.");
        }

        return date < turn.Today
            ? ToolResult.Error($"{field}_in_past", $"{text} is in the past; today is {DatePattern.Format(turn.Today)}.")
            : null;
    }

    private static ToolResult? ParseStart(string date, string time, ToolTurn turn, out Instant start)
    {
        start = default;
        if (ParseDate(date, "date", turn, out var day) is { } error)
        {
            return error;
        }

        if (!TimePattern.Parse(time).TryGetValue(default, out var at))
        {
            return ToolResult.Error("invalid_time", $"'{time}' is not a time; use HH:mm on the 24-hour clock.");
        }

        start = day.At(at).InZoneLeniently(turn.Zone).ToInstant();
        return start <= turn.Now ? ToolResult.Error("time_in_past", $"{date} {time} has already passed.") : null;
    }

    /// <summary>Opening and closing times are facts the reply may state.</summary>
    public static void KnowHours(ToolTurn turn, Organizations.BusinessHours? hours)
    {
        foreach (var interval in hours?.ToDictionary().Values.SelectMany(d => d) ?? [])
        {
            foreach (var hhmm in new[] { interval.Open, interval.Close })
            {
                if (TimePattern.Parse(hhmm).TryGetValue(default, out var t))
                {
                    turn.KnownTimes.Add(t);
                }
            }
        }
    }

    private static bool InPart(LocalTime t, PartOfDay part) => part switch
    {
        PartOfDay.Morning => t.Hour < 12,
        PartOfDay.Afternoon => t.Hour is >= 12 and < 18,
        _ => t.Hour >= 18,
    };

    private static ToolResult UnknownService() =>
        ToolResult.Error("unknown_service", "No active service with that id; use an id from list_services.");

    private static ToolResult NotYours() =>
        ToolResult.Error("not_found", "The sender has no upcoming appointment with that id; only their own appointments can be changed.");
}
