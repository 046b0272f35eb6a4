using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Services;

internal sealed record CreateServiceRequest(
    string? Name, string? Description, int? DurationMinutes, long? PriceCents, string? Currency, bool? IsActive,
    int? BufferAfterMinutes, int? RebookIntervalDays);

internal sealed record UpdateServiceRequest(
    string? Name, string? Description, int? DurationMinutes, long? PriceCents, string? Currency, bool? IsActive,
    int? BufferAfterMinutes, int? RebookIntervalDays);

internal sealed record ServiceResponse(
    Guid Id, Guid OrganizationId, string Name, string? Description, int DurationMinutes, long PriceCents, string Currency,
    bool IsActive, int BufferAfterMinutes, int? RebookIntervalDays, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ServiceResponse From(Service s, TenantContext tenant) => new(
        s.Id, s.OrganizationId, s.Name, s.Description, s.DurationMinutes, s.PriceCents, s.Currency, s.IsActive,
        s.BufferAfterMinutes, s.RebookIntervalDays, s.CreatedAt.InZone(tenant.Zone), s.UpdatedAt.InZone(tenant.Zone));
}

internal static class ServiceEndpoints
{
    public const int MaxDurationMinutes = 24 * 60;
    private const long MaxPriceCents = 100_000_000_00;

    public static RouteGroupBuilder MapServiceEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Services");
        group.MapGet("/", List).WithSummary("The services customers can book (active ones unless include_inactive=true).");
        group.MapPost("/", Create).WithSummary("Add a service.");
        group.MapGet("/{id:guid}", Get).WithSummary("One service.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change a service.");
        group.MapDelete("/{id:guid}", Deactivate).WithSummary("Deactivate a service; past appointments keep it.");
        return group;
    }

    private static Task<Results<Ok<Page<ServiceResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        [FromQuery(Name = "include_inactive")] bool? includeInactive = null,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null) =>
        db.Services.AsNoTracking().Where(s => includeInactive == true || s.IsActive)
            .ListAsync(limit, startingAfter, s => ServiceResponse.From(s, tenant), ct);

    private static async Task<Results<Created<ServiceResponse>, ValidationProblem>> Create(
        CreateServiceRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var v = new Validation();
        if (New(request, tenant, v) is not { } service)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        db.Services.Add(service);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/services/{service.Id}", ServiceResponse.From(service, tenant));
    }

    /// <summary>
    /// A new service checked by the API's rules (the owner app's screens use it too), or null with the reasons in
    /// <paramref name="v"/>; the caller adds and saves it.
    /// </summary>
    public static Service? New(CreateServiceRequest request, TenantContext tenant, Validation v)
    {
        var service = new Service
        {
            Name = v.Text("name", request.Name, required: true) ?? "",
            Description = v.OptionalText("description", request.Description) is { Length: > 0 } d ? d : null,
            DurationMinutes = Required(v, "duration_minutes", request.DurationMinutes),
            PriceCents = Required(v, "price_cents", request.PriceCents),
            Currency = CheckCurrency(v, request.Currency, tenant) ?? tenant.Currency,
            IsActive = request.IsActive ?? true,
            BufferAfterMinutes = request.BufferAfterMinutes ?? 0,
            RebookIntervalDays = request.RebookIntervalDays,
        };
        CheckNumbers(v, service);
        return v.IsValid ? service : null;
    }

    private static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } service
            ? TypedResults.Ok(ServiceResponse.From(service, tenant))
            : Problems.NotFound("service");

    private static async Task<Results<Ok<ServiceResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateServiceRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var service = await db.Services.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (service is null)
        {
            return Problems.NotFound("service");
        }

        var v = new Validation();
        if (request.Name is not null)
        {
            service.Name = v.Text("name", request.Name, required: true) ?? service.Name;
        }

        if (request.Description is not null)
        {
            service.Description = v.OptionalText("description", request.Description) is { Length: > 0 } d ? d : null;
        }

        service.DurationMinutes = request.DurationMinutes ?? service.DurationMinutes;
        service.PriceCents = request.PriceCents ?? service.PriceCents;
        service.Currency = CheckCurrency(v, request.Currency, tenant) ?? service.Currency;
        service.IsActive = request.IsActive ?? service.IsActive;
        service.BufferAfterMinutes = request.BufferAfterMinutes ?? service.BufferAfterMinutes;
        service.RebookIntervalDays = request.RebookIntervalDays ?? service.RebookIntervalDays;
        CheckNumbers(v, service);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ServiceResponse.From(service, tenant));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(Guid id, KaribuDb db, CancellationToken ct)
    {
        var service = await db.Services.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (service is null)
        {
            return Problems.NotFound("service");
        }

        service.IsActive = false;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static T Required<T>(Validation v, string field, T? value) where T : struct
    {
        if (value is null)
        {
            v.Add(field, "Is required.");
        }

        return value ?? default;
    }

    private static string? CheckCurrency(Validation v, string? currency, TenantContext tenant)
    {
        var code = Reference.Currency("currency", currency, required: false, v);
        if (code is not null && code != tenant.Currency)
        {
            v.Add("currency", $"Must be the business's currency, {tenant.Currency}.");
            return null;
        }

        return code;
    }

    /// <summary>The rules on a service's numbers (duration, price, buffer, rebook interval), for the API and the owner app.</summary>
    public static void CheckNumbers(Validation v, Service s)
    {
        if (s.DurationMinutes is < 1 or > MaxDurationMinutes && !v.Has("duration_minutes"))
        {
            v.Add("duration_minutes", $"Must be between 1 and {MaxDurationMinutes} minutes (got {s.DurationMinutes}).");
        }

        if (s.PriceCents is < 0 or > MaxPriceCents && !v.Has("price_cents"))
        {
            v.Add("price_cents", s.PriceCents < 0 ? "Must not be negative." : $"Must be at most {MaxPriceCents}.");
        }

        v.Range("buffer_after_minutes", s.BufferAfterMinutes, 0, 240);
        v.Range("rebook_interval_days", s.RebookIntervalDays, 1, 365);
    }
}
