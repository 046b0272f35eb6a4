using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Notifications;

/// <summary>Turns a purpose and its values into the text to send (the business's wording or the default) and, where set, the WhatsApp template to use outside the 24-hour window.</summary>
internal static class Templates
{
    public static string Code(Language language) => language switch { Language.Es => "es", Language.Sw => "sw", _ => "en" };

    public static async Task<(string Text, TemplateMessage? WhatsApp)> RenderAsync(
        KaribuDb db, TemplatePurpose purpose, Language language, MessageChannel channel, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var code = Code(language);
        var channelName = channel switch { MessageChannel.Whatsapp => "whatsapp", MessageChannel.Sms => "sms", _ => "any" };
        var own = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Purpose == purpose && t.Language == code && (t.Channel == channelName || t.Channel == "any")).ToListAsync(ct);
        var chosen = own.FirstOrDefault(t => t.Channel == channelName) ?? own.FirstOrDefault();
        var text = TemplateDefaults.Fill(chosen?.Body ?? TemplateDefaults.Body(purpose, language), values);
        var whatsapp = chosen?.WhatsAppTemplateName is { } name
            ? new TemplateMessage(name, chosen.WhatsAppLanguage ?? code, [.. chosen.WhatsAppParameters.Select(p => values.GetValueOrDefault(p) ?? "")])
            : null;
        return (text, whatsapp);
    }
}
