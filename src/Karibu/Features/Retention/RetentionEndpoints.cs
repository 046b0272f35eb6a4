using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Retention;

/// <summary><c>at</c>: when the customer arrived (default now); <c>amount_cents</c>: what they spent, if known.</summary>
internal sealed record CheckInRequest(string? At, long? AmountCents, Guid? ServiceId);

internal sealed record VisitResponse(
    Guid Id, Guid CustomerId, string Date, DateTimeOffset At, VisitSource Source, Guid? AppointmentId, Guid? PaymentId,
    Guid? ServiceId, long AmountCents, long PaidCents, bool Merged, DateTimeOffset UpdatedAt)
{
    public static VisitResponse From(Visit v, bool merged, DateTimeZone zone) => new(
        v.Id, v.CustomerId, LocalDatePattern.Iso.Format(v.LocalDate), v.At.InZone(zone), v.Source, v.AppointmentId, v.PaymentId,
        v.ServiceId, v.AmountCents, v.PaidCents, merged, v.UpdatedAt.InZone(zone));
}

internal static class RetentionEndpoints
{
    /// <summary>Clocks of the phone or till recording a check-in may run a little ahead of ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const long MaxAmountCents = 100_000_000_00;

    public static RouteGroupBuilder MapRetentionEndpoints(this RouteGroupBuilder organization)
    {
        var customers = organization.MapGroup("/customers").WithTags("Retention");
        customers.MapPost("/{id:guid}/check-ins", CheckIn)
            .WithSummary("Record that the customer came in (now, or at `at`). One visit per customer per local day: a second record that day merges into it (200); a new visit is 201.");
        customers.MapGet("/{id:guid}/visits", ListVisits).WithSummary("The customer's visits, oldest first.");
        customers.MapGet("/to-contact", ToContactList.GetAsync)
            .WithSummary("Overdue customers to reach out to today, best first (value × lateness); skips anyone with a future appointment or opted out of marketing.");
        organization.MapGet("/metrics", RetentionMetrics.GetAsync).WithTags("Retention")
            .WithSummary("Retention figures for business-local dates date_from … date_to (default: the last 30 days).");
        return organization;
    }

    private static async Task<Results<Created<VisitResponse>, Ok<VisitResponse>, ValidationProblem, ProblemHttpResult>> CheckIn(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CheckInRequest? request,
        KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound("customer");
        }

        var v = new Validation();
        var now = time.GetUtcNow();
        var at = Instant.FromDateTimeOffset(now);
        if (request?.At is { } text)
        {
            if (LocalInstants.Parse(text, "at", tenant.Zone, v) is { } parsed)
            {
                at = parsed;
                if (at.ToDateTimeOffset() > now + ClockSkew)
                {
                    v.Add("at", "Is in the future; a check-in records a visit that happened.");
                }
            }
        }

        v.Range("amount_cents", request?.AmountCents, 0, MaxAmountCents);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (request?.ServiceId is { } serviceId && !await db.Services.AnyAsync(s => s.Id == serviceId, ct))
        {
            return Problems.NotFound("service", "service_id");
        }

        var recorded = await Visits.RecordAsync(db, time, new VisitInput(
            id, at.ToDateTimeUtc(), VisitSource.CheckIn, AmountCents: request?.AmountCents, ServiceId: request?.ServiceId), ct);
        if (recorded is null)
        {
            return Problems.NotFound("customer");
        }

        var body = VisitResponse.From(recorded.Visit, recorded.Merged, tenant.Zone);
        return recorded.Merged
            ? TypedResults.Ok(body)
            : TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/customers/{id}/visits", body);
    }

    private static async Task<Results<Ok<Page<VisitResponse>>, ValidationProblem, ProblemHttpResult>> ListVisits(
        Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound("customer");
        }

        var v = new Validation();
        if (!Paging.TryValidate(limit, v))
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        return TypedResults.Ok(await db.Visits.AsNoTracking().Where(x => x.CustomerId == id)
            .ToPageAsync(limit, startingAfter, x => VisitResponse.From(x, merged: false, tenant.Zone), ct));
    }

    /// <summary>A business-local date range from the query: defaults, parsing and limits.</summary>
    internal static (LocalDate From, LocalDate To)? ParseRange(string? dateFrom, string? dateTo, LocalDate today, int defaultDays, int maxDays, Validation v)
    {
        var to = dateTo is null ? today : AvailabilityEndpoints.ParseDate(dateTo, "date_to", v);
        LocalDate? from = dateFrom is null ? to?.PlusDays(-(defaultDays - 1)) : AvailabilityEndpoints.ParseDate(dateFrom, "date_from", v);
        if (from is not { } f || to is not { } t)
        {
            return null;
        }

        if (t < f)
        {
            v.Add("date_to", "Must not be before date_from.");
            return null;
        }

        if (Period.Between(f, t, PeriodUnits.Days).Days + 1 > maxDays)
        {
            v.Add("date_to", $"The range may cover at most {maxDays} days.");
            return null;
        }

        return (f, t);
    }

    internal static DateTime StartUtc(LocalDate date, DateTimeZone zone) => date.AtStartOfDayInZone(zone).ToDateTimeUtc();

    internal static bool IsSentOrBetter(MessageStatus s) => s is MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read;

    internal static readonly AppointmentStatus[] Finished = [AppointmentStatus.Completed, AppointmentStatus.NoShow];
}
