using System.Text.Json;
using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Staff;

internal sealed record CreateStaffRequest(
    string? Name, string? PhoneNumber, string? Role, List<string>? Permissions, List<Guid>? ServiceIds, bool? IsActive);

/// <summary><c>service_ids</c>: absent leaves it, <c>null</c> means every service, a list names them.</summary>
internal sealed record UpdateStaffRequest(
    string? Name, string? PhoneNumber, string? Role, List<string>? Permissions, JsonElement ServiceIds, bool? IsActive);

internal sealed record StaffResponse(
    Guid Id, Guid OrganizationId, string Name, string PhoneNumber, StaffRole Role, IReadOnlyList<string> Permissions,
    IReadOnlyList<Guid>? ServiceIds, bool OffersAllServices, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static StaffResponse From(StaffMember s, TenantContext tenant) => new(
        s.Id, s.OrganizationId, s.Name, s.PhoneNumber, s.Role, s.Permissions, s.ServiceIds, s.ServiceIds is null, s.IsActive,
        s.CreatedAt.InZone(tenant.Zone), s.UpdatedAt.InZone(tenant.Zone));
}

internal static class StaffEndpoints
{
    public static RouteGroupBuilder MapStaffEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Staff");
        group.MapGet("/", List).WithSummary("The people who work at the business.");
        group.MapPost("/", Create).WithSummary("Add a staff member; their phone lets them run their day on WhatsApp.");
        group.MapGet("/{id:guid}", Get).WithSummary("One staff member.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change a staff member.");
        group.MapDelete("/{id:guid}", Deactivate).WithSummary("Deactivate a staff member; their past appointments stay.");
        return group;
    }

    private static Task<Results<Ok<Page<StaffResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        [FromQuery(Name = "include_inactive")] bool? includeInactive = null,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null) =>
        db.Staff.AsNoTracking().Where(s => includeInactive == true || s.IsActive)
            .ListAsync(limit, startingAfter, s => StaffResponse.From(s, tenant), ct);

    private static async Task<Results<Created<StaffResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateStaffRequest request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var (staff, failure) = await AddAsync(db, tenant, request, http.User.Actor(), v, ct);
        switch (failure)
        {
            case AddFailure.Invalid:
                return TypedResults.ValidationProblem(v.Errors);
            case AddFailure.UnknownService:
                return Problems.NotFound("service", "service_ids");
            case AddFailure.PhoneTaken:
                return Problems.Conflict($"A staff member with phone number {staff!.PhoneNumber} already exists.");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/staff/{staff!.Id}", StaffResponse.From(staff, tenant));
    }

    public enum AddFailure { None, Invalid, UnknownService, PhoneTaken }

    /// <summary>
    /// Adds a staff member by the API's rules (the owner app's screens use it too): on <see cref="AddFailure.None"/>
    /// the new member is added with its audit entry and the caller saves; on <see cref="AddFailure.PhoneTaken"/> the
    /// returned member (not added) carries the normalized phone; on <see cref="AddFailure.Invalid"/> <paramref name="v"/> says why.
    /// </summary>
    public static async Task<(StaffMember? Staff, AddFailure Failure)> AddAsync(
        KaribuDb db, TenantContext tenant, CreateStaffRequest request, string actor, Validation v, CancellationToken ct)
    {
        var name = v.Text("name", request.Name, required: true);
        var phone = v.Phone("phone_number", request.PhoneNumber, tenant.CountryCode, required: true);
        var role = v.Enum<StaffRole>("role", request.Role, required: false) ?? StaffRole.Employee;
        var permissions = CheckPermissions(v, request.Permissions);
        if (!v.IsValid)
        {
            return (null, AddFailure.Invalid);
        }

        if (await CheckServicesAsync(db, request.ServiceIds, ct) is not null)
        {
            return (null, AddFailure.UnknownService);
        }

        var staff = new StaffMember
        {
            Name = name!, PhoneNumber = phone!, Role = role, Permissions = permissions ?? [],
            ServiceIds = request.ServiceIds?.Distinct().ToList(), IsActive = request.IsActive ?? true,
        };
        if (await db.Staff.AnyAsync(s => s.PhoneNumber == phone, ct))
        {
            return (staff, AddFailure.PhoneTaken);
        }

        db.Staff.Add(staff);
        db.Audit(actor, "staff.created", "staff", staff.Id);
        return (staff, AddFailure.None);
    }

    private static async Task<Results<Ok<StaffResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } staff
            ? TypedResults.Ok(StaffResponse.From(staff, tenant))
            : Problems.NotFound("staff member");

    private static async Task<Results<Ok<StaffResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateStaffRequest request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null)
        {
            return Problems.NotFound("staff member");
        }

        var v = new Validation();
        var name = request.Name is null ? null : v.Text("name", request.Name, required: true);
        var phone = request.PhoneNumber is null ? null : v.Phone("phone_number", request.PhoneNumber, tenant.CountryCode, required: true);
        var role = v.Enum<StaffRole>("role", request.Role, required: false);
        var permissions = CheckPermissions(v, request.Permissions);
        List<Guid>? serviceIds = null;
        var changeServices = request.ServiceIds.ValueKind != JsonValueKind.Undefined;
        if (changeServices && request.ServiceIds.ValueKind != JsonValueKind.Null)
        {
            try
            {
                serviceIds = request.ServiceIds.Deserialize<List<Guid>>();
            }
            catch (JsonException)
            {
                v.Add("service_ids", "Must be a list of service ids, or null for every service.");
            }
        }

        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (await CheckServicesAsync(db, serviceIds, ct) is { } missing)
        {
            return missing;
        }

        if (phone is not null && phone != staff.PhoneNumber && await db.Staff.AnyAsync(s => s.PhoneNumber == phone, ct))
        {
            return Problems.Conflict($"A staff member with phone number {phone} already exists.");
        }

        if ((role == StaffRole.Employee || request.IsActive == false) && await IsLastOwnerAsync(db, staff, ct))
        {
            return Problems.Conflict("This is the business's only active owner; make someone else owner first.");
        }

        staff.Name = name ?? staff.Name;
        staff.PhoneNumber = phone ?? staff.PhoneNumber;
        staff.Role = role ?? staff.Role;
        staff.Permissions = permissions ?? staff.Permissions;
        staff.IsActive = request.IsActive ?? staff.IsActive;
        if (changeServices)
        {
            staff.ServiceIds = serviceIds?.Distinct().ToList();
        }

        db.Audit(http.User.Actor(), "staff.updated", "staff", staff.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(StaffResponse.From(staff, tenant));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Deactivate(Guid id, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null)
        {
            return Problems.NotFound("staff member");
        }

        if (await IsLastOwnerAsync(db, staff, ct))
        {
            return Problems.Conflict("This is the business's only active owner; make someone else owner first.");
        }

        staff.IsActive = false;
        db.Audit(http.User.Actor(), "staff.deactivated", "staff", staff.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static List<string>? CheckPermissions(Validation v, List<string>? permissions)
    {
        if (permissions is null)
        {
            return null;
        }

        foreach (var p in permissions.Where(p => !StaffPermissions.All.Contains(p)))
        {
            v.Add("permissions", $"Unknown permission '{p}'. Known: {string.Join(", ", StaffPermissions.All)}.");
        }

        return permissions.Distinct().ToList();
    }

    /// <summary>
    /// Whether this person is the business's only active owner: they may be neither deactivated nor made an employee,
    /// or nobody could run the business any more.
    /// </summary>
    public static async Task<bool> IsLastOwnerAsync(KaribuDb db, StaffMember staff, CancellationToken ct) =>
        staff is { Role: StaffRole.Owner, IsActive: true }
        && !await db.Staff.AnyAsync(s => s.Id != staff.Id && s.Role == StaffRole.Owner && s.IsActive, ct);

    /// <summary>Every named service must be one of this business's; an unknown id answers 404.</summary>
    private static async Task<ProblemHttpResult?> CheckServicesAsync(KaribuDb db, List<Guid>? ids, CancellationToken ct)
    {
        if (ids is not { Count: > 0 })
        {
            return null;
        }

        var distinct = ids.Distinct().ToList();
        var found = await db.Services.CountAsync(s => distinct.Contains(s.Id), ct);
        return found == distinct.Count ? null : Problems.NotFound("service", "service_ids");
    }
}
