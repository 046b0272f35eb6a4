using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Customers;

internal sealed record CreateCustomerRequest(
    string? PhoneNumber, string? Name, string? Email, string? Notes, List<string>? Tags, int? ContactCadenceDays);

internal sealed record UpdateCustomerRequest(
    string? PhoneNumber, string? Name, string? Email, string? Notes, List<string>? Tags, int? ContactCadenceDays,
    bool? MarketingOptedOut);

internal sealed record CustomerResponse(
    Guid Id, Guid OrganizationId, string PhoneNumber, string? Name, string? Email, string? Notes, IReadOnlyList<string> Tags,
    int VisitCount, DateTimeOffset? LastVisit, long TotalSpentCents, int? ContactCadenceDays, bool MarketingOptedOut,
    bool OptedOut, CustomerSource Source, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CustomerResponse From(Customer c, TenantContext tenant) => new(
        c.Id, c.OrganizationId, c.PhoneNumber, c.DisplayName, c.Email, c.Notes, c.Tags, c.VisitCount,
        c.LastVisitAt.InZone(tenant.Zone), c.TotalSpentCents, c.ContactCadenceDays, c.MarketingOptedOutAt is not null,
        c.OptedOutAt is not null, c.Source, c.CreatedAt.InZone(tenant.Zone), c.UpdatedAt.InZone(tenant.Zone));
}

internal static class CustomerEndpoints
{
    internal const int MaxTags = 20;
    internal const int MaxTagLength = 50;

