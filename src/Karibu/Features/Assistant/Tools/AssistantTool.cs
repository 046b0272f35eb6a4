using System.Collections.Concurrent;
using System.Text.Json;
using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using NodaTime;

namespace Karibu.Features.Assistant.Tools;

/// <summary>Who wrote: a customer, or a staff member (an owner or an employee with their permissions).</summary>
internal sealed record Asker(Guid? CustomerId, StaffMember? Staff)
{
    public bool IsCustomer => Staff is null && CustomerId is not null;

    public bool IsStaff => Staff is not null;

    public bool IsOwner => Staff?.Role == StaffRole.Owner;

    /// <summary>Owners may do everything; employees what their permissions say.</summary>
    public bool May(string permission) => IsOwner || (Staff?.Permissions.Contains(permission) ?? false);

    public string Role => IsOwner ? "owner" : IsStaff ? "staff" : "customer";
}

/// <summary>What a tool answers the model: a JSON document, flagged when it is an error the model should recover from.</summary>
internal sealed record ToolResult(string Content, bool IsError)
{
    public static ToolResult Ok(object value) => new(JsonSerializer.Serialize(value, ToolSchema.Json), false);

    public static ToolResult Error(string code, string message) =>
        new(JsonSerializer.Serialize(new { error = code, message }, ToolSchema.Json), true);
}

/// <summary>
/// One assistant turn as the tools see it: who asks, in which chat, today's date in the business's zone,
/// and what the tools returned so far (the times offered, every clock time a tool stated).
/// </summary>
internal sealed class ToolTurn(Asker asker, Conversation conversation, Message inbound, Organization organization, DateTimeZone zone, Instant now)
{
    public Asker Asker { get; } = asker;
    public Conversation Conversation { get; } = conversation;
    public Message Inbound { get; } = inbound;
    public Organization Organization { get; } = organization;
    public DateTimeZone Zone { get; } = zone;
    public Instant Now { get; } = now;
    public LocalDate Today => Now.InZone(Zone).Date;

    /// <summary>The free times check_availability returned in this turn.</summary>
    public List<Slot> Offered { get; } = [];

    /// <summary>Clock times (business time zone) a tool stated this turn: offered slots, appointments, opening hours.</summary>
    public HashSet<LocalTime> KnownTimes { get; } = [];

    /// <summary>Set once hand_off_to_human ran: the chat is a person's now.</summary>
    public bool HandedOff { get; set; }

    public void Know(Instant instant) => KnownTimes.Add(instant.InZone(Zone).TimeOfDay);
}

/// <summary>
/// A function the model may call. Its arguments are a typed record; the schema offered to the model is
/// generated from that record, and what the model sends is read back into it before anything runs.
/// Who may call it is checked twice: the tool is only offered to those senders, and checked again on call.
/// </summary>
internal abstract class AssistantTool(string name, string description, Func<Asker, bool> allowed)
{
    private static readonly ConcurrentDictionary<Type, JsonElement> Schemas = new();

    public string Name { get; } = name;

    public string Description { get; } = description;

    public abstract Type Arguments { get; }

    public JsonElement Schema => Schemas.GetOrAdd(Arguments, ToolSchema.For);

    public bool IsFor(Asker asker) => allowed(asker);

    public abstract Task<ToolResult> InvokeAsync(JsonElement input, ToolTurn turn, CancellationToken ct);
}

internal sealed class AssistantTool<TArguments>(
    string name, string description, Func<Asker, bool> allowed, Func<TArguments, ToolTurn, CancellationToken, Task<ToolResult>> run)
    : AssistantTool(name, description, allowed)
    where TArguments : class
{
    public override Type Arguments => typeof(TArguments);

    public override async Task<ToolResult> InvokeAsync(JsonElement input, ToolTurn turn, CancellationToken ct)
    {
        if (!IsFor(turn.Asker))
        {
            return ToolResult.Error("not_allowed", "This sender may not use this function.");
        }

        TArguments? arguments;
        try
        {
            arguments = input.ValueKind == JsonValueKind.Object ? input.Deserialize<TArguments>(ToolSchema.Json) : null;
        }
        catch (JsonException e)
        {
            return ToolResult.Error("invalid_arguments", $"The arguments do not match the schema{(e.Path is { } p ? $" at {p}" : "")}: {e.Message}");
        }

        return arguments is null
            ? ToolResult.Error("invalid_arguments", "The arguments must be a JSON object matching the schema.")
            : await run(arguments, turn, ct);
    }
}
