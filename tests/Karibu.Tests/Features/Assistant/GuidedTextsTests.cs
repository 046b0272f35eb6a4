using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using NodaTime;

namespace Karibu.Tests.Features.Assistant;

/// <summary>The guided engine's sentences where a day sits inside them, in the three languages.</summary>
public sealed class GuidedTextsTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Theory]
    [InlineData("Es", 0, "hoy")]
    [InlineData("Es", 1, "mañana martes 24 de noviembre")]
    [InlineData("Es", 5, "el sábado 28 de noviembre")]
    [InlineData("En", 0, "today")]
    [InlineData("En", 1, "tomorrow, Tuesday 24 November")]
    [InlineData("En", 5, "on Saturday 28 November")]
    [InlineData("Sw", 1, "kesho Jumanne 24 Novemba")]
    [InlineData("Sw", 5, "Jumamosi 28 Novemba")]
    public void ADayInsideASentence_TakesItsArticle(string language, int days, string expected)
    {
        var l = Enum.Parse<Language>(language);
        Assert.Equal(expected, GuidedTexts.On(l, GuidedTexts.Day(l, Today.PlusDays(days), Today)));
    }

    public static TheoryData<string, bool, string?, bool, string> Headers => new()
    {
        { "Es", true, null, true, "No me queda nada a esa hora, pero el sábado 28 de noviembre tengo estos horarios para corte ($250):" },
        { "Es", false, "Afternoon", true, "No me queda nada en la tarde, pero el sábado 28 de noviembre tengo estos horarios para corte ($250):" },
        { "Es", false, "Evening", false, "No me queda nada ese día en la noche, pero el sábado 28 de noviembre tengo estos horarios para corte ($250):" },
        { "Es", false, null, false, "No me queda nada ese día, pero el sábado 28 de noviembre tengo estos horarios para corte ($250):" },
        { "En", true, null, true, "Nothing is free at that time, but on Saturday 28 November I have these times for corte ($250):" },
        { "En", false, "Morning", true, "Nothing is free in the morning, but on Saturday 28 November I have these times for corte ($250):" },
        { "En", false, "Evening", false, "Nothing is free that evening, but on Saturday 28 November I have these times for corte ($250):" },
        { "En", false, null, false, "Nothing is free that day, but on Saturday 28 November I have these times for corte ($250):" },
        { "Sw", true, null, true, "Hakuna nafasi wakati huo, lakini Jumamosi 28 Novemba nina hizi za Corte ($250):" },
        { "Sw", false, "Morning", true, "Hakuna nafasi asubuhi, lakini Jumamosi 28 Novemba nina hizi za Corte ($250):" },
        { "Sw", false, "Afternoon", false, "Hakuna nafasi siku hiyo mchana, lakini Jumamosi 28 Novemba nina hizi za Corte ($250):" },
        { "Sw", false, null, false, "Hakuna nafasi siku hiyo, lakini Jumamosi 28 Novemba nina hizi za Corte ($250):" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void WhenNothingFitsWhatWasAsked_TheOfferSaysWhatHadNothingFree(string language, bool time, string? part, bool sameDay, string expected)
    {
        var l = Enum.Parse<Language>(language);
        var missed = new GuidedTexts.Missed(time, part is null ? null : Enum.Parse<PartOfDay>(part), sameDay);
        Assert.Equal(expected, GuidedTexts.Offer(l, GuidedTexts.Day(l, Today.PlusDays(5), Today), "Corte", "$250", missed));
    }

    [Fact]
    public void WhenTheTimesAreWhatWasAsked_TheOfferJustNamesTheDay() =>
        Assert.Equal("Mañana martes 24 de noviembre tengo estos horarios para corte ($250):",
            GuidedTexts.Offer(Language.Es, GuidedTexts.Day(Language.Es, Today.PlusDays(1), Today), "Corte", "$250", null));

    [Theory]
    [InlineData("Es", 1, "¿Cancelo tu cita de mañana martes 24 de noviembre, 4:00 p.m. (Corte)? Responde sí o no.")]
    [InlineData("Es", 5, "¿Cancelo tu cita del sábado 28 de noviembre, 4:00 p.m. (Corte)? Responde sí o no.")]
    [InlineData("En", 5, "Shall I cancel your appointment on Saturday 28 November, 4:00 pm (Corte)? Reply yes or no.")]
    public void ConfirmingACancellation_ReadsNaturally(string language, int days, string expected)
    {
        var l = Enum.Parse<Language>(language);
        Assert.Equal(expected, GuidedTexts.ConfirmCancel(l, $"{GuidedTexts.Day(l, Today.PlusDays(days), Today)}, {GuidedTexts.Time(l, new LocalTime(16, 0))} (Corte)"));
    }

    [Theory]
    [InlineData("1:00 p.m.", "a la 1:00 p.m.")]
    [InlineData("1:30 a.m.", "a la 1:30 a.m.")]
    [InlineData("10:00 a.m.", "a las 10:00 a.m.")]
    [InlineData("12:15 p.m.", "a las 12:15 p.m.")]
    [InlineData("4:00 p.m.", "a las 4:00 p.m.")]
    public void OneOClock_IsSingularInSpanish(string time, string expected) => Assert.Equal(expected, GuidedTexts.ALas(time));
}
