using System.Text.Json;
using Karibu.Data;
using Karibu.Features.Conversations;

namespace Karibu.Features.Messaging;

/// <summary>Reply buttons (at most 3, titles up to 20 characters) shown under a WhatsApp message.</summary>
internal sealed record ReplyButton(string Id, string Title);

internal sealed record ListRow(string Id, string Title, string? Description = null);

internal sealed record ListSection(string Title, List<ListRow> Rows);

/// <summary>A WhatsApp list: one button opening up to 10 rows in up to 10 sections.</summary>
internal sealed record ListMenu(string Button, List<ListSection> Sections);

/// <summary>
/// An approved WhatsApp template: name, language code exactly as approved (es_MX, en, sw), body
/// parameters in order (or named when <see cref="ParameterNames"/> is given) and quick-reply payloads.
/// </summary>
internal sealed record TemplateMessage(
    string Name, string Language, List<string> BodyParameters, List<string>? ParameterNames = null, List<string>? QuickReplyPayloads = null);

/// <summary>What a queued message carries besides its text. Stored as the message's payload.</summary>
internal sealed record OutboundContent
{
    public string? Header { get; init; }
    public string? Footer { get; init; }
    public List<ReplyButton>? Buttons { get; init; }
    public ListMenu? List { get; init; }

    /// <summary>Sent instead of free text when WhatsApp's 24-hour window is closed.</summary>
    public TemplateMessage? Template { get; init; }

    /// <summary>The customer's message this answers (quoted), or, for a read receipt, the message read.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>For a read receipt: also show "typing…" (only when a reply is coming).</summary>
    public bool Typing { get; init; }

    public static OutboundContent? Read(string? payload) =>
        payload is null ? null : JsonSerializer.Deserialize<OutboundContent>(payload, JsonColumn.Options);
}

/// <summary>
/// Queues outbound messages. A queued Message is the outbox row: call these inside the change that
/// causes the message and save them together, and the dispatcher sends it after the commit.
/// </summary>
internal static class Outbox
{
    public const string Text = "text";
    public const string Buttons = "buttons";
    public const string List = "list";
    public const string Template = "template";
    public const string ReadReceipt = "read_receipt";

    public static Message Queue(
        KaribuDb db, Conversation conversation, string body, MessagePurpose purpose,
        OutboundContent? content = null, SenderType sender = SenderType.Ai, DateTime? notBefore = null)
    {
        var message = Create(conversation, body, purpose, content, sender, notBefore);
        db.Messages.Add(message);
        return message;
    }

    /// <summary>The outbox row <see cref="Queue"/> adds, for callers that write thousands at once (<see cref="BulkSave"/>).</summary>
    public static Message Create(
        Conversation conversation, string body, MessagePurpose purpose,
        OutboundContent? content = null, SenderType sender = SenderType.Ai, DateTime? notBefore = null)
    {
        var contentType = content switch
        {
            { Buttons.Count: > 0 } => Buttons,
            { List: not null } => List,
            _ => Text,
        };
        return New(conversation, contentType, body, purpose, content, sender, notBefore);
    }

    /// <summary>A message that may only ever go out as its template (reminders outside the window, win-back).</summary>
    public static Message QueueTemplate(
        KaribuDb db, Conversation conversation, string fallbackText, TemplateMessage template, MessagePurpose purpose, DateTime? notBefore = null) =>
        Add(db, conversation, Template, fallbackText, purpose, new OutboundContent { Template = template }, SenderType.System, notBefore);

    /// <summary>Blue ticks on the customer's message (WhatsApp only), optionally with a typing indicator.</summary>
    public static Message QueueReadReceipt(KaribuDb db, Conversation conversation, string providerMessageId, bool typing) =>
        Add(db, conversation, ReadReceipt, null, MessagePurpose.System, new OutboundContent { ReplyTo = providerMessageId, Typing = typing }, SenderType.System, null);

    private static Message Add(
        KaribuDb db, Conversation conversation, string contentType, string? body, MessagePurpose purpose,
        OutboundContent? content, SenderType sender, DateTime? notBefore)
    {
        var message = New(conversation, contentType, body, purpose, content, sender, notBefore);
        db.Messages.Add(message);
        return message;
    }

    private static Message New(
        Conversation conversation, string contentType, string? body, MessagePurpose purpose,
        OutboundContent? content, SenderType sender, DateTime? notBefore) =>
        new()
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Outbound,
            SenderType = sender,
            Channel = conversation.Channel,
            ContentType = contentType,
            Body = body,
            Purpose = purpose,
            Payload = content is null ? null : JsonSerializer.Serialize(content, JsonColumn.Options),
            Status = MessageStatus.Queued,
            NextAttemptAt = notBefore,
        };

    public static bool IsTransactional(MessagePurpose purpose) =>
        purpose is not (MessagePurpose.WinBack or MessagePurpose.ReviewRequest or MessagePurpose.Campaign);
}
