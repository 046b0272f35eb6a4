using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.Assistant.Llm;

/// <summary>
/// The <c>Karibu:Llm</c> section: which model the LLM engine talks to. Nothing set means no LLM, and a
/// business switched to <c>llm</c> is answered by the guided engine. Checked at startup once anything is set.
/// </summary>
internal sealed class LlmOptions : IValidatableObject
{
    public const string SectionName = "Karibu:Llm";
    public const string Anthropic = "anthropic";
    public const string OpenAi = "openai";

    /// <summary><c>anthropic</c> (Messages API, official SDK) or <c>openai</c> (any OpenAI-compatible chat completions server).</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Anthropic: the API root without <c>/v1</c> (default https://api.anthropic.com). OpenAI-compatible: the root
    /// including <c>/v1</c> (default https://api.openai.com/v1; Ollama http://localhost:11434/v1).
    /// </summary>
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    /// <summary>Per model call; a slower answer counts as a failure and the guided engine answers.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>Model calls per customer message at most (each may run tools); past it the guided engine answers.</summary>
    [Range(1, 20)]
    public int MaxToolIterations { get; set; } = 6;

    [Range(16, 16_384)]
    public int MaxTokens { get; set; } = 1024;

    /// <summary>Retries of a failed call (429, 5xx, network) by the Anthropic SDK.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    /// <summary>
    /// The whole turn (every call and tool) must end within this, well inside the inbox lease
    /// (<c>Karibu:Messaging:LeaseSeconds</c>, 60 by default), since the turn runs in the event's transaction.
    /// </summary>
    [Range(1, 600)]
    public int TurnTimeoutSeconds { get; set; } = 45;

    /// <summary>How many of the conversation's latest messages the model sees.</summary>
    [Range(1, 100)]
    public int HistoryMessages { get; set; } = 12;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Provider) && !string.IsNullOrWhiteSpace(Model);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Provider) && string.IsNullOrWhiteSpace(Model) && string.IsNullOrWhiteSpace(BaseUrl) && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield break;
        }

        if (Provider is not (Anthropic or OpenAi))
        {
            yield return new ValidationResult($"{SectionName}:Provider is '{Anthropic}' or '{OpenAi}'.", [nameof(Provider)]);
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"{SectionName}:Model is required once an LLM is configured.", [nameof(Model)]);
        }

        if (BaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"{SectionName}:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }

        if (Provider == Anthropic && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult($"{SectionName}:ApiKey is required for Anthropic.", [nameof(ApiKey)]);
        }

        if (TurnTimeoutSeconds < TimeoutSeconds)
        {
            yield return new ValidationResult($"{SectionName}:TurnTimeoutSeconds must be at least TimeoutSeconds.", [nameof(TurnTimeoutSeconds)]);
        }
    }
}
