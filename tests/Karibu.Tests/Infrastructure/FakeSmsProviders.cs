using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Karibu.Features.Channels.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Karibu.Tests.Infrastructure;

/// <summary>One request as the fake received it.</summary>
internal sealed record RecordedSmsRequest(
    string Host,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string Body,
    IReadOnlyDictionary<string, string>? Form,
    JsonNode? Json)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake answers to the next send; <see cref="Delay"/> holds the answer back (a hang).</summary>
internal sealed record FakeSmsAnswer(int Status, string Body, string ContentType = "application/json", TimeSpan Delay = default)
{
    /// <summary>A body from fixtures/sms, for example <c>Fixture("africastalking-send-response-mixed.json", 201)</c>.</summary>
    public static FakeSmsAnswer Fixture(string name, int status = 200) => new(status, Fixtures.Read("sms", name));

    public static FakeSmsAnswer Http(int status, string text = "") => new(status, text, "text/plain");

    /// <summary>Holds the answer far longer than any client timeout in the tests (ends when the client gives up).</summary>
    public static FakeSmsAnswer Hang() => new(201, "{}", Delay: TimeSpan.FromSeconds(60));
}

/// <summary>
/// Africa's Talking (live and sandbox, each on its own port, as <c>POST /version1/messaging</c>) and Onfon
/// (<c>POST /v1/sms/SendBulkSMS</c>) on 127.0.0.1. Every request is recorded; keys are checked the way the
/// providers do (Africa's Talking: HTTP 401 plain text; Onfon: HTTP 200 with ErrorCode 007); each provider
/// answers from its queue of <see cref="FakeSmsAnswer"/>s, or with the fixture success body when it is empty.
/// </summary>
internal sealed class FakeSmsProviders : IAsyncDisposable
{
    // The fake keys of the shared fixtures (africastalking-send-form*.http, onfon-send-request.http).
    public const string AfricasTalkingUsername = "mamaduka";
    public const string AfricasTalkingApiKey = "atsk_FAKE0123456789abcdef";
    public const string AfricasTalkingSandboxApiKey = "atsk_FAKEsandbox0123456789";
    public const string OnfonApiKey = "FAKEapiKey+abc123/def456ghi789jkl012mno345=";
    public const string OnfonClientId = "0b7e3c1a-5d2f-4e9b-8a61-3c2d1e0f9a8b";
    public const string OnfonAccessKey = "FAKEaccessKey0123456789ABCDEFGH";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeSmsAnswer> _africasTalking = new();
    private readonly ConcurrentQueue<FakeSmsAnswer> _onfon = new();

    private FakeSmsProviders(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedSmsRequest> Requests { get; } = new();

    /// <summary>The live Africa's Talking host, which also serves Onfon.</summary>
    public string LiveUrl { get; private set; } = "";

    public string SandboxUrl { get; private set; } = "";

    public SmsOptions Options() => new()
    {
        AfricasTalkingBaseUrl = LiveUrl,
        AfricasTalkingSandboxBaseUrl = SandboxUrl,
        OnfonBaseUrl = $"{LiveUrl}/v1/sms/",
    };

    public void NextAfricasTalking(params FakeSmsAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _africasTalking.Enqueue(answer);
        }
    }

    public void NextOnfon(params FakeSmsAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _onfon.Enqueue(answer);
        }
    }

    public static SmsCredentials AfricasTalkingCredentials(string? senderId = "MAMADUKA") => new()
    {
        Provider = SmsProvider.Africastalking,
        Username = AfricasTalkingUsername,
        ApiKey = AfricasTalkingApiKey,
        SenderId = senderId,
    };

    public static SmsCredentials AfricasTalkingSandboxCredentials() => new()
    {
        Provider = SmsProvider.Africastalking,
        Username = "sandbox",
        ApiKey = AfricasTalkingSandboxApiKey,
    };

    public static SmsCredentials OnfonCredentials(string? accessKey = OnfonAccessKey) => new()
    {
        Provider = SmsProvider.Onfon,
        ApiKey = OnfonApiKey,
        ClientId = OnfonClientId,
        AccessKey = accessKey,
        SenderId = "MAMADUKA",
    };

    public static async Task<FakeSmsProviders> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeSmsProviders(app);

        app.MapPost("/version1/messaging", async (HttpContext context) =>
        {
            var request = await fake.RecordAsync(context);
            var sandbox = request.Host == new Uri(fake.SandboxUrl).Authority;
            var expectedKey = sandbox ? AfricasTalkingSandboxApiKey : AfricasTalkingApiKey;
            if (request.Header("apiKey") != expectedKey)
            {
                return Results.Text("The supplied authentication is invalid", "text/plain", statusCode: 401);
            }

            return await AnswerAsync(fake._africasTalking, FakeSmsAnswer.Fixture("africastalking-send-response-success.json", 201), context);
        });

        app.MapPost("/v1/sms/SendBulkSMS", async (HttpContext context) =>
        {
            var request = await fake.RecordAsync(context);
            if (request.Header("AccessKey") != OnfonAccessKey
                || request.Json?["ApiKey"]?.GetValue<string>() != OnfonApiKey
                || request.Json?["ClientId"]?.GetValue<string>() != OnfonClientId)
            {
                return Results.Text("""{"ErrorCode":"007","ErrorDescription":"Invalid api credential","Data":null}""", "application/json");
            }

            return await AnswerAsync(fake._onfon, FakeSmsAnswer.Fixture("onfon-send-response-success.json"), context);
        });

        await app.StartAsync();
        var urls = app.Urls.ToArray();
        fake.LiveUrl = urls[0];
        fake.SandboxUrl = urls[1];
        return fake;
    }

    private static async Task<IResult> AnswerAsync(ConcurrentQueue<FakeSmsAnswer> queue, FakeSmsAnswer fallback, HttpContext context)
    {
        var answer = queue.TryDequeue(out var next) ? next : fallback;
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        return Results.Text(answer.Body, answer.ContentType, statusCode: answer.Status);
    }

    private async Task<RecordedSmsRequest> RecordAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var mediaType = request.ContentType?.Split(';')[0].Trim();

        IReadOnlyDictionary<string, string>? form = null;
        JsonNode? json = null;
        if (mediaType == "application/x-www-form-urlencoded")
        {
            form = QueryHelpers.ParseQuery(body).ToDictionary(f => f.Key, f => f.Value.ToString());
        }
        else if (mediaType == "application/json")
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
                json = null;
            }
        }

        var recorded = new RecordedSmsRequest(
            request.Host.Value ?? "",
            request.Method,
            request.Path.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.ContentType,
            body,
            form,
            json);
        Requests.Enqueue(recorded);
        return recorded;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