    public static RouteGroupBuilder MapCustomerEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Customers");
        group.MapGet("/", List).WithSummary("Customers; filter by exact phone (?phone=) or by name or phone fragment (?q=).");
        group.MapPost("/", Create).WithSummary("Add a customer; only the phone number is required.");
        group.MapGet("/{id:guid}", Get).WithSummary("One customer.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change a customer.");
        return group;
    }

    private static async Task<Results<Ok<Page<CustomerResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        string? phone = null, string? q = null,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        Paging.TryValidate(limit, v);
        var e164 = phone is null ? null : v.Phone("phone", phone, tenant.CountryCode, required: true);
        if (q is { Length: > CustomerSearch.MaxLength })
        {
            v.Add("q", $"Must be at most {CustomerSearch.MaxLength} characters.");
        }

        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var query = db.Customers.AsNoTracking();
        if (e164 is not null)
        {
            query = query.Where(c => c.PhoneNumber == e164);
        }

        query = await CustomerSearch.MatchingAsync(query, q, ct);
        return TypedResults.Ok(await query.ToPageAsync(limit, startingAfter, c => CustomerResponse.From(c, tenant), ct));
    }

    private static async Task<Results<Created<CustomerResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCustomerRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var v = new Validation();
        var phone = v.Phone("phone_number", request.PhoneNumber, tenant.CountryCode, required: true);
        var customer = new Customer
        {
            PhoneNumber = phone ?? "",
            DisplayName = request.Name is null ? null : v.Text("name", request.Name, required: true),
            Email = CheckEmail(v, request.Email),
            Notes = Blank(v.OptionalText("notes", request.Notes)),
            Tags = CheckTags(v, request.Tags) ?? [],
            ContactCadenceDays = request.ContactCadenceDays,
            Source = CustomerSource.Api,
        };
        v.Range("contact_cadence_days", customer.ContactCadenceDays, 1, 365);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (await db.Customers.Where(c => c.PhoneNumber == phone).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct) is { } existing)
        {
            return Problems.Conflict($"A customer with phone number {phone} already exists (id {existing}).");
        }

        db.Customers.Add(customer);
        await People.SaveCustomerAsync(db, customer, ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/customers/{customer.Id}", CustomerResponse.From(customer, tenant));
    }

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } customer
            ? TypedResults.Ok(CustomerResponse.From(customer, tenant))
            : Problems.NotFound("customer");

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateCustomerRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return Problems.NotFound("customer");
        }

        var v = new Validation();
        var phone = request.PhoneNumber is null ? null : v.Phone("phone_number", request.PhoneNumber, tenant.CountryCode, required: true);
        Change(customer, request, v, time);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (phone is not null && phone != customer.PhoneNumber)
        {
            if (await db.Customers.AnyAsync(c => c.PhoneNumber == phone, ct))
            {
                return Problems.Conflict($"Another customer already has phone number {phone}.");
            }

            customer.PhoneNumber = phone;
        }

        await People.SaveCustomerAsync(db, customer, ct);
        return TypedResults.Ok(CustomerResponse.From(customer, tenant));
    }

    /// <summary>
    /// The changes of a PATCH other than the phone (name, email, notes, tags, cadence, marketing opt-out), applied to the
    /// tracked customer with their validation; the caller saves only when <paramref name="v"/> stays valid.
    /// The owner app's customer form goes through here too.
    /// </summary>
    internal static void Change(Customer customer, UpdateCustomerRequest request, Validation v, TimeProvider time)
    {
        if (request.Name is not null)
        {
            customer.DisplayName = Blank(v.OptionalText("name", request.Name, Limits.Name));
        }

        if (request.Email is not null)
        {
            customer.Email = CheckEmail(v, request.Email);
        }

        if (request.Notes is not null)
        {
            customer.Notes = Blank(v.OptionalText("notes", request.Notes));
        }

        customer.Tags = CheckTags(v, request.Tags) ?? customer.Tags;
        customer.ContactCadenceDays = request.ContactCadenceDays ?? customer.ContactCadenceDays;
        v.Range("contact_cadence_days", customer.ContactCadenceDays, 1, 365);
        if (request.MarketingOptedOut is { } optedOut)
        {
            customer.MarketingOptedOutAt = optedOut ? customer.MarketingOptedOutAt ?? time.GetUtcNow().UtcDateTime : null;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static string? CheckEmail(Validation v, string? email)
    {
        var trimmed = Blank(v.OptionalText("email", email, 254));
        if (trimmed is not null && (trimmed.Count(c => c == '@') != 1 || trimmed.StartsWith('@') || !trimmed[(trimmed.IndexOf('@') + 1)..].Contains('.')
            || trimmed.Any(char.IsWhiteSpace)))
        {
            v.Add("email", $"'{trimmed}' is not an email address.");
        }

        return trimmed;
    }

    internal static List<string>? CheckTags(Validation v, List<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        var clean = tags.Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (clean.Count > MaxTags)
        {
            v.Add("tags", $"At most {MaxTags} tags.");
        }

        if (clean.Any(t => t.Length > MaxTagLength))
        {
            v.Add("tags", $"Each tag must be at most {MaxTagLength} characters.");
        }

        return clean;
    }
}

/// <summary>The platform-wide identity behind every business's customer with the same phone.</summary>
internal static class People
{
    public static async Task<Guid> GetOrAddAsync(KaribuDb db, string e164, CancellationToken ct)
    {
        var local = db.People.Local.FirstOrDefault(p => p.PhoneNumber == e164);
        if (local is not null)
        {
            return local.Id;
        }

        var id = await db.People.Where(p => p.PhoneNumber == e164).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing)
        {
            return existing;
        }

        var person = new Person { PhoneNumber = e164 };
        db.People.Add(person);
        return person.Id;
    }

    /// <summary>
    /// Links the customer to the person behind its phone and saves. People are shared by every
    /// business, so another request may add the same new phone at the same moment; the one that
    /// loses that race links to the winner's person instead of failing.
    /// </summary>
    public static async Task SaveCustomerAsync(KaribuDb db, Customer customer, CancellationToken ct)
    {
        customer.PersonId = await GetOrAddAsync(db, customer.PhoneNumber, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.ChangeTracker.Entries<Person>().FirstOrDefault(e => e.State == EntityState.Added && e.Entity.Id == customer.PersonId) is not null)
        {
            var winner = await db.People.Where(p => p.PhoneNumber == customer.PhoneNumber).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            if (winner is null)
            {
                throw;
            }

            db.ChangeTracker.Entries<Person>().Single(e => e.Entity.Id == customer.PersonId).State = EntityState.Detached;
            customer.PersonId = winner.Value;
            await db.SaveChangesAsync(ct);
        }
    }
}
