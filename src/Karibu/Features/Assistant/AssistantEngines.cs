using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Llm;
using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Assistant;

/// <summary>
/// Picks the engine that answers a message: the business's own setting, else <c>Karibu:Assistant:Engine</c>.
/// The LLM engine runs behind a savepoint: when it fails (no LLM configured, an error, a timeout, a body we
/// cannot read, the iteration cap, a reply naming a time no tool returned), whatever its tools did is
/// rolled back and the guided engine answers the same message, so the customer is never left unanswered
/// and no half-done booking or cancellation stays behind.
/// </summary>
internal sealed class AssistantEngines(
    KaribuDb db, GuidedEngine guided, LlmEngine llm, IOptions<AssistantOptions> assistant, IOptions<LlmOptions> llmOptions,
    Onboarding.ChatSignup signup, ILogger<AssistantEngines> log)
{
    public const string Guided = "guided";
    public const string Llm = "llm";
    private const string Savepoint = "assistant_llm";

    public async Task RespondAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct)
    {
        // Karibu's own number: people who write to it are signing up a business, not booking.
        if (conversation.CustomerId is not null && await signup.IsPlatformAsync(ct))
        {
            await signup.RespondAsync(conversation, inbound, ct);
            return;
        }

        if (AssistantReplies.IsOff(conversation, organization))
        {
            // Karibu still reads answers to its own questions (a reminder's "sí"); anything else waits for a person.
            if (!await guided.AnswerReminderAsync(conversation, inbound, organization, ct))
            {
                AssistantReplies.WaitForPerson(conversation);
            }

            return;
        }

        if (organization.Settings.AssistantTone != AssistantTones.Formal)
        {
            await AnswerAsync(conversation, inbound, organization, ct);
        }
        else
        {
            var sent = OwnReplies(conversation).ToHashSet();
            await AnswerAsync(conversation, inbound, organization, ct);
            foreach (var reply in OwnReplies(conversation).Where(m => !sent.Contains(m) && m.Body is not null))
            {
                reply.Body = AssistantTones.WithoutEmoji(reply.Body!);
            }
        }
    }

    /// <summary>The replies in this conversation the unit of work holds (what this turn queued is among them).</summary>
    private IEnumerable<Message> OwnReplies(Conversation conversation) =>
        db.ChangeTracker.Entries<Message>().Select(e => e.Entity).Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Outbound);

    private async Task AnswerAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct)
    {
        if ((organization.Settings.AssistantEngine ?? assistant.Value.Engine) == Llm)
        {
            if (!llmOptions.Value.IsConfigured)
            {
                log.LogWarning("{Organization} uses the LLM engine but no LLM is configured (Karibu:Llm); the guided engine answers", organization.Id);
            }
            else if (await TryLlmAsync(conversation, inbound, organization, ct))
            {
                return;
            }
        }

        await guided.RespondAsync(conversation, inbound, organization, ct);
    }

    private async Task<bool> TryLlmAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct)
    {
        // Everything before the assistant (the message itself, the customer) is kept whatever happens next.
        await db.SaveChangesAsync(ct);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var transaction = db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync(Savepoint, ct);
        var tracked = db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        try
        {
            await llm.RespondAsync(conversation, inbound, organization, ct);
            await db.SaveChangesAsync(ct);
            await transaction.ReleaseSavepointAsync(Savepoint, ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "The LLM engine could not answer message {MessageId} of {Organization}; the guided engine answers instead", inbound.Id, organization.Id);
            await transaction.RollbackToSavepointAsync(Savepoint, ct);
            await ForgetAsync(tracked, ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }

            return false;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// After the rollback the change tracker still holds what the tools did: rows they added are forgotten,
    /// rows that were there before are read again (a conversation handed to a human is the bot's again).
    /// </summary>
    private async Task ForgetAsync(HashSet<object> tracked, CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (!tracked.Contains(entry.Entity))
            {
                entry.State = EntityState.Detached;
            }
            else
            {
                await entry.ReloadAsync(ct);
            }
        }
    }
}
