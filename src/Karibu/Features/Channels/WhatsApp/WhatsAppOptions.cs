using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>The <c>Karibu:WhatsApp</c> section.</summary>
internal sealed class WhatsAppOptions
{
    public const string SectionName = "Karibu:WhatsApp";

    /// <summary>Graph API base; tests and local runs point it at a fake server on 127.0.0.1.</summary>
    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    [Required, RegularExpression(@"^v\d+\.\d+$", ErrorMessage = "Karibu:WhatsApp:ApiVersion looks like v23.0.")]
    public string ApiVersion { get; set; } = "v23.0";

    /// <summary>Meta app id and secret: the secret signs webhooks and, with the id, exchanges Embedded Signup codes.</summary>
    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    public string? VerifyToken { get; set; }

    /// <summary>How long a Graph API call may take before it counts as failed (and the message is retried).</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 15;
}
