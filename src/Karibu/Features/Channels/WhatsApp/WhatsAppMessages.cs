using System.Text.Json.Nodes;
using Karibu.Features.Messaging;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>
/// Builds Graph API message bodies (specs/whatsapp-cloud-api.md §7): text, reply buttons, lists,
/// templates with positional or named parameters and quick-reply payloads, and read receipts.
/// Texts are cut to WhatsApp's limits here so a long name never turns a reply into error 100.
/// </summary>
internal static class WhatsAppMessages
{
    /// <summary>A read receipt for an inbound message, optionally with the typing indicator.</summary>
    public static JsonObject ReadReceipt(string messageId, bool typing)
    {
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["status"] = "read", ["message_id"] = messageId };
        if (typing)
        {
            body["typing_indicator"] = new JsonObject { ["type"] = "text" };
        }

        return body;
    }

    /// <summary>
    /// <paramref name="to"/> is an E.164 number (always with +: without it Meta prepends the business's
    /// country code) or, for people WhatsApp only names by business-scoped user id, that id.
    /// </summary>
    public static JsonObject Build(string to, string? body, OutboundContent? content, bool asTemplate, string? callbackData)
    {
        var message = new JsonObject { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual" };
        message[to.StartsWith('+') ? "to" : "recipient"] = to;
        if (content?.ReplyTo is { } replyTo && !asTemplate)
        {
            message["context"] = new JsonObject { ["message_id"] = replyTo };
        }

        if (callbackData is not null)
        {
            message["biz_opaque_callback_data"] = callbackData;
        }

        if (asTemplate && content?.Template is { } template)
        {
            message["type"] = "template";
            message["template"] = Template(template);
        }
        else if (content?.Buttons is { Count: > 0 } buttons)
        {
            message["type"] = "interactive";
            message["interactive"] = Interactive("button", body, content, new JsonObject
            {
                ["buttons"] = new JsonArray(buttons.Take(3).Select(b => (JsonNode)new JsonObject
                {
                    ["type"] = "reply",
                    ["reply"] = new JsonObject { ["id"] = Cut(b.Id, 256), ["title"] = Cut(b.Title, 20) },
                }).ToArray()),
            }, bodyLimit: 1024);
        }
        else if (content?.List is { } list)
        {
            var rowsLeft = 10;
            var sections = new JsonArray();
            foreach (var section in list.Sections.Take(10))
            {
                var rows = section.Rows.Take(rowsLeft).ToList();
                rowsLeft -= rows.Count;
                if (rows.Count == 0)
                {
                    continue;
                }

                sections.Add(new JsonObject
                {
                    ["title"] = Cut(section.Title, 24),
                    ["rows"] = new JsonArray(rows.Select(r =>
                    {
                        var row = new JsonObject { ["id"] = Cut(r.Id, 200), ["title"] = Cut(r.Title, 24) };
                        if (r.Description is { Length: > 0 } d)
                        {
                            row["description"] = Cut(d, 72);
                        }

                        return (JsonNode)row;
                    }).ToArray()),
                });
            }

            message["type"] = "interactive";
            message["interactive"] = Interactive("list", body, content, new JsonObject { ["button"] = Cut(list.Button, 20), ["sections"] = sections }, bodyLimit: 4096);
        }
        else
        {
            message["type"] = "text";
            message["text"] = new JsonObject { ["preview_url"] = false, ["body"] = Cut(body ?? "", 4096) };
        }

        return message;
    }

    private static JsonObject Interactive(string type, string? body, OutboundContent content, JsonObject action, int bodyLimit)
    {
        var interactive = new JsonObject { ["type"] = type };
        if (content.Header is { Length: > 0 } header)
        {
            interactive["header"] = new JsonObject { ["type"] = "text", ["text"] = Cut(header, 60) };
        }

        interactive["body"] = new JsonObject { ["text"] = Cut(body ?? "", bodyLimit) };
        if (content.Footer is { Length: > 0 } footer)
        {
            interactive["footer"] = new JsonObject { ["text"] = Cut(footer, 60) };
        }

        interactive["action"] = action;
        return interactive;
    }

    private static JsonObject Template(TemplateMessage template)
    {
        var components = new JsonArray();
        if (template.BodyParameters.Count > 0)
        {
            components.Add(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(template.BodyParameters.Select((value, i) =>
                {
                    var parameter = new JsonObject { ["type"] = "text" };
                    if (template.ParameterNames is { } names && i < names.Count)
                    {
                        parameter["parameter_name"] = names[i];
                    }

                    parameter["text"] = value;
                    return (JsonNode)parameter;
                }).ToArray()),
            });
        }

        foreach (var (payload, index) in (template.QuickReplyPayloads ?? []).Select((p, i) => (p, i)))
        {
            components.Add(new JsonObject
            {
                ["type"] = "button",
                ["sub_type"] = "quick_reply",
                ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = payload }),
            });
        }

        var result = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = template.Language } };
        if (components.Count > 0)
        {
            result["components"] = components;
        }

        return result;
    }

    /// <summary>Cuts at a character boundary (never between the halves of an emoji), adding "…" when cut.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = max - 1;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return string.Concat(text.AsSpan(0, end), "…");
    }
}
