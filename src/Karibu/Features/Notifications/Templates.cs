using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Notifications;

/// <summary>The wording chosen for one purpose, language and channel (the business's own, else the default), ready to fill many times.</summary>
internal sealed record Template(string Body, MessageTemplate? Own, string LanguageCode)
{
    /// <summary>The text to send and, where the business named one, the WhatsApp template to use outside the 24-hour window.</summary>
    public (string Text, TemplateMessage? WhatsApp) Render(IReadOnlyDictionary<string, string?> values) =>
        (TemplateDefaults.Fill(Body, values),
         Own?.WhatsAppTemplateName is { } name
             ? new TemplateMessage(name, Own.WhatsAppLanguage ?? LanguageCode, [.. Own.WhatsAppParameters.Select(p => values.GetValueOrDefault(p) ?? "")])
             : null);
}

internal static class Templates
{
    public static string Code(Language language) => language switch { Language.Es => "es", Language.Sw => "sw", _ => "en" };

    public static async Task<Template> LoadAsync(KaribuDb db, TemplatePurpose purpose, Language language, MessageChannel channel, CancellationToken ct)
    {
        var code = Code(language);
        var channelName = channel switch { MessageChannel.Whatsapp => "whatsapp", MessageChannel.Sms => "sms", _ => "any" };
        var own = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Purpose == purpose && t.Language == code && (t.Channel == channelName || t.Channel == "any")).ToListAsync(ct);
        var chosen = own.FirstOrDefault(t => t.Channel == channelName) ?? own.FirstOrDefault();
        return new Template(chosen?.Body ?? TemplateDefaults.Body(purpose, language), chosen, code);
    }
}
