using Karibu.Data;
using Karibu.Features.Staff;
using Karibu.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Scheduling;

/// <summary>One appointment as the owner app shows it: local times and the names behind the ids.</summary>
internal sealed record AgendaAppointment(
    Appointment Appointment, LocalDateTime Start, LocalDateTime End, string Customer, string CustomerPhone, string Service, string Staff)
{
    public Guid Id => Appointment.Id;
    public AppointmentStatus Status => Appointment.Status;

    /// <summary>Inside time the staff member blocked (booked before the block): to be moved or cancelled.</summary>
    public bool InBlockedTime { get; init; }
}

internal enum AgendaEntryKind { Appointment, Free, Blocked }

/// <summary>A line of a staff member's day: an appointment, a free gap within working hours, or blocked time.</summary>
internal sealed record AgendaEntry(AgendaEntryKind Kind, LocalTime Start, LocalTime? End, AgendaAppointment? Appointment = null, string? Note = null);

/// <summary>One staff member's day: what fills it, in time order, and the appointment that comes next.</summary>
internal sealed record StaffDay(StaffMember Staff, LocalDate Date, List<AgendaEntry> Entries, Guid? NextId)
{
    public IEnumerable<AgendaAppointment> Appointments => Entries.Where(e => e.Appointment is not null).Select(e => e.Appointment!);
}

/// <summary>
/// Reads the agenda the signed-in person may see: their own, or everyone's with "view_all_schedules" (owners
/// see all). Free gaps come from the same working hours the slot finder uses, blocks from the same rules.
/// </summary>
internal static class Agenda
{
    public const string ViewAll = "view_all_schedules";
    public const string Manage = "manage_appointments";
    public const string Message = "message_customers";

    /// <summary>Gaps shorter than this are not worth showing as free.</summary>
    private static readonly Period MinGap = Period.FromMinutes(15);

    public static bool MaySee(OwnerSession session, Appointment a) => a.StaffId == session.Member.Id || session.Can(ViewAll);

    /// <summary>Changing an appointment: your own, or anyone's with "manage_appointments".</summary>
    public static bool MayAct(OwnerSession session, Appointment a) => a.StaffId == session.Member.Id || session.Can(Manage);

    public static bool MayMessage(OwnerSession session, Appointment a) => a.StaffId == session.Member.Id || session.Can(Message);

    /// <summary>The staff whose agenda this person sees: themselves first, then the others (active, or with appointments).</summary>
    public static async Task<List<StaffMember>> VisibleStaffAsync(KaribuDb db, OwnerSession session, CancellationToken ct)
    {
        if (!session.Can(ViewAll))
        {
            return [session.Member];
        }

        var staff = await db.Staff.AsNoTracking().OrderBy(s => s.Role).ThenBy(s => s.Name).ToListAsync(ct);
        return staff.OrderBy(s => s.Id == session.Member.Id ? 0 : 1).ToList();
    }

