using System.Globalization;
using Karibu.Common;
using Karibu.Features.Organizations;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Scheduling;

internal sealed record CreateAvailabilityRuleRequest(
    Guid? StaffId, string? Type, int? DayOfWeek, string? StartTime, string? EndTime, string? ExceptionDate, bool? IsAvailable, string? Note);

internal sealed record AvailabilityRuleResponse(
    Guid Id, Guid OrganizationId, Guid StaffId, AvailabilityRuleType Type, int? DayOfWeek, string? StartTime, string? EndTime,
    string? ExceptionDate, bool IsAvailable, string? Note, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AvailabilityRuleResponse From(AvailabilityRule r, TenantContext tenant) => new(
        r.Id, r.OrganizationId, r.StaffId, r.Type, r.DayOfWeek,
        r.StartTime is { } s ? TimeOfDay.Format(s) : null, r.EndTime is { } e ? TimeOfDay.Format(e) : null,
        r.ExceptionDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.IsAvailable, r.Note,
        r.CreatedAt.InZone(tenant.Zone), r.UpdatedAt.InZone(tenant.Zone));
}

internal static class AvailabilityEndpoints
{
    public static RouteGroupBuilder MapAvailabilityEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Availability");
        group.MapGet("/", List).WithSummary("Staff availability rules: weekly hours and dated exceptions.");
        group.MapPost("/", Create).WithSummary("Add a weekly interval (recurring) or a dated exception (blocked or extra time).");
        group.MapGet("/{id:guid}", Get).WithSummary("One availability rule.");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Remove an availability rule.");
        return group;
    }

    private static async Task<Results<Ok<Page<AvailabilityRuleResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        [FromQuery(Name = "staff_id")] Guid? staffId = null, string? type = null,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        Paging.TryValidate(limit, v);
        var ruleType = v.Enum<AvailabilityRuleType>("type", type, required: false);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var query = db.AvailabilityRules.AsNoTracking();
        if (staffId is { } s)
        {
            query = query.Where(r => r.StaffId == s);
        }

        if (ruleType is { } t)
        {
            query = query.Where(r => r.Type == t);
        }

        return TypedResults.Ok(await query.ToPageAsync(limit, startingAfter, r => AvailabilityRuleResponse.From(r, tenant), ct));
    }

    private static async Task<Results<Created<AvailabilityRuleResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAvailabilityRuleRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var v = new Validation();
        if (request.StaffId is null)
        {
            v.Add("staff_id", "Is required.");
        }

        var type = v.Enum<AvailabilityRuleType>("type", request.Type, required: true);
        LocalTime? start = request.StartTime is null ? null : TimeOfDay.Parse(request.StartTime, "start_time", v);
        LocalTime? end = request.EndTime is null ? null : TimeOfDay.Parse(request.EndTime, "end_time", v);
        LocalDate? date = null;
        if (type == AvailabilityRuleType.Recurring)
        {
            if (request.DayOfWeek is null)
            {
                v.Add("day_of_week", "Is required for a recurring rule: 0 = Monday … 6 = Sunday.");
            }

            v.Range("day_of_week", request.DayOfWeek, 0, 6);
            if (request.StartTime is null)
            {
                v.Add("start_time", "Is required for a recurring rule.");
            }

            if (request.EndTime is null)
            {
                v.Add("end_time", "Is required for a recurring rule.");
            }

            if (request.ExceptionDate is not null)
            {
                v.Add("exception_date", "Only exceptions have a date.");
            }
        }
        else if (type == AvailabilityRuleType.Exception)
        {
            date = ParseDate(request.ExceptionDate, "exception_date", v);
            if (request.DayOfWeek is not null)
            {
                v.Add("day_of_week", "An exception is for one date; leave day_of_week out.");
            }

            if ((request.StartTime is null) != (request.EndTime is null))
            {
                v.Add(request.StartTime is null ? "start_time" : "end_time", "Give both start_time and end_time, or neither for the whole day.");
            }
        }

        if (start is not null && end is not null && end <= start)
        {
            v.Add("end_time", "Must be after start_time.");
        }

        var note = v.OptionalText("note", request.Note, 500);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (!await db.Staff.AnyAsync(s => s.Id == request.StaffId, ct))
        {
            return Problems.NotFound("staff member", "staff_id");
        }

        var rule = new AvailabilityRule
        {
            StaffId = request.StaffId!.Value,
            Type = type!.Value,
            DayOfWeek = type == AvailabilityRuleType.Recurring ? request.DayOfWeek : null,
            StartTime = start,
            EndTime = end,
            ExceptionDate = date,
            // An exception without is_available blocks time, the usual reason to add one.
            IsAvailable = request.IsAvailable ?? type == AvailabilityRuleType.Recurring,
            Note = string.IsNullOrEmpty(note) ? null : note,
        };
        db.AvailabilityRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/availability/{rule.Id}", AvailabilityRuleResponse.From(rule, tenant));
    }

    private static async Task<Results<Ok<AvailabilityRuleResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.AvailabilityRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } rule
            ? TypedResults.Ok(AvailabilityRuleResponse.From(rule, tenant))
            : Problems.NotFound("availability rule");

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, KaribuDb db, CancellationToken ct)
    {
        var rule = await db.AvailabilityRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return Problems.NotFound("availability rule");
        }

        db.AvailabilityRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Dates are <c>YYYY-MM-DD</c> in the business's calendar; impossible dates are refused.</summary>
    public static LocalDate? ParseDate(string? text, string field, Validation v)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add(field, "A date (YYYY-MM-DD) is required.");
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text.Trim());
        if (!result.Success || text.Trim().Length != 10)
        {
            v.Add(field, $"'{text}' is not a real date; use YYYY-MM-DD.");
            return null;
        }

        return result.Value;
    }
}
