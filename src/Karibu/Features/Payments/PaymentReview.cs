using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Payments;

/// <summary>Where M-Pesa input that could not be used came from.</summary>
internal enum ReviewSource { C2b, Sms }

/// <summary>One piece of M-Pesa input kept for a person to look at: when it came, from where, what was wrong and the body itself (cut short).</summary>
internal sealed record ReviewItemResponse(
    Guid Id, DateTimeOffset ReceivedAt, ReviewSource Source, IReadOnlyDictionary<string, string[]> Errors, string Body);

/// <summary>
/// The "needs review" list (M-Pesa spec §B.2): C2B confirmations that could not be used and forwarded texts that
/// look like M-Pesa confirmations but do not read cleanly. No payment is recorded for them, so they are kept as
/// audit events (<see cref="UnusableConfirmation"/>, <see cref="UnreadableSms"/>) holding the errors and the start
/// of the body; dismissing one adds a <see cref="Dismissed"/> event naming it, so nothing is ever deleted.
/// </summary>
internal static class PaymentReview
{
    public const string UnusableConfirmation = "mpesa.confirmation_unusable";
    public const string UnreadableSms = "mpesa.sms_unreadable";
    public const string Dismissed = "mpesa.review_dismissed";

    /// <summary>How much of a body is kept: enough to recognise the payment and see what went wrong.</summary>
    public const int MaxBody = 1200;

    private const int MaxMessage = 300;

    public static RouteGroupBuilder MapPaymentReviewEndpoints(this RouteGroupBuilder payments)
    {
        payments.MapGet("/needs-review", ListAsync)
            .WithSummary("M-Pesa input that could not be used (C2B confirmations, forwarded texts that look like confirmations but do not read cleanly), newest first, with the errors and the start of the body.");
        payments.MapPost("/needs-review/{id:guid}/dismiss", DismissAsync)
            .WithSummary("Takes an item off the review list (it stays in the audit log). 204; dismissing again changes nothing.");
        return payments;
    }

    /// <summary>
    /// Adds an item to the review list, saved with the caller's next <c>SaveChanges</c>. The same body with the same
    /// errors is kept once (a text forwarded twice, a callback retried), while it is on the list.
    /// </summary>
    public static async Task RecordAsync(
        KaribuDb db, string actor, string action, Guid? channelAccountId, IDictionary<string, string[]> errors, string body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var data = Data(errors, body);
        if (await Pending(db).AnyAsync(a => a.Action == action && a.Data == data, ct))
        {
            return;
        }

        db.Audit(actor, action, "channel_account", channelAccountId, data);
    }

    /// <summary>
    /// The event's JSON, <c>{"errors": {...}, "body": "..."}</c>, within the audit column's size: the body is cut
    /// first, then overlong messages, so what is stored always parses.
    /// </summary>
    public static string Data(IDictionary<string, string[]> errors, string body)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(body);
        var kept = body.Length <= MaxBody ? body : body[..MaxBody];
        var messages = errors;
        while (true)
        {
            var json = Json(messages, kept);
            if (json.Length <= Limits.Text)
            {
                return json;
            }

            if (kept.Length > 0)
            {
                // Escaping makes the JSON longer than the text (a quote can take six characters): cut by the
                // overflow divided by the body's average escaped width, at least one character a round.
                var escaped = json.Length - Json(messages, "").Length;
                var cut = (int)Math.Ceiling((json.Length - Limits.Text) * (double)kept.Length / Math.Max(1, escaped));
                kept = kept[..Math.Max(0, kept.Length - Math.Max(1, cut))];
            }
            else if (messages.Values.Any(v => v.Any(m => m.Length > MaxMessage)))
            {
                messages = messages.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Length > MaxMessage ? m[..MaxMessage] : m).ToArray());
            }
            else
            {
                return Json(new Dictionary<string, string[]> { ["body"] = ["Too many errors to keep."] }, "");
            }
        }
    }

    private static string Json(IDictionary<string, string[]> errors, string body) => new JsonObject
    {
        ["errors"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value.Select(m => (JsonNode?)m).ToArray())))),
        ["body"] = body,
    }.ToJsonString();

    /// <summary>Review items not dismissed (the tenant filter keeps them to this business).</summary>
    private static IQueryable<AuditEvent> Pending(KaribuDb db) =>
        db.AuditEvents.Where(a => (a.Action == UnusableConfirmation || a.Action == UnreadableSms)
            && !db.AuditEvents.Any(d => d.Action == Dismissed && d.EntityId == a.Id));

    private static async Task<Results<Ok<Page<ReviewItemResponse>>, ValidationProblem>> ListAsync(
        KaribuDb db, TenantContext tenant, CancellationToken ct, int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        if (!Paging.TryValidate(limit, v))
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        // Newest first: ids are time-ordered, so the page after an id holds the older ones.
        var take = limit ?? Paging.DefaultLimit;
        var query = Pending(db).AsNoTracking();
        if (startingAfter is { } after)
        {
            query = query.Where(a => a.Id.CompareTo(after) < 0);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<ReviewItemResponse>(rows.Take(take).Select(a => Item(a, tenant.Zone)).ToList(), rows.Count > take));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DismissAsync(Guid id, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        if (!await db.AuditEvents.AnyAsync(a => a.Id == id && (a.Action == UnusableConfirmation || a.Action == UnreadableSms), ct))
        {
            return Problems.NotFound("review item");
        }

        if (!await db.AuditEvents.AnyAsync(d => d.Action == Dismissed && d.EntityId == id, ct))
        {
            db.Audit(http.User.Actor(), Dismissed, "audit_event", id);
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.NoContent();
    }

    private static ReviewItemResponse Item(AuditEvent a, DateTimeZone zone)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = a.Data ?? "";
        try
        {
            if (JsonNode.Parse(body) is JsonObject data)
            {
                foreach (var (field, messages) in data["errors"] as JsonObject ?? [])
                {
                    errors[field] = messages is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToArray() : [messages?.ToString() ?? ""];
                }

                body = data["body"]?.GetValue<string>() ?? "";
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // An event written before its JSON was kept within the column's size: show what there is.
            errors["body"] = ["The stored details were cut short."];
        }

        return new ReviewItemResponse(a.Id, a.CreatedAt.InZone(zone), a.Action == UnreadableSms ? ReviewSource.Sms : ReviewSource.C2b, errors, body);
    }
}
