using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Karibu.Tests.Infrastructure;

/// <summary>
/// The Graph API's messages endpoint on a real port (127.0.0.1), used through Karibu's real client.
/// Accepts by default with a fresh wamid; <see cref="Respond"/> scripts other answers per request.
/// </summary>
public sealed class FakeWhatsApp : IAsyncDisposable
{
    public const string AppSecret = "fake_app_secret_0123456789abcdef";
    public const string VerifyToken = "karibu-verify-token";
    public const string PhoneNumberId = "200000000000001";
    public const string WabaId = "100000000000001";
    public const string AccessToken = "EAAG-fake-business-token";

    private readonly WebApplication _app;
    private int _count;

    private FakeWhatsApp(WebApplication app) => _app = app;

    public sealed record Request(string PhoneNumberId, string? Authorization, JsonObject Body, int Number);

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Return (status, body) to answer a request differently; null keeps the default acceptance.</summary>
    public Func<Request, (int Status, string Body)?>? Respond { get; set; }

    /// <summary>Delay before answering (a slow or hanging provider).</summary>
    public TimeSpan Delay { get; set; }

    public string BaseUrl => _app.Urls.Single();

    public IEnumerable<JsonObject> Bodies => Requests.Select(r => r.Body);

    public Dictionary<string, string?> Settings() => new()
    {
        ["Karibu:WhatsApp:GraphBaseUrl"] = BaseUrl,
        ["Karibu:WhatsApp:AppSecret"] = AppSecret,
        ["Karibu:WhatsApp:VerifyToken"] = VerifyToken,
        ["Karibu:Messaging:PollMilliseconds"] = "50",
        ["Karibu:Messaging:RecipientIntervalMilliseconds"] = "0",
    };

    public static async Task<FakeWhatsApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeWhatsApp(app);
        app.MapPost("/v23.0/{phoneNumberId}/messages", async (string phoneNumberId, HttpRequest http) =>
        {
            var body = await JsonNode.ParseAsync(http.Body) as JsonObject ?? [];
            var request = new Request(phoneNumberId, http.Headers.Authorization, body, Interlocked.Increment(ref fake._count));
            fake.Requests.Enqueue(request);
            if (fake.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fake.Delay, http.HttpContext.RequestAborted);
            }

            if (fake.Respond?.Invoke(request) is { } scripted)
            {
                return Results.Content(scripted.Body, "application/json", statusCode: scripted.Status);
            }

            if (body["status"]?.GetValue<string>() == "read")
            {
                return Results.Content("""{"success":true}""", "application/json");
            }

            var to = body["to"]?.GetValue<string>() ?? "";
            return Results.Content(
                $$"""{"messaging_product":"whatsapp","contacts":[{"input":"{{to}}","wa_id":"{{to.TrimStart('+')}}"}],"messages":[{"id":"wamid.FAKE_OUT_{{request.Number}}"}]}""",
                "application/json");
        });
        await app.StartAsync();
        return fake;
    }

    public static string Sign(string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(body)));

    public static async Task<HttpResponseMessage> PostWebhookAsync(HttpClient client, string body, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/whatsapp")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature ?? Sign(body));
        return await client.SendAsync(request);
    }

    /// <summary>An inbound text from a Mexican user (wa_id 521…), shaped like fixtures/whatsapp/inbound-text.json.</summary>
    public static string InboundText(string wamid, string text, DateTimeOffset at, string waId = "5215500000101", string name = "María Fernández",
        string phoneNumberId = PhoneNumberId) =>
        Envelope(phoneNumberId, "contacts", new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = waId }),
            "messages", new JsonObject
            {
                ["from"] = waId,
                ["id"] = wamid,
                ["timestamp"] = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["type"] = "text",
                ["text"] = new JsonObject { ["body"] = text },
            });

    /// <summary>A <c>messages</c> webhook of the Mexican test number carrying one element in <paramref name="array"/>.</summary>
    private static string Envelope(string phoneNumberId, string? extraName, JsonNode? extra, string array, JsonObject element)
    {
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = "525500000001", ["phone_number_id"] = phoneNumberId },
        };
        if (extraName is not null)
        {
            value[extraName] = extra;
        }

        value[array] = new JsonArray(element);
        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = WabaId,
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        }.ToJsonString();
    }

    /// <summary>A status webhook for an outbound message (fixtures/whatsapp/status-*.json shape).</summary>
    public static string Status(string wamid, string status, DateTimeOffset at, string recipient = "5215500000101", string? errorCode = null) =>
        Envelope(PhoneNumberId, null, null, "statuses", new JsonObject
                        {
                            ["id"] = wamid,
                            ["status"] = status,
                            ["timestamp"] = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["recipient_id"] = recipient,
                            ["errors"] = errorCode is null ? null : new JsonArray(new JsonObject
                            {
                                ["code"] = int.Parse(errorCode, System.Globalization.CultureInfo.InvariantCulture),
                                ["title"] = "Re-engagement message",
                                ["message"] = "Re-engagement message",
                                ["error_data"] = new JsonObject { ["details"] = "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
                            }),
                        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public static class Eventually
{
    /// <summary>Polls until the condition holds (background workers), failing with the message after the timeout.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
