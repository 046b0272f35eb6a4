using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Tools;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// The LLM engine: the conversation's latest messages, a system prompt of facts and the sender's tools go
/// to the model; the tools it calls run (each re-checking the sender's rights and its arguments) and their
/// results go back, until it answers in words or the iteration cap is reached. Any failure is thrown: the
/// caller (<see cref="AssistantEngines"/>) undoes the turn's effects and lets the guided engine answer.
/// </summary>
internal sealed class LlmEngine(
    KaribuDb db, TenantContext tenant, AssistantTools tools, ILlmChat chat, IOptions<LlmOptions> options, TimeProvider time, ILogger<LlmEngine> log)
{
    /// <summary>WhatsApp's text limit is 4096 characters.</summary>
    private const int MaxReply = 4000;

    /// <summary>Stop reasons after which the text is not a finished answer.</summary>
    private static readonly HashSet<string> Unfinished = ["max_tokens", "length", "refusal", "content_filter", "model_context_window_exceeded", "pause_turn"];

    public async Task RespondAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct)
    {
        var o = options.Value;
        var asker = await AskerAsync(conversation, ct) ?? throw new LlmException("The conversation has no known sender.");
        if (string.IsNullOrWhiteSpace(inbound.Body))
        {
            throw new LlmException("The message has no text to send to the model.");
        }

        var zone = tenant.Zone;
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var turn = new ToolTurn(asker, conversation, inbound, organization, zone, now);
        var offered = tools.For(asker);
        var definitions = offered.Select(t => new LlmToolDefinition(t.Name, t.Description, t.Schema)).ToList();
        var system = await SystemPromptAsync(turn, ct);
        var messages = await HistoryAsync(conversation, inbound, o.HistoryMessages, ct);

        // The model's calls share one budget; tools run on the caller's token so a database write is never cut halfway.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(o.TurnTimeoutSeconds));
        string? text = null;
        for (var call = 1; call <= o.MaxToolIterations && text is null; call++)
        {
            LlmReply reply;
            try
            {
                reply = await chat.CompleteAsync(new LlmRequest(system, messages, definitions), budget.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new LlmException($"The turn took longer than {o.TurnTimeoutSeconds} s.");
            }

            if (reply.Content.Count > 0)
            {
                messages.Add(new LlmMessage(LlmRole.Assistant, reply.Content));
            }

            var calls = reply.ToolCalls;
            if (calls.Count == 0)
            {
                if (Unfinished.Contains(reply.StopReason))
                {
                    throw new LlmException($"The model stopped with '{reply.StopReason}'.");
                }

                text = reply.Text.Trim();
                break;
            }

            var results = new List<LlmBlock>();
            foreach (var toolCall in calls)
            {
                var tool = offered.FirstOrDefault(t => t.Name == toolCall.Name);
                var result = tool is null
                    ? ToolResult.Error("unknown_tool", $"There is no function '{toolCall.Name}' for this sender.")
                    : await tool.InvokeAsync(toolCall.Input, turn, ct);
                log.LogInformation("LLM tool {Tool} for a {Role}: {Outcome}", toolCall.Name, asker.Role, result.IsError ? result.Content : "ok");
                results.Add(new LlmToolResult(toolCall.Id, result.Content, result.IsError));
            }

            messages.Add(new LlmMessage(LlmRole.User, results));
        }

        if (text is null)
        {
            throw new LlmException($"Still calling tools after {o.MaxToolIterations} model calls.");
        }

        if (text.Length == 0)
        {
            text = turn.HandedOff ? GuidedTexts.Handoff(GuidedTexts.FromLocale(organization.Locale)) : throw new LlmException("The model answered with no text.");
        }

        // The prompt says it; this makes sure of it: a time no tool returned never reaches the customer.
        if (TimeMentions.FirstUnknown(text, turn.KnownTimes) is { } invented)
        {
            throw new LlmException($"The reply names {invented:HH:mm}, a time no tool returned.");
        }

        Outbox.Queue(db, conversation, text.Length > MaxReply ? text[..MaxReply] : text, MessagePurpose.Reply);
    }

    private async Task<Asker?> AskerAsync(Conversation conversation, CancellationToken ct)
    {
        if (conversation.StaffId is { } staffId)
        {
            var member = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == staffId && s.IsActive, ct);
            return member is null ? null : new Asker(null, member);
        }

        return conversation.CustomerId is { } customerId ? new Asker(customerId, null) : null;
    }

    private async Task<string> SystemPromptAsync(ToolTurn turn, CancellationToken ct)
    {
        var services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        var location = await db.Locations.AsNoTracking().Where(l => l.IsPrimary).FirstOrDefaultAsync(ct);
        AssistantTools.KnowHours(turn, location?.BusinessHours);

        string? name;
        var appointments = new List<PromptAppointment>();
        if (turn.Asker.Staff is { } member)
        {
            name = member.Name;
        }
        else
        {
            name = await db.Customers.AsNoTracking().Where(c => c.Id == turn.Asker.CustomerId).Select(c => c.DisplayName).FirstOrDefaultAsync(ct);
            var now = turn.Now.ToDateTimeUtc();
            var upcoming = await db.Appointments.AsNoTracking()
                .Where(a => a.CustomerId == turn.Asker.CustomerId && a.StartAt >= now && AppointmentStatuses.Active.Contains(a.Status))
                .OrderBy(a => a.StartAt).Take(5).ToListAsync(ct);
            var staff = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
            foreach (var a in upcoming)
            {
                var start = Instant.FromDateTimeUtc(a.StartAt);
                turn.Know(start);
                appointments.Add(new PromptAppointment(a.Id, start.InZone(turn.Zone).LocalDateTime,
                    services.FirstOrDefault(s => s.Id == a.ServiceId)?.Name ?? "", staff.GetValueOrDefault(a.StaffId) ?? ""));
            }
        }

        return LlmPrompts.System(new PromptFacts(
            turn.Organization, turn.Now.InZone(turn.Zone), turn.Asker, name, services, location?.BusinessHours, location?.Address, appointments));
    }

    /// <summary>
    /// The latest messages of the chat as alternating turns, oldest first, ending with the message being
    /// answered. Replies the business sent (assistant or a person) are the assistant's side.
    /// </summary>
    private async Task<List<LlmMessage>> HistoryAsync(Conversation conversation, Message inbound, int count, CancellationToken ct)
    {
        var latest = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Id != inbound.Id && m.Body != null && m.ContentType != Outbox.ReadReceipt
                        && (m.Direction == MessageDirection.Inbound || m.Purpose == MessagePurpose.Reply || m.SenderType == SenderType.Staff))
            .OrderByDescending(m => m.Id)
            .Take(count - 1)
            .ToListAsync(ct);
        latest.Reverse();
        latest.Add(inbound);

        var turns = new List<(LlmRole Role, List<string> Texts)>();
        foreach (var m in latest)
        {
            var role = m.Direction == MessageDirection.Inbound ? LlmRole.User : LlmRole.Assistant;
            if (turns.Count == 0 && role == LlmRole.Assistant)
            {
                continue; // the model's side cannot come first
            }

            if (turns.Count > 0 && turns[^1].Role == role)
            {
                turns[^1].Texts.Add(m.Body ?? "");
            }
            else
            {
                turns.Add((role, [m.Body ?? ""]));
            }
        }

        return turns.Select(t => new LlmMessage(t.Role, [new LlmText(string.Join("\n", t.Texts))])).ToList();
    }
}
