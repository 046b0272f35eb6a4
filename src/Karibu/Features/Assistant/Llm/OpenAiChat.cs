using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// Any OpenAI-compatible <c>POST {base}/chat/completions</c> server (OpenAI, Ollama, vLLM, llama.cpp) over
/// plain HTTP. Written by hand rather than with the OpenAI SDK because local servers bend the format
/// (arguments as an object, missing call ids, <c>finish_reason: "stop"</c> with tool calls, only
/// <c>max_tokens</c>), and the SDK throws on some of those; here each is tolerated.
/// </summary>
internal sealed class OpenAiChat(IOptions<LlmOptions> options, IHttpClientFactory http) : ILlmChat
{
    private const int MaxErrorBody = 500;

    public async Task<LlmReply> CompleteAsync(LlmRequest request, CancellationToken ct)
    {
        var o = options.Value;
        var baseUrl = string.IsNullOrWhiteSpace(o.BaseUrl) ? "https://api.openai.com/v1" : o.BaseUrl.TrimEnd('/');
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/chat/completions")
        {
            Content = new StringContent(Body(request, o).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrWhiteSpace(o.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        string text;
        int status;
        try
        {
            using var response = await http.CreateClient(LlmSetup.HttpClientName).SendAsync(message, timeout.Token);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new LlmException(e is OperationCanceledException ? $"No answer within {o.TimeoutSeconds} s." : $"Request failed: {e.Message}", e);
        }

        if (status is < 200 or > 299)
        {
            throw new LlmException($"HTTP {status}: {(text.Length > MaxErrorBody ? text[..MaxErrorBody] : text)}");
        }

        try
        {
            return Read(JsonNode.Parse(text) ?? throw new LlmException("Empty body."));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new LlmException($"Unreadable completion: {e.Message}", e);
        }
    }

    private static JsonObject Body(LlmRequest request, LlmOptions o)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = request.System } };
        foreach (var m in request.Messages)
        {
            var text = string.Concat(m.Content.OfType<LlmText>().Select(t => t.Text));
            if (m.Role == LlmRole.Assistant)
            {
                var calls = m.Content.OfType<LlmToolCall>().ToList();
                var assistant = new JsonObject { ["role"] = "assistant", ["content"] = text.Length == 0 ? null : text };
                if (calls.Count > 0)
                {
                    assistant["tool_calls"] = new JsonArray(calls.Select(c => (JsonNode)new JsonObject
                    {
                        ["id"] = c.Id,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = c.Name,
                            ["arguments"] = c.Input.ValueKind == JsonValueKind.String ? c.Input.GetString() : c.Input.GetRawText(),
                        },
                    }).ToArray());
                }

                messages.Add(assistant);
                continue;
            }

            // Tool results are one "tool" message per call; any text of the same turn follows them.
            foreach (var r in m.Content.OfType<LlmToolResult>())
            {
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = r.ToolCallId, ["content"] = r.Content });
            }

            if (text.Length > 0)
            {
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
            }
        }

        return new JsonObject
        {
            ["model"] = o.Model,
            // The older name: Ollama and older llama.cpp builds ignore max_completion_tokens.
            ["max_tokens"] = o.MaxTokens,
            ["messages"] = messages,
            ["tools"] = new JsonArray(request.Tools.Select(t => (JsonNode)new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = t.Name,
                    ["description"] = t.Description,
                    ["parameters"] = JsonNode.Parse(t.InputSchema.GetRawText()),
                },
            }).ToArray()),
            ["tool_choice"] = "auto",
        };
    }

    private static LlmReply Read(JsonNode body)
    {
        var choice = body["choices"]?[0] ?? throw new LlmException("The completion has no choices.");
        var message = choice["message"] ?? throw new LlmException("The completion's choice has no message.");
        var blocks = new List<LlmBlock>();
        var content = message["content"];
        if (content is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > 0)
        {
            blocks.Add(new LlmText(s));
        }
        else if (content is JsonArray parts)
        {
            blocks.AddRange(parts.Select(p => p?["text"]?.GetValue<string>()).OfType<string>().Select(t => new LlmText(t)));
        }

        var n = 0;
        foreach (var call in message["tool_calls"] as JsonArray ?? [])
        {
            n++;
            var function = call?["function"];
            var name = function?["name"]?.GetValue<string>() ?? throw new LlmException("A tool call has no function name.");
            var id = call?["id"]?.GetValue<string>() is { Length: > 0 } given ? given : $"call_{n}";
            var arguments = function["arguments"] switch
            {
                JsonObject obj => JsonSerializer.SerializeToElement(obj),
                JsonValue v when v.TryGetValue<string>(out var raw) => ParseArguments(raw),
                _ => JsonSerializer.SerializeToElement(new JsonObject()),
            };
            blocks.Add(new LlmToolCall(id, name, arguments));
        }

        return new LlmReply(blocks, choice["finish_reason"]?.GetValue<string>() ?? "");
    }

    /// <summary>Arguments that are not JSON stay a string: the tool then answers the model with an error it can fix.</summary>
    private static JsonElement ParseArguments(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw.Length == 0 ? "{}" : raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw);
        }
    }
}
