using System.ComponentModel;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Assistant.Tools;

internal sealed record BlockTimeArguments(
    [Description("The day, YYYY-MM-DD in the business's time zone.")] string Date,
    [Description("Start, HH:mm (24-hour clock); omit (with end) to block the whole day.")] string? Start = null,
    [Description("End, HH:mm (24-hour clock), after start.")] string? End = null,
    [Description("What the time is for, in a few words (\"lunch\").")] string? Note = null);

internal sealed record MarkAppointmentArguments(
    [Description("The appointment's id, from my_schedule or business_schedule.")] Guid AppointmentId,
    [Description("no_show (the customer did not come) or completed.")] string Status);

internal sealed record WalkInArguments(
    [Description("The service's id.")] Guid ServiceId,
    [Description("The customer's phone number as the staff member typed it.")] string Phone,
    [Description("The customer's name, if known.")] string? Name = null);

internal sealed record CustomerHistoryArguments([Description("The customer's phone number as typed.")] string Phone);

internal sealed record AddStaffArguments(
    [Description("The new person's full name.")] string Name,
    [Description("Their WhatsApp number as typed.")] string Phone,
    [Description("The ids of the services they offer; omit for all.")] List<Guid>? ServiceIds = null);

/// <summary>
/// What staff and owners can do by chat with the LLM engine: the same actions as the guided staff engine,
/// through <see cref="BookingService"/>, each checking the sender's rights again whatever the model says.
/// </summary>
internal sealed class StaffTools(KaribuDb db, BookingService booking)
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public IEnumerable<AssistantTool> All() =>
    [
        new AssistantTool<BlockTimeArguments>("block_time", "Blocks the sender's own time (a few hours or a whole day) so no customer is offered it.",
            a => a.IsStaff, BlockAsync),
        new AssistantTool<MarkAppointmentArguments>("mark_appointment",
            "Marks an appointment that has started as no_show or completed. Ask the staff member to confirm which one first.",
            a => a.IsStaff, MarkAsync),
        new AssistantTool<WalkInArguments>("register_walk_in", "Books someone who just arrived without an appointment, now, with the sender.",
            a => a.IsStaff, WalkInAsync),
        new AssistantTool<CustomerHistoryArguments>("customer_history", "A customer's visits, spend and recent appointments, by phone.",
            a => a.IsStaff, HistoryAsync),
        new AssistantTool<AddStaffArguments>("add_staff", "Adds a person to the team (owners, or staff allowed to manage staff).",
            a => a.IsStaff && a.May("manage_staff"), AddStaffAsync),
    ];

    private async Task<ToolResult> BlockAsync(BlockTimeArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!LocalDatePattern.Iso.Parse(a.Date).TryGetValue(default, out var day) || day < turn.Today)
        {
            return ToolResult.Error("invalid_date", $"'{a.Date}' is not today or a later day (YYYY-MM-DD).");
        }

        LocalTime? start = null, end = null;
        if (a.Start is not null || a.End is not null)
        {
            if (!TimePattern.Parse(a.Start ?? "").TryGetValue(default, out var s) || !TimePattern.Parse(a.End ?? "").TryGetValue(default, out var e) || e <= s)
            {
                return ToolResult.Error("invalid_time", "start and end are HH:mm with end after start, or both omitted for the whole day.");
            }

            (start, end) = (s, e);
            turn.KnownTimes.Add(s);
            turn.KnownTimes.Add(e);
        }

        var result = await booking.BlockTimeAsync(turn.Asker.Staff!.Id, day, start, end, a.Note, $"staff:{turn.Asker.Staff.Id}", ct);
        if (result.Error is { } error)
        {
            return ToolResult.Error("refused", error.Message);
        }

        var affected = result.Value.Affected.Select(x => Instant.FromDateTimeUtc(x.StartAt)).ToList();
        affected.ForEach(turn.Know);
        return ToolResult.Ok(new
        {
            blocked = new { date = a.Date, start = a.Start, end = a.End },
            still_booked_inside = affected.Select(x => TimePattern.Format(x.InZone(turn.Zone).TimeOfDay)),
        });
    }

    private async Task<ToolResult> MarkAsync(MarkAppointmentArguments a, ToolTurn turn, CancellationToken ct)
    {
        var member = turn.Asker.Staff!;
        var appointment = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == a.AppointmentId, ct);
        if (appointment is null || (appointment.StaffId != member.Id && !turn.Asker.May("manage_appointments")))
        {
            return ToolResult.Error("not_found", "No appointment with that id that the sender may mark (their own, or anyone's with manage_appointments).");
        }

        if (Instant.FromDateTimeUtc(appointment.StartAt) > turn.Now)
        {
            return ToolResult.Error("not_started", "That appointment has not started yet.");
        }

        var result = a.Status switch
        {
            "no_show" => await booking.NoShowAsync(appointment.Id, $"staff:{member.Id}", ct),
            "completed" => await booking.CompleteAsync(appointment.Id, $"staff:{member.Id}", ct),
            _ => (Scheduled<Appointment>?)null,
        };
        if (result is null)
        {
            return ToolResult.Error("invalid_status", "status is no_show or completed.");
        }

        return result.Value.Error is { } error ? ToolResult.Error("refused", error.Message) : ToolResult.Ok(new { id = appointment.Id, status = a.Status });
    }

    private async Task<ToolResult> WalkInAsync(WalkInArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(a.Phone, turn.Organization.CountryCode, out var phone, out var why))
        {
            return ToolResult.Error("invalid_phone", why);
        }

        var known = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct);
        var member = turn.Asker.Staff!;
        var result = await booking.WalkInAsync(a.ServiceId, member.Id, known?.Id, phone, a.Name, $"staff:{member.Id}", ct);
        if (result.Error is { } error)
        {
            return ToolResult.Error(error.Status == 409 ? "overlaps" : "refused", error.Message);
        }

        var start = Instant.FromDateTimeUtc(result.Value!.StartAt);
        turn.Know(start);
        return ToolResult.Ok(new { id = result.Value!.Id, time = TimePattern.Format(start.InZone(turn.Zone).TimeOfDay), customer = known?.DisplayName ?? a.Name, phone });
    }

    private async Task<ToolResult> HistoryAsync(CustomerHistoryArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(a.Phone, turn.Organization.CountryCode, out var phone, out var why))
        {
            return ToolResult.Error("invalid_phone", why);
        }

        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct);
        var member = turn.Asker.Staff!;
        if (customer is null || (!turn.Asker.May("manage_customers") && !turn.Asker.May("view_all_schedules")
                                 && !await db.Appointments.AnyAsync(x => x.CustomerId == customer.Id && x.StaffId == member.Id, ct)))
        {
            return ToolResult.Error("not_found", "No customer with that phone that the sender may see.");
        }

        var appointments = await db.Appointments.AsNoTracking().Where(x => x.CustomerId == customer.Id).OrderByDescending(x => x.StartAt).Take(10).ToListAsync(ct);
        appointments.ForEach(x => turn.Know(Instant.FromDateTimeUtc(x.StartAt)));
        return ToolResult.Ok(new
        {
            name = customer.DisplayName, phone = customer.PhoneNumber, visits = customer.VisitCount, total_spent_cents = customer.TotalSpentCents,
            appointments = appointments.Select(x => new
            {
                start = Instant.FromDateTimeUtc(x.StartAt).InZone(turn.Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                status = EnumNames.ToName(x.Status),
            }),
        });
    }

    private async Task<ToolResult> AddStaffAsync(AddStaffArguments a, ToolTurn turn, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(a.Phone, turn.Organization.CountryCode, out var phone, out var why))
        {
            return ToolResult.Error("invalid_phone", why);
        }

        var name = a.Name.Trim();
        if (name.Length is 0 or > Limits.Name)
        {
            return ToolResult.Error("invalid_name", "A name of 1 to 200 characters.");
        }

        if (await db.Staff.AnyAsync(s => s.PhoneNumber == phone, ct))
        {
            return ToolResult.Error("exists", "Someone on the team already has that phone number.");
        }

        var ids = a.ServiceIds?.Distinct().ToList();
        if (ids is not null && await db.Services.CountAsync(s => ids.Contains(s.Id), ct) != ids.Count)
        {
            return ToolResult.Error("unknown_service", "Every service id must be one of the business's.");
        }

        var member = new StaffMember { Name = name, PhoneNumber = phone, Role = StaffRole.Employee, ServiceIds = ids is { Count: > 0 } ? ids : null };
        db.Staff.Add(member);
        db.Audit($"staff:{turn.Asker.Staff!.Id}", "staff.created", "staff", member.Id);
        await db.SaveChangesAsync(ct);
        return ToolResult.Ok(new { id = member.Id, name, phone });
    }
}
