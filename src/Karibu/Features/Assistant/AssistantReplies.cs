using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Assistant;

/// <summary>
/// Decides whether the assistant may speak in a conversation, and answers what it cannot read yet.
/// A person taking over (replying from the owner app, or typing on the business phone, seen as a
/// Coexistence echo) silences it until they hand the chat back or the takeover times out.
/// </summary>
internal sealed class AssistantReplies(KaribuDb db, IOptions<AssistantOptions> options, TimeProvider time)
{
    /// <summary>What the assistant reads: text, button and list taps, template quick replies.</summary>
    public static readonly HashSet<string> Readable = ["text", "interactive", "button"];

    /// <summary>Events that need no answer: reactions, edits and deletions, number changes, a chat being opened.</summary>
    private static readonly HashSet<string> Silent = ["reaction", "edit", "revoke", "system", "request_welcome"];

    public void TakeOver(Conversation conversation)
    {
        conversation.Status = ConversationStatus.Human;
        conversation.BotPausedUntil = time.GetUtcNow().UtcDateTime.AddHours(options.Value.HumanTakeoverHours);
    }

    /// <summary>True when the assistant may answer; an expired takeover hands the chat back on the way.</summary>
    public bool MaySpeak(Conversation conversation)
    {
        if (conversation.Status == ConversationStatus.Human && conversation.BotPausedUntil is { } until && until <= time.GetUtcNow().UtcDateTime)
        {
            conversation.Status = ConversationStatus.Bot;
            conversation.BotPausedUntil = null;
        }

        return conversation.Status != ConversationStatus.Human;
    }

    /// <summary>
    /// Answers an inbound message the assistant cannot read (a photo, a voice note...) with a short, kind note; when the
    /// business has turned the assistant off, the customer's chat waits for a person instead.
    /// </summary>
    public bool AnswerUnreadable(Conversation conversation, Message inbound, Organizations.Organization organization)
    {
        // Anything else (photos, voice notes, stickers, polls and types WhatsApp adds later) gets the same kind note.
        if (inbound.Direction != MessageDirection.Inbound || Readable.Contains(inbound.ContentType) || Silent.Contains(inbound.ContentType)
            || !MaySpeak(conversation))
        {
            return false;
        }

        if (IsOff(conversation, organization))
        {
            WaitForPerson(conversation);
            return true;
        }

        Outbox.Queue(db, conversation, UnreadableText(organization.Locale, inbound.ContentType), MessagePurpose.Reply,
            inbound.ProviderMessageId is { } id && inbound.Channel == MessageChannel.Whatsapp ? new OutboundContent { ReplyTo = id } : null);
        return true;
    }

    /// <summary>The business turned the assistant off and this is a customer's chat (staff's commands keep working).</summary>
    public static bool IsOff(Conversation conversation, Organizations.Organization organization) =>
        conversation.CustomerId is not null && !organization.Settings.AssistantEnabled;

    /// <summary>The chat shows as "needs a person" in the inbox, as after a hand-off, until someone answers or hands it back.</summary>
    public static void WaitForPerson(Conversation conversation)
    {
        conversation.Status = ConversationStatus.Human;
        conversation.BotPausedUntil = null;
    }

    public static string UnreadableText(string locale, string contentType) => (locale.Split('-')[0].ToLowerInvariant(), contentType) switch
    {
        ("es", "audio") => "¡Gracias por tu mensaje de voz! Por ahora solo puedo leer texto. ¿Me lo escribes, por favor? 🙏",
        ("es", _) => "¡Gracias! Por ahora solo puedo leer mensajes de texto. ¿Me escribes lo que necesitas? Por ejemplo: «quiero un corte mañana en la tarde».",
        ("sw", "audio") => "Asante kwa ujumbe wa sauti! Kwa sasa ninasoma maandishi tu. Tafadhali niandikie. 🙏",
        ("sw", _) => "Asante! Kwa sasa ninasoma ujumbe wa maandishi tu. Niandikie unachohitaji, kwa mfano: «nataka kunyoa kesho jioni».",
        (_, "audio") => "Thanks for the voice note! For now I can only read text. Could you type it for me, please? 🙏",
        _ => "Thanks! For now I can only read text messages. Tell me what you need, for example: \"a haircut tomorrow afternoon\".",
    };
}
