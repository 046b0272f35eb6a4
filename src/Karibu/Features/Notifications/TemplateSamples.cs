using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using NodaTime;

namespace Karibu.Features.Notifications;

/// <summary>Believable values for every placeholder, in the message's language, so a template's preview reads like the real thing.</summary>
internal static class TemplateSamples
{
    public static Dictionary<string, string?> For(
        Language l, string businessName, string? address, string staffName, string service, long priceCents, string currency,
        string countryCode, string? reviewLink, LocalDate today)
    {
        string T(string es, string en, string sw) => l.Pick(es, en, sw);
        var time = GuidedTexts.Time(l, new LocalTime(10, 30));
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["customer_name"] = T("Ana", "Ana", "Wanjiku"),
            ["customer_phone"] = countryCode == "KE" ? "+254 712 345 678" : "+52 55 8765 4321",
            ["business_name"] = businessName,
            ["service"] = service,
            ["last_service"] = service,
            ["day"] = GuidedTexts.Day(l, today.PlusDays(3), today),
            ["time"] = time,
            ["staff"] = staffName,
            ["staff_name"] = staffName,
            ["price"] = GuidedTexts.Money(priceCents, currency),
            ["address"] = address ?? "",
            ["count"] = "3",
            ["agenda"] = $"{time} {T("Ana", "Ana", "Wanjiku")} · {service}\n{GuidedTexts.Time(l, new LocalTime(12, 0))} {T("Luis", "Luis", "Otieno")} · {service}\n{GuidedTexts.Time(l, new LocalTime(16, 0))} {T("Sofía", "Sofia", "Akinyi")} · {service}",
            ["review_link"] = reviewLink ?? "https://g.page/r/example/review",
            ["days_since"] = "35",
            ["code"] = "482913",
        };
    }
}
