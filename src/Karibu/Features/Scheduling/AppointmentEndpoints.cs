using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Scheduling;

internal sealed record CreateAppointmentRequest(
    Guid? ServiceId, string? Start, Guid? StaffId, Guid? CustomerId, string? CustomerPhone, string? CustomerName,
    string? Source, string? Notes, bool? OverrideAvailability);

internal sealed record UpdateAppointmentRequest(string? Start, Guid? StaffId, string? Notes, bool? OverrideAvailability);

internal sealed record CancelAppointmentRequest(string? Reason);

internal sealed record AppointmentResponse(
    Guid Id, Guid OrganizationId, Guid CustomerId, Guid StaffId, Guid ServiceId, Guid? LocationId,
    DateTimeOffset Start, DateTimeOffset End, AppointmentStatus Status, AppointmentSource Source, string? Notes,
    string? CancellationReason, long PriceCents, string Currency, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? CheckedInAt)
{
    public static AppointmentResponse From(Appointment a, TenantContext tenant) => new(
        a.Id, a.OrganizationId, a.CustomerId, a.StaffId, a.ServiceId, a.LocationId, a.StartAt.InZone(tenant.Zone),
        a.EndAt.InZone(tenant.Zone), a.Status, a.Source, a.Notes, a.CancellationReason, a.PriceCents, a.Currency,
        a.CreatedAt.InZone(tenant.Zone), a.UpdatedAt.InZone(tenant.Zone), a.CheckedInAt?.InZone(tenant.Zone));
}

internal sealed record SlotResponse(DateTimeOffset Start, DateTimeOffset End, Guid StaffId);

internal sealed record SlotsResponse(string Timezone, IReadOnlyList<SlotResponse> Slots);

internal sealed record TimeOffRequest(string? Date, string? StartTime, string? EndTime, string? Note);

internal sealed record TimeOffResponse(AvailabilityRuleResponse Block, IReadOnlyList<AppointmentResponse> AffectedAppointments);

internal static class AppointmentEndpoints
{
    public static RouteGroupBuilder MapTimeOffEndpoints(this RouteGroupBuilder staff)
    {
        staff.MapPost("/{id:guid}/time-off", TimeOff).WithTags("Staff")
            .WithSummary("Block a staff member's day or part of it; lists the booked appointments that fall inside, which stay as they are.");
        return staff;
    }

