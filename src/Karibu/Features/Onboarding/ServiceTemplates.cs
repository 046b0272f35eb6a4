using System.Globalization;
using Karibu.Features.Organizations;

namespace Karibu.Features.Onboarding;

/// <summary>A service a new business probably offers, priced for its country (in whole units of its currency).</summary>
internal sealed record ServiceTemplate(string Name, long Price, int Minutes, int? RebookDays = null)
{
    public long PriceCents => Price * 100;
}

/// <summary>
/// The services a new business starts from, by type and country: what a barbershop in Mexico City or a salon in
/// Nairobi typically charges. Kenyan salons name their services in English, whatever language they speak.
/// </summary>
internal static class ServiceTemplates
{
    public static IReadOnlyList<ServiceTemplate> For(BusinessType type, string countryCode)
    {
        var kenya = countryCode == "KE";
        return type switch
        {
            BusinessType.Barbershop => kenya
                ? [new("Haircut", 300, 30, 21), new("Haircut & beard", 500, 45, 21), new("Beard trim", 200, 20, 14), new("Kids haircut", 200, 20, 28), new("Clean shave", 250, 20, 14)]
                : [new("Corte de cabello", 150, 30, 21), new("Corte y barba", 220, 45, 21), new("Barba", 100, 20, 14), new("Corte infantil", 120, 30, 28), new("Afeitado clásico", 150, 30, 14)],
            BusinessType.BeautySalon or BusinessType.HairSalon => kenya
                ? [new("Blow-dry", 800, 45, 14), new("Braids", 2500, 180, 42), new("Cornrows", 1200, 120, 21), new("Wash & set", 1000, 60, 14), new("Relaxer", 1500, 90, 42), new("Manicure", 600, 45, 21)]
                : [new("Corte de dama", 250, 45, 42), new("Tinte", 800, 120, 42), new("Peinado", 350, 60), new("Manicure", 180, 45, 21), new("Diseño de cejas", 120, 15, 21)],
            BusinessType.NailSalon => kenya
                ? [new("Manicure", 600, 45, 21), new("Pedicure", 800, 60, 28), new("Gel polish", 1000, 60, 21), new("Acrylic nails", 2000, 90, 21), new("Nail removal", 400, 30)]
                : [new("Manicure", 180, 45, 21), new("Pedicure", 250, 60, 28), new("Gelish", 300, 60, 21), new("Uñas acrílicas", 450, 90, 21), new("Retiro de acrílico", 150, 30)],
            BusinessType.Spa => kenya
                ? [new("Swedish massage", 3000, 60, 30), new("Facial", 2500, 60, 30), new("Hot stone massage", 4000, 90, 30), new("Body scrub", 2500, 60, 30)]
                : [new("Masaje relajante", 600, 60, 30), new("Facial", 500, 60, 30), new("Masaje con piedras calientes", 800, 90, 30), new("Exfoliación corporal", 550, 60, 30)],
            _ => kenya
                ? [new("Consultation", 1000, 30), new("Standard service", 1500, 60)]
                : [new("Consulta", 300, 30), new("Servicio", 500, 60)],
        };
    }

    /// <summary>
    /// A price as people type it ("150", "2,500", "$220", "KES 800", "99.50") in cents; null when it is not a price.
    /// Both Mexico and Kenya write thousands with commas and decimals with a point.
    /// </summary>
    public static long? ParsePrice(string? text)
    {
        var kept = new string((text ?? "").Where(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        if (kept.Length == 0 || kept.Length > 12
            || !decimal.TryParse(kept, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var units))
        {
            return null;
        }

        return (long)Math.Round(units * 100, MidpointRounding.AwayFromZero);
    }

    /// <summary>A price for an input box: "150" or "99.50", no symbol, no thousands separator.</summary>
    public static string FormatPrice(long cents) => cents % 100 == 0
        ? (cents / 100).ToString(CultureInfo.InvariantCulture)
        : (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
