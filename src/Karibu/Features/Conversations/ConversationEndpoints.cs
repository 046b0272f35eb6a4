using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Conversations;

internal sealed record ConversationResponse(
    Guid Id, Guid OrganizationId, Guid? CustomerId, Guid? StaffId, MessageChannel Channel, ConversationStatus Status,
    DateTimeOffset? BotPausedUntil, DateTimeOffset? LastInboundAt, DateTimeOffset? LastMessageAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConversationResponse From(Conversation c, TenantContext tenant) => new(
        c.Id, c.OrganizationId, c.CustomerId, c.StaffId, c.Channel, c.Status, c.BotPausedUntil.InZone(tenant.Zone), c.LastInboundAt.InZone(tenant.Zone),
        c.LastMessageAt.InZone(tenant.Zone), c.CreatedAt.InZone(tenant.Zone), c.UpdatedAt.InZone(tenant.Zone));
}

internal sealed record MessageResponse(
    Guid Id, Guid ConversationId, MessageDirection Direction, SenderType SenderType, MessageChannel Channel, string ContentType,
    string? Body, MessageStatus Status, string? Error, string? ErrorCode, MessagePurpose Purpose, int Attempts,
    DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, DateTimeOffset? ReadAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static MessageResponse From(Message m, TenantContext tenant) => new(
        m.Id, m.ConversationId, m.Direction, m.SenderType, m.Channel, m.ContentType, m.Body, m.Status, m.Error, m.ErrorCode, m.Purpose,
        m.Attempts, m.SentAt.InZone(tenant.Zone), m.DeliveredAt.InZone(tenant.Zone), m.ReadAt.InZone(tenant.Zone),
        m.CreatedAt.InZone(tenant.Zone), m.UpdatedAt.InZone(tenant.Zone));
}

internal sealed record ReplyRequest(string? Text);

internal sealed record UpdateConversationRequest(string? Status);

internal static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversationEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Conversations");
        group.MapGet("/", List).WithSummary("Conversations with customers and staff; filter by ?status=bot|human|resolved.");
        group.MapGet("/{id:guid}", Get).WithSummary("One conversation.");
        group.MapGet("/{id:guid}/messages", Messages).WithSummary("A conversation's messages, oldest first.");
        group.MapPost("/{id:guid}/messages", ReplyAsync)
            .WithSummary("A person at the business replies ({ text }): it is queued for sending, and the assistant steps back for the takeover period. "
                + "422 when WhatsApp's 24-hour window is closed and there is no SMS fallback (WhatsApp would refuse free text).");
        group.MapPatch("/{id:guid}", UpdateAsync)
            .WithSummary("{ status: bot | human | resolved }: hand the chat back to the assistant, take it over, or close it.");
        return group;
    }

    private static async Task<Results<Ok<Page<ConversationResponse>>, ValidationProblem>> List(
        KaribuDb db, TenantContext tenant, CancellationToken ct,
        string? status = null, int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        Paging.TryValidate(limit, v);
        var wanted = v.Enum<ConversationStatus>("status", status, required: false);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var query = db.Conversations.AsNoTracking();
        if (wanted is { } s)
        {
            query = query.Where(c => c.Status == s);
        }

        return TypedResults.Ok(await query.ToPageAsync(limit, startingAfter, c => ConversationResponse.From(c, tenant), ct));
    }

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> Get(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } conversation
            ? TypedResults.Ok(ConversationResponse.From(conversation, tenant))
            : Problems.NotFound("conversation");

    private static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem, ProblemHttpResult>> Messages(
        Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct,
        int? limit = null, [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var v = new Validation();
        if (!Paging.TryValidate(limit, v))
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound("conversation");
        }

        // Read receipts are outbox rows too, but not part of what was said.
        return TypedResults.Ok(await db.Messages.AsNoTracking().Where(m => m.ConversationId == id && m.ContentType != Messaging.Outbox.ReadReceipt)
            .ToPageAsync(limit, startingAfter, m => MessageResponse.From(m, tenant), ct));
    }

    private static async Task<Results<Created<MessageResponse>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        Guid id, ReplyRequest request, KaribuDb db, TenantContext tenant, ConversationReplies replies, CancellationToken ct)
    {
        // Another tenant's id is a 404 whatever the body says.
        if (await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } conversation)
        {
            return Problems.NotFound("conversation");
        }

        var v = new Validation();
        var text = v.Text("text", request.Text, required: true, max: ConversationReplies.MaxText);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (await replies.ReplyAsync(conversation, text!, ct) is not { } message)
        {
            return Problems.Unprocessable(
                "More than 24 hours have passed since the customer's last WhatsApp message, so WhatsApp only accepts an approved template "
                + "(and SMS fallback is off or no SMS account is connected). The reply was not queued; it can be sent once the customer writes again.");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/conversations/{id}/messages", MessageResponse.From(message, tenant));
    }

    private static async Task<Results<Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateConversationRequest request, KaribuDb db, TenantContext tenant, ConversationReplies replies, CancellationToken ct)
    {
        if (await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } conversation)
        {
            return Problems.NotFound("conversation");
        }

        var v = new Validation();
        var status = v.Enum<ConversationStatus>("status", request.Status, required: true);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        if (status == ConversationStatus.Human)
        {
            replies.TakeOver(conversation);
        }
        else
        {
            ConversationReplies.Release(conversation, status!.Value);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConversationResponse.From(conversation, tenant));
    }
}