    private static async Task<Results<Created<TimeOffResponse>, ValidationProblem, ProblemHttpResult>> TimeOff(
        Guid id, TimeOffRequest request, BookingService booking, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        // An id that is not this business's is a 404 whatever the body says.
        if (!await db.Staff.AnyAsync(s => s.Id == id, ct))
        {
            return Problems.NotFound("staff member");
        }

        var v = new Validation();
        var date = AvailabilityEndpoints.ParseDate(request.Date, "date", v);
        var start = request.StartTime is null ? null : TimeOfDay.Parse(request.StartTime, "start_time", v);
        var end = request.EndTime is null ? null : TimeOfDay.Parse(request.EndTime, "end_time", v);
        if ((request.StartTime is null) != (request.EndTime is null))
        {
            v.Add(request.StartTime is null ? "start_time" : "end_time", "Give both start_time and end_time, or neither for the whole day.");
        }
        else if (start is not null && end is not null && end <= start)
        {
            v.Add("end_time", "Must be after start_time.");
        }

        var note = v.OptionalText("note", request.Note, 500);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var result = await booking.BlockTimeAsync(id, date!.Value, start, end, string.IsNullOrEmpty(note) ? null : note, http.User.Actor(), ct);
        if (result.Error is { } error)
        {
            return ToProblem(error);
        }

        var (block, affected) = result.Value;
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/availability/{block.Id}",
            new TimeOffResponse(AvailabilityRuleResponse.From(block, tenant), affected.Select(a => AppointmentResponse.From(a, tenant)).ToList()));
    }

    public static RouteGroupBuilder MapSlotEndpoints(this RouteGroupBuilder availability)
    {
        availability.MapGet("/slots", Slots).WithTags("Availability")
            .WithSummary("Free start times for a service; without staff_id each time appears once, with the staff member who would take it.");
        return availability;
    }

    public static RouteGroupBuilder MapAppointmentEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Appointments");
        group.MapGet("/", List).WithSummary("Appointments, soonest first; filter by local dates, staff, customer, status.");
        group.MapPost("/", Create).WithSummary("Book: 201, or 409 when the time is taken or outside availability.");
        group.MapGet("/{id:guid}", Get).WithSummary("One appointment.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Reschedule (start and/or staff_id, same rules as booking) or change notes.");
        group.MapPost("/{id:guid}/cancel", Cancel).WithSummary("Cancel, with an optional reason.");
        group.MapPost("/{id:guid}/confirm", Confirm).WithSummary("Confirm a pending appointment.");
        group.MapPost("/{id:guid}/complete", Complete).WithSummary("Mark as done: counts as a visit.");
        group.MapPost("/{id:guid}/no-show", NoShow).WithSummary("Mark that the customer did not come.");
        group.MapPost("/{id:guid}/check-in", CheckIn).WithSummary("Mark that the customer arrived (today's appointments): records the visit.");
        return group;
    }

    private static async Task<Results<Ok<SlotsResponse>, ValidationProblem, ProblemHttpResult>> Slots(
        BookingService booking, CancellationToken ct,
        [FromQuery(Name = "service_id")] Guid? serviceId = null,
        [FromQuery(Name = "date_from")] string? dateFrom = null,
        [FromQuery(Name = "date_to")] string? dateTo = null,
        [FromQuery(Name = "staff_id")] Guid? staffId = null)
    {
        var v = new Validation();
        if (serviceId is null)
        {
            v.Add("service_id", "Is required.");
        }

        var from = AvailabilityEndpoints.ParseDate(dateFrom, "date_from", v);
        var to = dateTo is null ? from : AvailabilityEndpoints.ParseDate(dateTo, "date_to", v);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var result = await booking.FindSlotsAsync(new SlotSearch(serviceId!.Value, from!.Value, to!.Value, staffId), ct);
        if (result.Error is { } error)
        {
            return ToProblem(error);
        }

        var (slots, zone) = result.Value;
        return TypedResults.Ok(new SlotsResponse(zone.Id, slots.Select(s => new SlotResponse(
            s.Start.InZone(zone).ToDateTimeOffset(), s.End.InZone(zone).ToDateTimeOffset(), s.StaffId)).ToList()));
    }

    private static async Task<Results<Ok<Page<AppointmentResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        [FromQuery(Name = "date_from")] string? dateFrom = null,
        [FromQuery(Name = "date_to")] string? dateTo = null,
        [FromQuery(Name = "staff_id")] Guid? staffId = null,
        [FromQuery(Name = "customer_id")] Guid? customerId = null,
        string? status = null,
        int? limit = null,
        [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        Paging.TryValidate(limit, v);
        var from = dateFrom is null ? null : AvailabilityEndpoints.ParseDate(dateFrom, "date_from", v);
        var to = dateTo is null ? null : AvailabilityEndpoints.ParseDate(dateTo, "date_to", v);
        var wanted = v.Enum<AppointmentStatus>("status", status, required: false);
        if (from is not null && to is not null && to < from)
        {
            v.Add("date_to", "Must not be before date_from.");
        }

        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var query = db.Appointments.AsNoTracking();
        if (from is { } f && StartOfDayUtc(f, tenant.Zone) is { } start)
        {
            query = query.Where(a => a.StartAt >= start);
        }

        if (to is { } t && t < LocalDate.MaxIsoValue && StartOfDayUtc(t.PlusDays(1), tenant.Zone) is { } end)
        {
            query = query.Where(a => a.StartAt < end);
        }

        if (staffId is { } s)
        {
            query = query.Where(a => a.StaffId == s);
        }

        if (customerId is { } c)
        {
            query = query.Where(a => a.CustomerId == c);
        }

        if (wanted is { } w)
        {
            query = query.Where(a => a.Status == w);
        }

        // Soonest first; the cursor is the last appointment seen, continuing at (its start, its id).
        if (startingAfter is { } after && await db.Appointments.AsNoTracking().Where(a => a.Id == after).Select(a => (DateTime?)a.StartAt).FirstOrDefaultAsync(ct) is { } afterStart)
        {
            query = query.Where(a => a.StartAt > afterStart || (a.StartAt == afterStart && a.Id.CompareTo(after) > 0));
        }

        var take = limit ?? Paging.DefaultLimit;
        var rows = await query.OrderBy(a => a.StartAt).ThenBy(a => a.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<AppointmentResponse>(rows.Take(take).Select(a => AppointmentResponse.From(a, tenant)).ToList(), rows.Count > take));
    }

    /// <summary>
    /// Local midnight as a UTC <see cref="DateTime"/>, or null when that lies outside what DateTime holds
    /// (days around 0001-01-01 and 9999-12-31): the range is then open on that side.
    /// </summary>
    private static DateTime? StartOfDayUtc(LocalDate date, DateTimeZone zone)
    {
        var utc = date.AtStartOfDayInZone(zone).ToInstant().InUtc();
        return utc.Year is >= 1 and <= 9999 ? utc.ToDateTimeUtc() : null;
    }

    private static async Task<Results<Created<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAppointmentRequest request, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        if (request.ServiceId is null)
        {
            v.Add("service_id", "Is required.");
        }

        var start = LocalInstants.Parse(request.Start, "start", tenant.Zone, v);
        var source = v.Enum<AppointmentSource>("source", request.Source, required: false) ?? AppointmentSource.Api;
        var notes = v.OptionalText("notes", request.Notes);
        var name = request.CustomerName is null ? null : v.Text("customer_name", request.CustomerName, required: true);
        if (request.CustomerId is null && request.CustomerPhone is null)
        {
            v.Add("customer_id", "Give customer_id, or customer_phone (and optionally customer_name) for a new customer.");
        }

        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var result = await booking.BookAsync(new BookingRequest(
            request.ServiceId!.Value, start!.Value, request.StaffId, request.CustomerId, request.CustomerPhone, name, source,
            string.IsNullOrEmpty(notes) ? null : notes, request.OverrideAvailability ?? false, http.User.Actor()), ct);
        if (result.Error is { } error)
        {
            return ToProblem(error);
        }

        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/appointments/{result.Value!.Id}", AppointmentResponse.From(result.Value, tenant));
    }

    private static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } appointment
            ? TypedResults.Ok(AppointmentResponse.From(appointment, tenant))
            : Problems.NotFound("appointment");

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateAppointmentRequest request, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var start = request.Start is null ? null : LocalInstants.Parse(request.Start, "start", tenant.Zone, v);
        var notes = v.OptionalText("notes", request.Notes);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        return Respond(await booking.RescheduleAsync(id, start, request.StaffId, notes, request.OverrideAvailability ?? false, http.User.Actor(), ct), tenant);
    }

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelAppointmentRequest? request, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var reason = v.OptionalText("reason", request?.Reason, 500);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        return Respond(await booking.CancelAsync(id, string.IsNullOrEmpty(reason) ? null : reason, http.User.Actor(), ct), tenant);
    }

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Confirm(
        Guid id, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Respond(await booking.ConfirmAsync(id, http.User.Actor(), ct), tenant);

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Complete(
        Guid id, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Respond(await booking.CompleteAsync(id, http.User.Actor(), ct), tenant);

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> NoShow(
        Guid id, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Respond(await booking.NoShowAsync(id, http.User.Actor(), ct), tenant);

    private static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> CheckIn(
        Guid id, BookingService booking, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        Respond(await booking.CheckInAsync(id, http.User.Actor(), ct), tenant);

    private static Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult> Respond(Scheduled<Appointment> result, TenantContext tenant) =>
        result.Error is { } error
            ? error.Status == 400 ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [error.Field] = [error.Message] }) : ToProblem(error)
            : TypedResults.Ok(AppointmentResponse.From(result.Value!, tenant));

    private static ProblemHttpResult ToProblem(SchedulingError error) => error.Status switch
    {
        404 => Problems.NotFound(error.Message["No such ".Length..].TrimEnd('.'), error.Field),
        409 => Problems.Conflict(error.Message),
        _ => TypedResults.Problem(statusCode: error.Status, title: "The request is not valid", detail: error.Message,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [error.Field] = [error.Message] } }),
    };
}
