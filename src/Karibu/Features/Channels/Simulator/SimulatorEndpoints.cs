using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Karibu.Features.Channels.Simulator;

internal sealed record SimulatedMessageRequest(string? From, string? Text, string? Name, string? Id);

internal sealed record SimulatedMessageAccepted(string Id, string From);

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
            .WithSummary("A customer (or staff member) writes to the business: { from, text, name? }. 202; replies appear in the conversation.");
        return group;
    }

    private static async Task<Results<Accepted<SimulatedMessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsync(
        SimulatedMessageRequest request, TenantContext tenant, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var from = v.Phone("from", request.From, tenant.CountryCode, required: true);
        var text = v.Text("text", request.Text, required: true, max: 4096);
        var name = v.Text("name", request.Name, required: false);
        var id = v.Text("id", request.Id, required: false, max: 100);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var eventId = id ?? $"sim.{Ids.NewId():N}";
        var payload = new System.Text.Json.Nodes.JsonObject { ["from"] = from, ["text"] = text, ["name"] = name, ["id"] = eventId }.ToJsonString();
        var received = new ReceivedEvent(
            eventId, new EventRoute(tenant.OrganizationId!.Value.ToString(), null), from, InboxKind.Message, time.GetUtcNow().UtcDateTime, payload);
        if (await inbox.TryWriteAsync(ChannelDirectory.SimulatorSource, [received], ct) is { } problem)
        {
            return problem;
        }

        return TypedResults.Accepted((string?)null, new SimulatedMessageAccepted(eventId, from!));
    }
}
