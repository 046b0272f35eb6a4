using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Tools;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Assistant.Llm;

internal static class LlmSetup
{
    public const string HttpClientName = "llm";

    /// <summary>Both engines, the tools they share, the dispatcher between them and the configured LLM client.</summary>
    public static IServiceCollection AddKaribuAssistant(this IServiceCollection services)
    {
        services.AddOptions<AssistantOptions>().BindConfiguration(AssistantOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AssistantReplies>();
        services.AddScoped<GuidedEngine>();
        services.AddScoped<GuidedStaffEngine>();
        services.AddScoped<AssistantTools>();
        services.AddScoped<StaffTools>();
        services.AddScoped<LlmEngine>();
        services.AddScoped<AssistantEngines>();
        // The SDK and our own per-call timeouts govern; the HttpClient's own 100 s must not race them.
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ILlmChat>(sp => sp.GetRequiredService<IOptions<LlmOptions>>().Value switch
        {
            { IsConfigured: false } => new NoLlm(),
            { Provider: LlmOptions.Anthropic } => ActivatorUtilities.CreateInstance<AnthropicChat>(sp),
            _ => ActivatorUtilities.CreateInstance<OpenAiChat>(sp),
        });
        return services;
    }
}
