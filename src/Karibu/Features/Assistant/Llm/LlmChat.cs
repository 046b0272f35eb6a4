using System.Text.Json;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// The one port to a language model: a system prompt, the conversation so far and the tools on offer in,
/// the model's text and tool calls out. Each provider maps this neutral shape to its own wire format.
/// </summary>
internal interface ILlmChat
{
    Task<LlmReply> CompleteAsync(LlmRequest request, CancellationToken ct);
}

internal enum LlmRole { User, Assistant }

internal abstract record LlmBlock;

internal sealed record LlmText(string Text) : LlmBlock;

/// <summary>A function the model wants run; <see cref="Input"/> is the arguments object as sent (or a string that was not JSON).</summary>
internal sealed record LlmToolCall(string Id, string Name, JsonElement Input) : LlmBlock;

internal sealed record LlmToolResult(string ToolCallId, string Content, bool IsError) : LlmBlock;

internal sealed record LlmMessage(LlmRole Role, IReadOnlyList<LlmBlock> Content);

internal sealed record LlmToolDefinition(string Name, string Description, JsonElement InputSchema);

internal sealed record LlmRequest(string System, IReadOnlyList<LlmMessage> Messages, IReadOnlyList<LlmToolDefinition> Tools);

/// <summary>The model's answer: its blocks in order and why it stopped (the provider's own word for it).</summary>
internal sealed record LlmReply(IReadOnlyList<LlmBlock> Content, string StopReason)
{
    public string Text => string.Concat(Content.OfType<LlmText>().Select(t => t.Text));

    public IReadOnlyList<LlmToolCall> ToolCalls => Content.OfType<LlmToolCall>().ToList();
}

/// <summary>The model could not be used for this turn: not configured, unreachable, slow, an error status or a body we cannot read.</summary>
internal sealed class LlmException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Stands in when no LLM is configured, so a business switched to <c>llm</c> is still answered (by the guided engine).</summary>
internal sealed class NoLlm : ILlmChat
{
    public Task<LlmReply> CompleteAsync(LlmRequest request, CancellationToken ct) =>
        throw new LlmException("No LLM is configured (Karibu:Llm).");
}
