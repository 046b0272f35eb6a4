using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Messaging;

internal enum OptAction { OptOut, OptIn }

/// <summary>
/// Recognises STOP-style messages in Spanish, English and Swahili (Karibu:Messaging:OptOutKeywords and
/// OptInKeywords; a configured language replaces that language's defaults). Only a whole message
/// counts: "stop", "Baja.", "cancelar suscripción" do; "no puedo parar" does not.
/// </summary>
internal sealed class OptOutKeywords(IOptions<MessagingOptions> options)
{
    private readonly Lazy<Dictionary<string, (OptAction Action, HashSet<string> Languages)>> _words = new(() => Build(options.Value));

    /// <summary>The action and the language to answer in (the business's own when the keyword is one of its words).</summary>
    public (OptAction Action, string Language)? Match(string? text, string businessLanguage)
    {
        if (text is null || text.Length > 60 || !_words.Value.TryGetValue(Normalize(text), out var hit))
        {
            return null;
        }

        return (hit.Action, hit.Languages.Contains(businessLanguage) ? businessLanguage : hit.Languages.Order(StringComparer.Ordinal).First());
    }

    private static Dictionary<string, (OptAction, HashSet<string>)> Build(MessagingOptions o)
    {
        var words = new Dictionary<string, (OptAction Action, HashSet<string> Languages)>(StringComparer.Ordinal);
        void Add(Dictionary<string, string[]> defaults, Dictionary<string, List<string>> configured, OptAction action)
        {
            foreach (var language in defaults.Keys.Union(configured.Keys, StringComparer.OrdinalIgnoreCase))
            {
                var list = configured.TryGetValue(language, out var custom) && custom.Count > 0 ? custom : defaults.GetValueOrDefault(language, []).ToList();
                foreach (var word in list.Select(Normalize).Where(w => w.Length > 0))
                {
                    if (!words.TryGetValue(word, out var entry))
                    {
                        entry = (action, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        words[word] = entry;
                    }

                    entry.Languages.Add(language.ToLowerInvariant());
                }
            }
        }

        Add(MessagingOptions.DefaultOptOut, o.OptOutKeywords, OptAction.OptOut);
        Add(MessagingOptions.DefaultOptIn, o.OptInKeywords, OptAction.OptIn);
        return words;
    }

    /// <summary>Upper case, accents and punctuation removed, spaces collapsed: "¡Cancelar  suscripción!" → "CANCELAR SUSCRIPCION".</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>What Karibu answers, in the customer's language.</summary>
    public static string Confirmation(OptAction action, string language, string business) => (action, language) switch
    {
        (OptAction.OptOut, "es") => $"Listo, ya no te enviaremos promociones de {business} por aquí. Tus confirmaciones y recordatorios de citas seguirán llegando. Escribe ALTA si quieres volver a recibirlas.",
        (OptAction.OptOut, "sw") => $"Sawa, hutapokea tena jumbe za matangazo kutoka {business} hapa. Uthibitisho na vikumbusho vya miadi yako vitaendelea kukufikia. Tuma ANZA kujiunga tena.",
        (OptAction.OptOut, _) => $"Done: you won't get promotional messages from {business} here any more. Booking confirmations and reminders will still reach you. Reply START to subscribe again.",
        (OptAction.OptIn, "es") => $"¡Qué gusto tenerte de vuelta! Volverás a recibir novedades de {business}. Escribe BAJA cuando quieras dejar de recibirlas.",
        (OptAction.OptIn, "sw") => $"Karibu tena! Utapokea tena habari kutoka {business}. Tuma ACHA wakati wowote kujiondoa.",
        _ => $"Welcome back! You'll get updates from {business} again. Reply STOP any time to opt out.",
    };
}
