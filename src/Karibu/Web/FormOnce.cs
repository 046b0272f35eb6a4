using Karibu.Data;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Web;

/// <summary>
/// Makes a form post count once. Each form carries a fresh key (<see cref="NewKey"/>) in a hidden field; the handler
/// asks <see cref="DoneAsync"/> whether that key was already handled (then it just goes where the first post went),
/// and otherwise calls <see cref="Record"/> before the SaveChanges that makes the change, so the key and the change
/// commit together. Keys live in the same table as the API's Idempotency-Key records and expire with them.
/// </summary>
internal static class FormOnce
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>Where the first post of this form went, when it was already handled.</summary>
    public static async Task<string?> DoneAsync(KaribuDb db, Guid staffId, string? key, CancellationToken ct) =>
        key is { Length: > 0 and <= 64 }
            ? await db.IdempotencyRecords.AsNoTracking().Where(r => r.Scope == Scope(staffId) && r.Key == key).Select(r => r.Location).FirstOrDefaultAsync(ct)
            : null;

    public static void Record(KaribuDb db, TimeProvider time, Guid staffId, string? key, string location)
    {
        if (key is not { Length: > 0 and <= 64 })
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Scope = Scope(staffId), Key = key, RequestHash = "form", StatusCode = StatusCodes.Status303SeeOther, Location = location,
            CreatedAt = now, ExpiresAt = now + Lifetime,
        });
    }

    private static string Scope(Guid staffId) => $"form:{staffId:N}";
}
