using Microsoft.Extensions.Options;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>
/// The <c>Karibu:WhatsApp:EmbeddedSignup</c> section: the Meta app and the Embedded Signup configuration behind the
/// "Connect with Facebook" button of the owner app's channels screen. Both unset hides the button (owners can still
/// connect by hand); the code the button returns is exchanged with <c>Karibu:WhatsApp:AppId</c> and <c>AppSecret</c>.
/// </summary>
internal sealed class EmbeddedSignupOptions
{
    public const string SectionName = "Karibu:WhatsApp:EmbeddedSignup";

    /// <summary>The Meta app id the Facebook JS SDK starts with (digits); must be <c>Karibu:WhatsApp:AppId</c> when that is set.</summary>
    public string? AppId { get; set; }

    /// <summary>The Embedded Signup configuration id from the app's "Facebook Login for Business" configurations (digits).</summary>
    public string? ConfigId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(ConfigId);

    /// <summary>Checked at startup: both or neither, numeric, and a server that can exchange the code.</summary>
    internal sealed class Validator(IOptions<WhatsAppOptions> whatsapp) : IValidateOptions<EmbeddedSignupOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmbeddedSignupOptions options)
        {
            var appId = string.IsNullOrWhiteSpace(options.AppId) ? null : options.AppId.Trim();
            var configId = string.IsNullOrWhiteSpace(options.ConfigId) ? null : options.ConfigId.Trim();
            if (appId is null && configId is null)
            {
                return ValidateOptionsResult.Success;
            }

            var failures = new List<string>();
            if (appId is null || configId is null)
            {
                failures.Add($"{SectionName}: set both AppId and ConfigId, or neither.");
            }

            if (appId is not null && !appId.All(char.IsAsciiDigit))
            {
                failures.Add($"{SectionName}:AppId must be the numeric Meta app id.");
            }

            if (configId is not null && !configId.All(char.IsAsciiDigit))
            {
                failures.Add($"{SectionName}:ConfigId must be the numeric Embedded Signup configuration id.");
            }

            var w = whatsapp.Value;
            if (string.IsNullOrWhiteSpace(w.AppId) || string.IsNullOrWhiteSpace(w.AppSecret))
            {
                failures.Add($"{SectionName} needs {WhatsAppOptions.SectionName}:AppId and AppSecret to exchange the signup code.");
            }
            else if (appId is not null && appId != w.AppId)
            {
                failures.Add($"{SectionName}:AppId must be the same app as {WhatsAppOptions.SectionName}:AppId.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
