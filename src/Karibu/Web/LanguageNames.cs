using Karibu.Features.Assistant.Understanding;
using Karibu.Features.BookingPage;

namespace Karibu.Web;

/// <summary>Which of our three languages a visitor who is not signed in gets: the one asked for, else their browser's first.</summary>
internal static class LanguageNames
{
    public static Language ForVisitor(HttpRequest request, string? asked)
    {
        if (PageTexts.Parse(asked) is { } chosen)
        {
            return chosen;
        }

        foreach (var part in request.Headers.AcceptLanguage.ToString().Split(','))
        {
            var code = part.Split(';')[0].Trim().Split('-')[0];
            if (PageTexts.Parse(code) is { } found)
            {
                return found;
            }
        }

        return Language.Es;
    }

    /// <summary>How each language calls itself, for the switcher.</summary>
    public static readonly (Language Language, string Code, string Name)[] All =
        [(Language.Es, "es", "Español"), (Language.En, "en", "English"), (Language.Sw, "sw", "Kiswahili")];
}
