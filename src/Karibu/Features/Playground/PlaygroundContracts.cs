using Karibu.Features.Channels.Simulator;

namespace Karibu.Features.Playground;

internal sealed record PlaygroundBusiness(Guid Id, string Name, string Locale, string Timezone, bool IsDemo);

/// <summary>
/// Someone who can write to the business: <c>new:+52…</c> (a new customer with a number nobody has yet),
/// <c>customer:{id}</c>, or <c>staff:{id}</c> (kind <c>staff</c> or <c>owner</c>).
/// </summary>
internal sealed record PlaygroundSender(string Id, string Kind, string? Name, string Phone);

/// <summary>What the playground's phone sends: text, or a tap on a list row or button (as the simulator takes it).</summary>
internal sealed record PlaygroundMessageRequest(string? Sender, string? Text, SimulatedReplyRequest? Reply);

internal sealed record PlaygroundMessageAccepted(string Id, string Sender, string From);

/// <summary>A tappable row or button under an assistant message; tapping sends its id back as an interactive reply.</summary>
internal sealed record PlaygroundChoice(string Id, string Title, string? Description);

/// <summary>The interactive part of a message: a WhatsApp list (<c>list</c>, with its button label) or reply buttons (<c>button</c>).</summary>
internal sealed record PlaygroundChoices(string Type, string? Button, List<PlaygroundChoice> Options);

internal sealed record PlaygroundMessage(
    Guid Id, string Direction, string SenderType, string ContentType, string? Body, string Status, DateTimeOffset CreatedAt, string Time,
    PlaygroundChoices? Choices);

internal sealed record PlaygroundThread(Guid? ConversationId, string Sender, string From, List<PlaygroundMessage> Messages);

internal sealed record AgendaAppointment(
    Guid Id, string Start, string End, string Service, string Customer, string CustomerPhone, string Status, string Source);

/// <summary>Time a staff member does not work that day: a dated block (time off; both times null for the whole day) or a weekly break.</summary>
internal sealed record AgendaBlock(string? Start, string? End, string? Note, bool Recurring);

internal sealed record AgendaStaff(Guid Id, string Name, string Role, List<AgendaAppointment> Appointments, List<AgendaBlock> Blocks);

internal sealed record AgendaOpen(string Open, string Close);

internal sealed record PlaygroundAgenda(string Date, string Today, string Timezone, List<AgendaOpen> Open, List<AgendaStaff> Staff);
