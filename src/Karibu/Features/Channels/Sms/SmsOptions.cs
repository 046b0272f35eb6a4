using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.Channels.Sms;

/// <summary>The <c>Karibu:Sms</c> section: where the SMS providers live. Tests point these at a fake on 127.0.0.1.</summary>
internal sealed class SmsOptions
{
    public const string SectionName = "Karibu:Sms";

    /// <summary>Africa's Talking live API host; sends go to <c>{base}/version1/messaging</c>.</summary>
    [Required, Url]
    public string AfricasTalkingBaseUrl { get; set; } = "https://api.africastalking.com";

    /// <summary>Used instead of the live host when the Africa's Talking username is <c>sandbox</c>.</summary>
    [Required, Url]
    public string AfricasTalkingSandboxBaseUrl { get; set; } = "https://api.sandbox.africastalking.com";

    /// <summary>Onfon Media SMS API; sends go to <c>{base}/SendBulkSMS</c>.</summary>
    [Required, Url]
    public string OnfonBaseUrl { get; set; } = "https://api.onfonmedia.co.ke/v1/sms/";
}
