using NodaTime;

namespace Karibu.Features.Assistant.Understanding;

internal enum Language
{
    Es,
    En,
    Sw,
}

internal static class Languages
{
    /// <summary>The words for this language: the Spanish, the Swahili, or else the English.</summary>
    public static string Pick(this Language l, string es, string en, string sw) => l switch { Language.Es => es, Language.Sw => sw, _ => en };
}

internal enum Intent
{
    Greeting,
    Book,
    Reschedule,
    Cancel,
    MyAppointments,
    Services,
    Hours,
    Location,
    Human,
    Thanks,
    Bye,
    MyAgenda,
    BusinessAgenda,
    BlockTime,
    NoShow,
    Completed,
    WalkIn,
    CustomerHistory,
    AddStaff,
}

/// <summary>
/// A part of the day as customers say it. Hour ranges used to filter offered times:
/// <see cref="Morning"/> 06:00–12:00 (mañana, morning, asubuhi),
/// <see cref="Afternoon"/> 12:00–18:00 (tarde, afternoon, mchana, alasiri),
/// <see cref="Evening"/> 18:00–22:00 (noche, evening, night, tonight, jioni, usiku).
/// </summary>
internal enum PartOfDay
{
    Morning,
    Afternoon,
    Evening,
}

/// <summary>One of the business's services, as the matcher sees it.</summary>
internal sealed record ServiceOption(Guid Id, string Name);

/// <summary>A service the text plausibly names; <paramref name="Score"/> is in [0, 1].</summary>
internal sealed record ServiceMatch(Guid Id, string Name, double Score);

internal sealed record TimeRange(LocalTime Start, LocalTime End);

/// <summary>What the guided engine understood from one WhatsApp message. Every field is optional.</summary>
internal sealed record Understood(
    IReadOnlyList<Intent> Intents,
    LocalDate? Date,
    PartOfDay? PartOfDay,
    LocalTime? Time,
    TimeRange? Range,
    bool? Yes,
    int? Choice,
    IReadOnlyList<ServiceMatch> Services,
    string? Name,
    string? Phone,
    Language? Language);
