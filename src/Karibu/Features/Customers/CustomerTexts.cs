using Karibu.Features.Assistant.Understanding;
using Karibu.Web;
using NodaTime;

namespace Karibu.Features.Customers;

/// <summary>Who may see and change customers in the owner app, and the words the customer screens share.</summary>
internal static class CustomerTexts
{
    public const string Manage = "manage_customers";
    public const string Message = "message_customers";

    /// <summary>Seeing customers is part of handling them or writing to them: the owner, or anyone with either permission.</summary>
    public static bool CanView(OwnerSession s) => s.Can(Manage) || s.Can(Message);

    private static readonly string[] EsMonths = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
    private static readonly string[] EnMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] SwMonths = ["Jan", "Feb", "Mac", "Apr", "Mei", "Jun", "Jul", "Ago", "Sep", "Okt", "Nov", "Des"];

    /// <summary>"3 nov", or "3 nov 2025" for another year.</summary>
    public static string ShortDate(Language l, LocalDate date, LocalDate today)
    {
        var month = (l switch { Language.Es => EsMonths, Language.Sw => SwMonths, _ => EnMonths })[date.Month - 1];
        return date.Year == today.Year ? $"{date.Day} {month}" : $"{date.Day} {month} {date.Year}";
    }

    public static LocalDate Local(DateTime utc, DateTimeZone zone) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone).Date;
}
