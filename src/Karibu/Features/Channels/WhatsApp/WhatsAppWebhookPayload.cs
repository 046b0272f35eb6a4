using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Features.Messaging;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>
/// Splits one WhatsApp webhook body into the events it carries (specs/whatsapp-cloud-api.md §2.5–2.6):
/// any number of entries (possibly of several businesses), changes, messages, statuses, value-level
/// errors, Coexistence echoes and sync events, and fields Karibu does not know. Each event keeps the
/// JSON it needs (its element plus the contact and metadata around it) for later processing.
/// </summary>
internal static class WhatsAppWebhookPayload
{
    public const string Source = "whatsapp";

    /// <summary>Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
    public static List<ReceivedEvent> Split(ReadOnlySpan<byte> body)
    {
        var root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
            ?? throw new JsonException("The body is not a JSON object.");
        var events = new List<ReceivedEvent>();
        foreach (var entry in Objects(root["entry"]))
        {
            var wabaId = Text(entry["id"]);
            var entryTime = entry["time"] is JsonValue t && t.TryGetValue<long>(out var seconds) ? seconds : (long?)null;
            foreach (var change in Objects(entry["changes"]))
            {
                var field = Text(change["field"]) ?? "unknown";
                var value = change["value"] as JsonObject;
                var phoneNumberId = Text(value?["metadata"]?["phone_number_id"]);
                var route = new EventRoute(phoneNumberId, wabaId);
                switch (field)
                {
                    case "messages" when value is not null:
                        AddMessages(events, route, value);
                        break;
                    case "smb_message_echoes" when value is not null:
                        AddEchoes(events, route, value);
                        break;
                    default:
                        var raw = change.ToJsonString();
                        var kind = field == "account_update" ? InboxKind.Account : InboxKind.Other;
                        events.Add(new ReceivedEvent(
                            $"{field}:{Hash(raw)}", route, null, kind, FromUnix(entryTime), raw));
                        break;
                }
            }
        }

        return events;
    }

    private static void AddMessages(List<ReceivedEvent> events, EventRoute route, JsonObject value)
    {
        var metadata = value["metadata"];
        var contacts = Objects(value["contacts"]).ToList();
        foreach (var message in Objects(value["messages"]))
        {
            var from = Text(message["from"]);
            var fromUser = Text(message["from_user_id"]);
            var contact = contacts.FirstOrDefault(c => (from is not null && Text(c["wa_id"]) == from)
                    || (fromUser is not null && Text(c["user_id"]) == fromUser))
                ?? (contacts.Count == 1 ? contacts[0] : null);
            var id = Text(message["id"]);
            var payload = new JsonObject
            {
                ["metadata"] = metadata?.DeepClone(),
                ["contact"] = contact?.DeepClone(),
                ["message"] = message.DeepClone(),
            }.ToJsonString();
            events.Add(new ReceivedEvent(
                id ?? $"message:{Hash(payload)}", route, from ?? fromUser, InboxKind.Message, Timestamp(message), payload));
        }

        foreach (var status in Objects(value["statuses"]))
        {
            var payload = new JsonObject { ["metadata"] = metadata?.DeepClone(), ["status"] = status.DeepClone() }.ToJsonString();
            var id = Text(status["id"]);
            var key = id is null ? $"status:{Hash(payload)}" : $"{id}:{Text(status["status"]) ?? "unknown"}";
            events.Add(new ReceivedEvent(
                key, route, Text(status["recipient_id"]) ?? Text(status["recipient_user_id"]), InboxKind.Status, Timestamp(status), payload));
        }

        if (value["errors"] is JsonArray { Count: > 0 })
        {
            var raw = value.ToJsonString();
            events.Add(new ReceivedEvent($"errors:{Hash(raw)}", route, null, InboxKind.Error, DateTime.UnixEpoch, raw));
        }
    }

    private static void AddEchoes(List<ReceivedEvent> events, EventRoute route, JsonObject value)
    {
        foreach (var echo in Objects(value["message_echoes"]))
        {
            var payload = new JsonObject { ["metadata"] = value["metadata"]?.DeepClone(), ["echo"] = echo.DeepClone() }.ToJsonString();
            var id = Text(echo["id"]);
            events.Add(new ReceivedEvent(
                $"echo:{id ?? Hash(payload)}", route, Text(echo["to"]) ?? Text(echo["to_user_id"]), InboxKind.Echo, Timestamp(echo), payload));
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>Ids are strings in Meta's payloads; a number is read as its digits, anything else as absent.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    private static DateTime Timestamp(JsonObject element) =>
        FromUnix(long.TryParse(Text(element["timestamp"]), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null);

    private static DateTime FromUnix(long? seconds) =>
        seconds is >= 0 and < 253402300800 ? DateTime.UnixEpoch.AddSeconds(seconds.Value) : DateTime.UnixEpoch;

    private static string Hash(string raw) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..32];

    /// <summary>
    /// <c>X-Hub-Signature-256</c>: <c>sha256=</c> + hex HMAC-SHA256 of the raw body with the app secret,
    /// compared in constant time.
    /// </summary>
    public static bool IsValidSignature(ReadOnlySpan<byte> body, string? header, byte[] appSecret)
    {
        const string Prefix = "sha256=";
        if (header is null || header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), received, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(appSecret, body, expected);
        return CryptographicOperations.FixedTimeEquals(received, expected);
    }
}

