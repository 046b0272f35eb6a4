using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// Anthropic's Messages API through the official SDK. The base URL, key, timeout and retries come from
/// <see cref="LlmOptions"/> (never from ANTHROPIC_* environment variables), so tests point it at a fake server.
/// </summary>
internal sealed class AnthropicChat : ILlmChat, IDisposable
{
    private readonly AnthropicClient _client;
    private readonly LlmOptions _options;

    public AnthropicChat(IOptions<LlmOptions> options, IHttpClientFactory http)
    {
        _options = options.Value;
        _client = new AnthropicClient(new ClientOptions
        {
            ApiKey = _options.ApiKey,
            BaseUrl = string.IsNullOrWhiteSpace(_options.BaseUrl) ? "https://api.anthropic.com" : _options.BaseUrl,
            MaxRetries = _options.MaxRetries,
            Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
            HttpClient = http.CreateClient(LlmSetup.HttpClientName),
        });
    }

    public async Task<LlmReply> CompleteAsync(LlmRequest request, CancellationToken ct)
    {
        var parameters = new MessageCreateParams
        {
            Model = _options.Model!,
            MaxTokens = _options.MaxTokens,
            System = new List<TextBlockParam> { new(request.System) },
            Messages = request.Messages.Select(ToParam).ToList(),
            Tools = request.Tools.Select(t => (ToolUnion)new Tool
            {
                Name = t.Name,
                Description = t.Description,
                InputSchema = InputSchema.FromRawUnchecked(Properties(t.InputSchema)),
            }).ToList(),
            ToolChoice = new ToolChoiceAuto(),
        };

        Message message;
        try
        {
            message = await _client.Messages.Create(parameters, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new LlmException($"Anthropic call failed: {e.GetType().Name}: {e.Message}", e);
        }

        var blocks = new List<LlmBlock>();
        foreach (var block in message.Content)
        {
            if (block.TryPickText(out var text))
            {
                blocks.Add(new LlmText(text.Text));
            }
            else if (block.TryPickToolUse(out var use))
            {
                blocks.Add(new LlmToolCall(use.ID, use.Name, JsonSerializer.SerializeToElement(use.Input)));
            }
        }

        return new LlmReply(blocks, message.StopReason?.Raw() ?? "");
    }

    private static MessageParam ToParam(LlmMessage m)
    {
        var blocks = new List<ContentBlockParam>();
        foreach (var block in m.Content)
        {
            switch (block)
            {
                case LlmText t:
                    blocks.Add(new TextBlockParam(t.Text));
                    break;
                case LlmToolCall c:
                    blocks.Add(new ToolUseBlockParam { ID = c.Id, Name = c.Name, Input = Properties(c.Input) });
                    break;
                case LlmToolResult r:
                    blocks.Add(new ToolResultBlockParam(r.ToolCallId) { Content = r.Content, IsError = r.IsError ? true : null });
                    break;
            }
        }

        return m.Role == LlmRole.User ? new UserMessageParam(blocks) : new AssistantMessageParam(blocks);
    }

    private static Dictionary<string, JsonElement> Properties(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object ? obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) : [];

    public void Dispose() => _client.Dispose();
}
