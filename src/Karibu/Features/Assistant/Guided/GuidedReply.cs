using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;

namespace Karibu.Features.Assistant.Guided;

/// <summary>The one reply of a turn (one message per turn, as WhatsApp's pair limit advises), queued in the outbox.</summary>
internal sealed class GuidedReply(KaribuDb db, Conversation conversation, Message inbound, Language language)
{
    public Language Language { get; } = language;

    public Message Inbound { get; } = inbound;

    public void Text(string body) => Outbox.Queue(db, conversation, body, MessagePurpose.Reply);

    public void Buttons(string body, List<ReplyButton>? buttons) =>
        Outbox.Queue(db, conversation, body, MessagePurpose.Reply, buttons is { Count: > 0 } ? new OutboundContent { Buttons = buttons } : null);

    public void List(string body, ListMenu menu) => Outbox.Queue(db, conversation, body, MessagePurpose.Reply, new OutboundContent { List = menu });

    /// <summary>"Sí" / "No" buttons; their ids ("yes", "no") read as yes/no like typed answers.</summary>
    public static List<ReplyButton> YesNo(Language l) =>
    [
        new ReplyButton("yes", l switch { Language.Es => "Sí", Language.Sw => "Ndiyo", _ => "Yes" }),
        new ReplyButton("no", l switch { Language.Es => "No", Language.Sw => "Hapana", _ => "No" }),
    ];
}
