using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.Assistant;

/// <summary>The <c>Karibu:Assistant</c> section.</summary>
internal sealed class AssistantOptions
{
    public const string SectionName = "Karibu:Assistant";

    /// <summary><c>guided</c> or <c>llm</c>; a business's own setting wins.</summary>
    [RegularExpression("^(guided|llm)$", ErrorMessage = "Karibu:Assistant:Engine is 'guided' or 'llm'.")]
    public string Engine { get; set; } = "guided";

    /// <summary>After a person answers a chat (owner app or the business phone), the assistant stays quiet this long unless handed back.</summary>
    [Range(0.1, 720)]
    public double HumanTakeoverHours { get; set; } = 12;
}
