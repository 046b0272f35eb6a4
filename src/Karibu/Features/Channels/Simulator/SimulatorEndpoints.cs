using System.Text.Json.Nodes;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Karibu.Features.Channels.Simulator;

internal sealed record SimulatedMessageRequest(string? From, string? Text, string? Name, string? Id, SimulatedReplyRequest? Reply);

/// <summary>A tap on a WhatsApp list row (<c>list</c>) or reply button (<c>button</c>): its id and the title shown.</summary>
internal sealed record SimulatedReplyRequest(string? Type, string? Id, string? Title);

internal sealed record SimulatedMessageAccepted(string Id, string From);

/// <summary>What a simulated message says: text, or a tap on a list row or button.</summary>
internal sealed record SimulatedContent(string? Text, string? ReplyType, string? ReplyId, string? ReplyTitle);

/// <summary>
/// The simulator channel: a customer's message typed into Karibu instead of sent from a phone. It goes
/// through the same inbox, processing, assistant and outbox as WhatsApp and SMS; replies stay in the
/// database (read them from the conversation's messages). Used by the demo business, the playground
/// page and tests.
/// </summary>
internal static class SimulatorEndpoints
{
    public static RouteGroupBuilder MapSimulatorEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Simulator");
        group.MapPost("/messages", SendAsync)
            .WithSummary("A customer (or staff member) writes to the business: { from, text, name? }, or taps a list row or button: " +
                         "{ from, reply: { type: list | button, id, title } }. 202; replies appear in the conversation.");
        return group;
    }

    private static async Task<Results<Accepted<SimulatedMessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsync(
        SimulatedMessageRequest request, TenantContext tenant, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var from = v.Phone("from", request.From, tenant.CountryCode, required: true);
        var content = ReadContent(v, request.Text, request.Reply);
        var name = v.Text("name", request.Name, required: false);
        var id = v.Text("id", request.Id, required: false, max: 100);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var (eventId, problem) = await WriteAsync(tenant, inbox, time, from!, content!, name, id, ct);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Accepted((string?)null, new SimulatedMessageAccepted(eventId, from!));
    }

    /// <summary>Checks a message's text or tapped reply (exactly one of them); null when invalid (the errors are in <paramref name="v"/>).</summary>
    public static SimulatedContent? ReadContent(Validation v, string? text, SimulatedReplyRequest? reply)
    {
        if (reply is null)
        {
            var body = v.Text("text", text, required: true, max: 4096);
            return body is null ? null : new SimulatedContent(body, null, null, null);
        }

        if (text is not null)
        {
            v.Add("text", "Send either text or a reply, not both.");
        }

        var type = reply.Type?.Trim() is "list" or "button" ? reply.Type.Trim() : null;
        if (type is null)
        {
            v.Add("reply.type", "Must be 'list' or 'button'.");
        }

        var id = v.Text("reply.id", reply.Id, required: true, max: 200);
        var title = v.Text("reply.title", reply.Title, required: true, max: 100);
        return v.IsValid ? new SimulatedContent(null, type, id, title) : null;
    }

    /// <summary>
    /// Stores a simulated message in the inbox exactly as a webhook would, shaped like WhatsApp's where it
    /// matters (a tap carries <c>interactive.list_reply</c> or <c>interactive.button_reply</c>). The
    /// playground sends through here too.
    /// </summary>
    public static async Task<(string EventId, ProblemHttpResult? Problem)> WriteAsync(
        TenantContext tenant, InboxWriter inbox, TimeProvider time, string from, SimulatedContent content, string? name, string? id, CancellationToken ct)
    {
        var eventId = id ?? $"sim.{Ids.NewId():N}";
        var payload = new JsonObject { ["from"] = from, ["text"] = content.Text, ["name"] = name, ["id"] = eventId };
        if (content.ReplyType is { } type)
        {
            var kind = type == "list" ? "list_reply" : "button_reply";
            payload["interactive"] = new JsonObject { ["type"] = kind, [kind] = new JsonObject { ["id"] = content.ReplyId, ["title"] = content.ReplyTitle } };
        }

        var received = new ReceivedEvent(
            eventId, new EventRoute(tenant.OrganizationId!.Value.ToString(), null), from, InboxKind.Message, time.GetUtcNow().UtcDateTime, payload.ToJsonString());
        return (eventId, await inbox.TryWriteAsync(ChannelDirectory.SimulatorSource, [received], ct));
    }
}
