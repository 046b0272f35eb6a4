using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Karibu.Tests.Infrastructure;

/// <summary>
/// A language model server on 127.0.0.1 speaking both wire formats: Anthropic's <c>POST /v1/messages</c>
/// and OpenAI's <c>POST /v1/chat/completions</c>. It records every request and answers from a script of
/// responses built from the recorded exchanges in <c>shared/fixtures/llm</c>; past the script it answers 500.
/// </summary>
public sealed class FakeLlm : IAsyncDisposable
{
    public const string ApiKey = "sk-ant-test-key-0123456789";
    public const string Model = "claude-sonnet-4-5";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<Request, Reply>> _script = new();
    private int _ids;

    private FakeLlm(WebApplication app) => _app = app;

    public sealed record Request(string Path, IReadOnlyDictionary<string, string> Headers, JsonObject Body)
    {
        public IEnumerable<string> ToolNames => (Body["tools"] as JsonArray ?? []).Select(t => (t?["name"] ?? t?["function"]?["name"])!.GetValue<string>());

        /// <summary>The system prompt, whichever format carried it.</summary>
        public string System => Body["system"] switch
        {
            JsonArray blocks => string.Concat(blocks.Select(b => b?["text"]?.GetValue<string>())),
            JsonValue text => text.GetValue<string>(),
            _ => Body["messages"]?[0]?["content"]?.GetValue<string>() ?? "",
        };

        /// <summary>Anthropic tool_result blocks of the last user message: (tool_use_id, content, is_error).</summary>
        public List<(string Id, JsonObject Content, bool IsError)> ToolResults =>
            ((Body["messages"] as JsonArray)?.Last()?["content"] as JsonArray ?? [])
                .Where(b => b?["type"]?.GetValue<string>() == "tool_result")
                .Select(b => (b!["tool_use_id"]!.GetValue<string>(), (JsonObject)JsonNode.Parse(b["content"]!.GetValue<string>())!, b["is_error"]?.GetValue<bool>() ?? false))
                .ToList();
    }

    public sealed record Reply(int Status, string Body, TimeSpan Delay = default);

    public ConcurrentQueue<Request> Requests { get; } = new();

    public string BaseUrl => _app.Urls.Single();

    /// <summary>App settings for the Anthropic provider (no SDK retries, so error tests see exactly one call).</summary>
    public Dictionary<string, string?> AnthropicSettings(int timeoutSeconds = 5, int maxIterations = 6) => new()
    {
        ["Karibu:Llm:Provider"] = "anthropic",
        ["Karibu:Llm:BaseUrl"] = BaseUrl,
        ["Karibu:Llm:ApiKey"] = ApiKey,
        ["Karibu:Llm:Model"] = Model,
        ["Karibu:Llm:MaxRetries"] = "0",
        ["Karibu:Llm:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Karibu:Llm:MaxToolIterations"] = maxIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public Dictionary<string, string?> OpenAiSettings() => new()
    {
        ["Karibu:Llm:Provider"] = "openai",
        ["Karibu:Llm:BaseUrl"] = BaseUrl + "/v1",
        ["Karibu:Llm:ApiKey"] = "ollama",
        ["Karibu:Llm:Model"] = "qwen2.5:7b-instruct",
        ["Karibu:Llm:TimeoutSeconds"] = "5",
    };

    /// <summary>Adds the next answers, in order; each may look at the request it answers.</summary>
    public void Then(params Func<Request, Reply>[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public void Then(params Reply[] replies) => Then(replies.Select(r => (Func<Request, Reply>)(_ => r)).ToArray());

    public static async Task<FakeLlm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeLlm(app);
        app.MapPost("/v1/messages", (Delegate)fake.HandleAsync);
        app.MapPost("/v1/chat/completions", (Delegate)fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new Request(http.Request.Path, headers, body);
        Requests.Enqueue(request);
        var reply = _script.TryDequeue(out var next) ? next(request) : new Reply(500, Fixtures.Read("llm", "anthropic", "error-500.api-error.json"));
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        http.Response.Headers["request-id"] = $"req_fake_{Requests.Count}";
        return Results.Content(reply.Body, "application/json", statusCode: reply.Status);
    }

    // Anthropic bodies, from the recorded Spanish booking exchange with our own content.

    public Reply AnthropicToolUse(string name, JsonObject input, string? text = null)
    {
        var body = JsonNode.Parse(Fixtures.Read("llm", "anthropic", "01-response.tool-use.json"))!.AsObject();
        var content = body["content"]!.AsArray();
        content[0]!["text"] = text ?? "Un momento.";
        content[1]!["id"] = $"toolu_fake{Interlocked.Increment(ref _ids):D4}";
        content[1]!["name"] = name;
        content[1]!["input"] = input;
        return new Reply(200, body.ToJsonString());
    }

    public static Reply AnthropicText(string text)
    {
        var body = JsonNode.Parse(Fixtures.Read("llm", "anthropic", "02-response.end-turn.json"))!.AsObject();
        body["content"]![0]!["text"] = text;
        return new Reply(200, body.ToJsonString());
    }

    // OpenAI-compatible bodies, from the recorded Ollama-style exchange.

    public Reply OpenAiToolCall(string name, JsonObject arguments)
    {
        var body = JsonNode.Parse(Fixtures.Read("llm", "openai", "01-response.tool-calls.json"))!.AsObject();
        var call = body["choices"]![0]!["message"]!["tool_calls"]![0]!;
        call["id"] = $"call_fake{Interlocked.Increment(ref _ids):D4}";
        call["function"]!["name"] = name;
        call["function"]!["arguments"] = arguments.ToJsonString();
        return new Reply(200, body.ToJsonString());
    }

    public static Reply OpenAiText(string text)
    {
        var body = JsonNode.Parse(Fixtures.Read("llm", "openai", "02-response.stop.json"))!.AsObject();
        body["choices"]![0]!["message"]!["content"] = text;
        return new Reply(200, body.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
