using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Faq;

internal sealed record FaqRequest(string? Question, string? Answer, string? Category, int? Priority, bool? IsActive);

internal sealed record FaqResponse(
    Guid Id, Guid OrganizationId, string Question, string Answer, string? Category, int Priority, bool IsActive,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static FaqResponse From(FaqEntry f, TenantContext tenant) => new(
        f.Id, f.OrganizationId, f.Question, f.Answer, f.Category, f.Priority, f.IsActive, f.CreatedAt.InZone(tenant.Zone), f.UpdatedAt.InZone(tenant.Zone));
}

/// <summary>The business's FAQ entries, which the assistant answers from.</summary>
internal static class FaqEndpoints
{
    public static RouteGroupBuilder MapFaqEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("FAQ");
        group.MapGet("/", List).WithSummary("The business's FAQ entries the assistant answers from (active ones unless include_inactive=true).");
        group.MapPost("/", Create).WithSummary("Add a question and its answer.");
        group.MapGet("/{id:guid}", Get).WithSummary("One FAQ entry.");
        group.MapPatch("/{id:guid}", Update).WithSummary("Change an FAQ entry.");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Remove an FAQ entry.");
        return group;
    }

    private static Task<Results<Ok<Page<FaqResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        [FromQuery(Name = "include_inactive")] bool? includeInactive = null,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null) =>
        db.FaqEntries.AsNoTracking().Where(f => includeInactive == true || f.IsActive)
            .ListAsync(limit, startingAfter, f => FaqResponse.From(f, tenant), ct);

    private static async Task<Results<Created<FaqResponse>, ValidationProblem>> Create(FaqRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var v = new Validation();
        var entry = new FaqEntry
        {
            Question = v.Text("question", request.Question, required: true, max: FaqMatcher.MaxQuestion) ?? "",
            Answer = v.Text("answer", request.Answer, required: true, max: FaqMatcher.MaxAnswer) ?? "",
            Category = v.OptionalText("category", request.Category, Limits.Name) is { Length: > 0 } c ? c : null,
            Priority = request.Priority ?? 0,
            IsActive = request.IsActive ?? true,
        };
        Check(v, entry);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        db.FaqEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/faq/{entry.Id}", FaqResponse.From(entry, tenant));
    }

    private static async Task<Results<Ok<FaqResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.FaqEntries.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } entry
            ? TypedResults.Ok(FaqResponse.From(entry, tenant))
            : Problems.NotFound("FAQ entry");

    private static async Task<Results<Ok<FaqResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, FaqRequest request, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null)
        {
            return Problems.NotFound("FAQ entry");
        }

        var v = new Validation();
        entry.Question = request.Question is null ? entry.Question : v.Text("question", request.Question, required: true, max: FaqMatcher.MaxQuestion) ?? entry.Question;
        entry.Answer = request.Answer is null ? entry.Answer : v.Text("answer", request.Answer, required: true, max: FaqMatcher.MaxAnswer) ?? entry.Answer;
        if (request.Category is not null)
        {
            entry.Category = v.OptionalText("category", request.Category, Limits.Name) is { Length: > 0 } c ? c : null;
        }

        entry.Priority = request.Priority ?? entry.Priority;
        entry.IsActive = request.IsActive ?? entry.IsActive;
        Check(v, entry);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FaqResponse.From(entry, tenant));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, KaribuDb db, CancellationToken ct)
    {
        var entry = await db.FaqEntries.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null)
        {
            return Problems.NotFound("FAQ entry");
        }

        db.FaqEntries.Remove(entry);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The rules on a whole entry (priority, a question the assistant can match), for the API and the owner app.</summary>
    public static void Check(Validation v, FaqEntry entry)
    {
        v.Range("priority", entry.Priority, -1000, 1000);
        if (!v.Has("question") && FaqMatcher.Words(entry.Question).Count == 0)
        {
            v.Add("question", "Needs at least one word the assistant can match (not only greetings or filler words).");
        }
    }
}
