using Karibu.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Common;

/// <summary><c>{ "data": [...], "has_more": bool }</c>.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore);

/// <summary>
/// Cursor pagination by id: <c>?limit=</c> (default 50, max 200) and <c>?starting_after=&lt;id&gt;</c>.
/// UUIDv7 ids sort by creation time, so "after this id" is "created after this row" and stays
/// stable while rows are added.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static bool TryValidate(int? limit, Validation v)
    {
        if (limit is < 1 or > MaxLimit)
        {
            v.Add("limit", $"Must be between 1 and {MaxLimit} (got {limit}).");
        }

        return v.IsValid;
    }

    public static async Task<Page<TOut>> ToPageAsync<T, TOut>(
        this IQueryable<T> query, int? limit, Guid? startingAfter, Func<T, TOut> map, CancellationToken ct) where T : Entity
    {
        var take = limit ?? DefaultLimit;
        if (startingAfter is { } after)
        {
            query = query.Where(e => e.Id.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(e => e.Id).Take(take + 1).ToListAsync(ct);
        return new Page<TOut>(rows.Take(take).Select(map).ToList(), rows.Count > take);
    }

    /// <summary>A list endpoint's whole answer: the page, or a 400 for a bad <c>limit</c>.</summary>
    public static async Task<Results<Ok<Page<TOut>>, ValidationProblem>> ListAsync<T, TOut>(
        this IQueryable<T> query, int? limit, Guid? startingAfter, Func<T, TOut> map, CancellationToken ct) where T : Entity
    {
        var v = new Validation();
        return TryValidate(limit, v)
            ? TypedResults.Ok(await query.ToPageAsync(limit, startingAfter, map, ct))
            : TypedResults.ValidationProblem(v.Errors);
    }
}