    /// <summary>The visible appointments starting on local dates <paramref name="from"/> to <paramref name="to"/> (inclusive), all statuses.</summary>
    public static async Task<List<AgendaAppointment>> AppointmentsAsync(
        KaribuDb db, OwnerSession session, IReadOnlyCollection<StaffMember> staff, LocalDate from, LocalDate to, CancellationToken ct)
    {
        var zone = session.Zone;
        var start = from.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var end = to.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var staffIds = staff.Select(s => s.Id).ToList();
        var rows = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= start && a.StartAt < end && staffIds.Contains(a.StaffId))
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id)
            .ToListAsync(ct);
        return await DescribeAsync(db, session, rows, ct);
    }

    public static async Task<List<AgendaAppointment>> DescribeAsync(KaribuDb db, OwnerSession session, List<Appointment> rows, CancellationToken ct)
    {
        var customerIds = rows.Select(a => a.CustomerId).Distinct().ToList();
        var serviceIds = rows.Select(a => a.ServiceId).Distinct().ToList();
        var staffIds = rows.Select(a => a.StaffId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, c.DisplayName, c.PhoneNumber }).ToDictionaryAsync(c => c.Id, ct);
        var services = await db.Services.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var names = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return rows.Select(a =>
        {
            var customer = customers.GetValueOrDefault(a.CustomerId);
            return new AgendaAppointment(
                a, Local(a.StartAt, session.Zone), Local(a.EndAt, session.Zone),
                customer?.DisplayName ?? customer?.PhoneNumber ?? "", customer?.PhoneNumber ?? "",
                services.GetValueOrDefault(a.ServiceId) ?? "", names.GetValueOrDefault(a.StaffId) ?? "");
        }).ToList();
    }

    /// <summary>Each visible staff member's day: appointments, free gaps within their working hours, and blocked time.</summary>
    public static async Task<List<StaffDay>> DayAsync(KaribuDb db, OwnerSession session, LocalDate date, CancellationToken ct)
    {
        var staff = await VisibleStaffAsync(db, session, ct);
        var appointments = await AppointmentsAsync(db, session, staff, date, date, ct);
        var staffIds = staff.Select(s => s.Id).ToList();
        var rules = await db.AvailabilityRules.AsNoTracking().Where(r => staffIds.Contains(r.StaffId)).ToListAsync(ct);
        var hours = (await db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.IsPrimary, ct))?.BusinessHours ?? new();
        var now = session.Now.LocalDateTime;
        var weekday = (int)date.DayOfWeek - 1;
        var days = new List<StaffDay>();
        foreach (var member in staff)
        {
            var theirs = appointments.Where(a => a.Appointment.StaffId == member.Id).ToList();
            if (!member.IsActive && theirs.Count == 0)
            {
                continue;
            }

            var own = rules.Where(r => r.StaffId == member.Id).ToList();
            var blocks = own.Where(r => !r.IsAvailable && ((r.Type == AvailabilityRuleType.Exception && r.ExceptionDate == date)
                                                           || (r.Type == AvailabilityRuleType.Recurring && r.DayOfWeek == weekday)))
                .Select(r => (Start: r.StartTime ?? LocalTime.Midnight, End: r.EndTime, r.Note))
                .ToList();
            theirs = theirs.Select(a => a with { InBlockedTime = a.Status.IsActive() && blocks.Any(b => Overlaps(a, date, b.Start, b.End)) }).ToList();
            var entries = theirs.Select(a => new AgendaEntry(AgendaEntryKind.Appointment, a.Start.TimeOfDay, a.End.TimeOfDay, a)).ToList();
            entries.AddRange(blocks.Select(b => new AgendaEntry(AgendaEntryKind.Blocked, b.Start, b.End, Note: b.Note)));
            if (member.IsActive)
            {
                var working = SlotFinder.WorkingIntervals(own, hours, date);
                entries.AddRange(Gaps(working, theirs, date, now, session.Zone).Select(g => new AgendaEntry(AgendaEntryKind.Free, g.Start, g.End)));
            }

            var next = date == now.Date
                ? theirs.FirstOrDefault(a => a.Status.IsActive() && a.End > now)?.Id
                : null;
            days.Add(new StaffDay(member, date, entries.OrderBy(e => e.Start).ThenBy(e => e.Kind).ToList(), next));
        }

        return days;
    }

    /// <summary>Working time not taken by an active appointment (and its buffer); on today, only what is still ahead.</summary>
    private static IEnumerable<(LocalTime Start, LocalTime End)> Gaps(
        List<(LocalTime Start, LocalTime End)> working, List<AgendaAppointment> appointments, LocalDate date, LocalDateTime now, DateTimeZone zone)
    {
        var busy = appointments.Where(a => a.Status.IsActive())
            .Select(a => (Start: Clamp(a.Start, date), End: Clamp(Local(a.Appointment.BlockedUntil, zone), date)))
            .OrderBy(b => b.Start)
            .ToList();
        var earliest = date == now.Date ? RoundUp(now.TimeOfDay) : LocalTime.Midnight;
        if (date < now.Date)
        {
            yield break;
        }

        foreach (var (open, close) in working)
        {
            var cursor = open > earliest ? open : earliest;
            foreach (var (start, end) in busy.Where(b => b.End > open && b.Start < close))
            {
                if (start > cursor && Period.Between(cursor, start, PeriodUnits.Minutes).Minutes >= MinGap.Minutes)
                {
                    yield return (cursor, start);
                }

                cursor = end > cursor ? end : cursor;
            }

            if (close > cursor && Period.Between(cursor, close, PeriodUnits.Minutes).Minutes >= MinGap.Minutes)
            {
                yield return (cursor, close);
            }
        }
    }

    private static bool Overlaps(AgendaAppointment a, LocalDate date, LocalTime start, LocalTime? end)
    {
        var from = date.At(start);
        var to = end is { } e ? date.At(e) : date.PlusDays(1).AtMidnight();
        return a.Start < to && a.End > from;
    }

    private static LocalTime Clamp(LocalDateTime time, LocalDate date) =>
        time.Date < date ? LocalTime.Midnight : time.Date > date ? LocalTime.MaxValue : time.TimeOfDay;

    private static LocalTime RoundUp(LocalTime t)
    {
        var minutes = (t.Hour * 60) + t.Minute + (t.Second > 0 || t.NanosecondOfSecond > 0 ? 1 : 0);
        minutes = (minutes + 4) / 5 * 5;
        return minutes >= 24 * 60 ? LocalTime.MaxValue : LocalTime.FromMinutesSinceMidnight(minutes);
    }

    public static LocalDateTime Local(DateTime utc, DateTimeZone zone) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
}
