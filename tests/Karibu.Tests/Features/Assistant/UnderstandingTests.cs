using System.Globalization;
using Karibu.Features.Assistant.Understanding;
using NodaTime;

namespace Karibu.Tests.Features.Assistant;

public sealed class UnderstandingTests
{
    // Thursday.
    private static readonly LocalDate Today = new(2026, 11, 19);

    private static readonly ServiceOption[] Services =
    [
        new(Guid.Parse("00000000-0000-0000-0000-000000000001"), "Corte de cabello"),
        new(Guid.Parse("00000000-0000-0000-0000-000000000002"), "Arreglo de barba"),
        new(Guid.Parse("00000000-0000-0000-0000-000000000003"), "Corte y barba"),
        new(Guid.Parse("00000000-0000-0000-0000-000000000004"), "Corte infantil"),
        new(Guid.Parse("00000000-0000-0000-0000-000000000005"), "Manicure"),
        new(Guid.Parse("00000000-0000-0000-0000-000000000006"), "Trenzas"),
    ];

    private static Understood Read(string text, Language business = Language.Es) => Understand.Read(text, Today, Services, business);

    private static LocalDate? Date(string? iso) => iso is null ? null : LocalDate.FromDateTime(DateTime.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static LocalTime? Time(string? hhmm) => hhmm is null ? null : new LocalTime(int.Parse(hhmm[..2], CultureInfo.InvariantCulture), int.Parse(hhmm[3..], CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("hoy", "2026-11-19")]
    [InlineData("today please", "2026-11-19")]
    [InlineData("leo", "2026-11-19")]
    [InlineData("mañana", "2026-11-20")]
    [InlineData("manana", "2026-11-20")]
    [InlineData("mñn", "2026-11-20")]
    [InlineData("tomorrow", "2026-11-20")]
    [InlineData("kesho", "2026-11-20")]
    [InlineData("pasado mañana", "2026-11-21")]
    [InlineData("the day after tomorrow", "2026-11-21")]
    [InlineData("kesho kutwa", "2026-11-21")]
    [InlineData("el sábado", "2026-11-21")]
    [InlineData("Para el sabado si hay espacio", "2026-11-21")]
    [InlineData("el lunes", "2026-11-23")]
    [InlineData("el jueves", "2026-11-26")]
    [InlineData("hoy jueves", "2026-11-19")]
    [InlineData("este jueves", "2026-11-19")]
    [InlineData("this Thursday", "2026-11-19")]
    [InlineData("Thursday", "2026-11-26")]
    [InlineData("el próximo viernes", "2026-11-20")]
    [InlineData("next Friday", "2026-11-20")]
    [InlineData("Ijumaa ijayo", "2026-11-20")]
    [InlineData("este sábado", "2026-11-21")]
    [InlineData("this Saturday", "2026-11-21")]
    [InlineData("Jumamosi", "2026-11-21")]
    [InlineData("Jumatatu", "2026-11-23")]
    [InlineData("Jumapili", "2026-11-22")]
    [InlineData("domingo", "2026-11-22")]
    [InlineData("el miércoles", "2026-11-25")]
    [InlineData("el viernes de la próxima semana", "2026-11-27")]
    [InlineData("next week Monday", "2026-11-23")]
    [InlineData("el viernes 15", "2027-01-15")]
    [InlineData("el martes 15", "2026-12-15")]
    [InlineData("el lunes 30", "2026-11-30")]
    [InlineData("15 de enero", "2027-01-15")]
    [InlineData("el 15 de enero a las 4", "2027-01-15")]
    [InlineData("January 15", "2027-01-15")]
    [InlineData("Jan 15th", "2027-01-15")]
    [InlineData("15th of January", "2027-01-15")]
    [InlineData("15 Jan", "2027-01-15")]
    [InlineData("15/01", "2027-01-15")]
    [InlineData("25/11", "2026-11-25")]
    [InlineData("25/11/2027", "2027-11-25")]
    [InlineData("2026-12-01", "2026-12-01")]
    [InlineData("tarehe 15", "2026-12-15")]
    [InlineData("tarehe 25", "2026-11-25")]
    [InlineData("el día 20", "2026-11-20")]
    [InlineData("20 de noviembre", "2026-11-20")]
    [InlineData("31 de febrero", null)]
    [InlineData("en 3 días", "2026-11-22")]
    [InlineData("en la mañana", null)]
    [InlineData("por la mañana", null)]
    [InlineData("a las 10 de la mañana", null)]
    [InlineData("esta tarde", "2026-11-19")]
    [InlineData("tonight", "2026-11-19")]
    [InlineData("4", null)]
    [InlineData("a las 4", null)]
    public void Dates_AreRelativeToToday(string text, string? expected) => Assert.Equal(Date(expected), Read(text).Date);

    [Theory]
    [InlineData("mañana", "2026-12-31")]
    [InlineData("pasado mañana", "2027-01-01")]
    [InlineData("kesho kutwa", "2027-01-01")]
    [InlineData("el lunes", "2027-01-04")]
    [InlineData("el viernes", "2027-01-01")]
    [InlineData("15 de enero", "2027-01-15")]
    [InlineData("30 de diciembre", "2026-12-30")]
    [InlineData("29 de diciembre", "2027-12-29")]
    [InlineData("tarehe 2", "2027-01-02")]
    public void Dates_CrossMonthAndYearEnd(string text, string expected) =>
        Assert.Equal(Date(expected), Understand.Read(text, new LocalDate(2026, 12, 30), Services, Language.Es).Date);

    [Fact]
    public void Date_WeekdayAndNumber_PrefersTheDayNumberWhenNoMatchingWeekdayIsNear() =>
        Assert.Equal(new LocalDate(2026, 12, 16), Read("el lunes 16").Date); // Dec 16 Wed, Jan 16 Sat, Feb 16 Tue: none Monday → nearest 16th

    [Theory]
    [InlineData("A las 4", "16:00")]
    [InlineData("a las 4", "16:00")]
    [InlineData("4pm", "16:00")]
    [InlineData("4 pm", "16:00")]
    [InlineData("4 p.m.", "16:00")]
    [InlineData("16:00", "16:00")]
    [InlineData("16 hrs", "16:00")]
    [InlineData("10:30", "10:30")]
    [InlineData("11:30", "11:30")]
    [InlineData("4:30", "16:30")]
    [InlineData("10.30", "10:30")]
    [InlineData("las 4 y media", "16:30")]
    [InlineData("4 y cuarto", null)]
    [InlineData("a las 4 y cuarto", "16:15")]
    [InlineData("a las 5 menos cuarto", "16:45")]
    [InlineData("a las 9", "09:00")]
    [InlineData("a las 12", "12:00")]
    [InlineData("a las 7", "19:00")]
    [InlineData("a las 8", "08:00")]
    [InlineData("a las 4 de la mañana", "04:00")]
    [InlineData("a las 10 de la noche", "22:00")]
    [InlineData("a las 4 de la tarde", "16:00")]
    [InlineData("a la una", "13:00")]
    [InlineData("a las cuatro", "16:00")]
    [InlineData("at 10", "10:00")]
    [InlineData("at 3", "15:00")]
    [InlineData("at four", "16:00")]
    [InlineData("10am", "10:00")]
    [InlineData("12am", "00:00")]
    [InlineData("12pm", "12:00")]
    [InlineData("mediodía", "12:00")]
    [InlineData("at noon", "12:00")]
    [InlineData("mañana en la mañana a las 9", "09:00")]
    [InlineData("el sábado en la mañana a las 11", "11:00")]
    [InlineData("in the morning at 7", "07:00")]
    [InlineData("saa nne", "10:00")]
    [InlineData("saa moja", "07:00")]
    [InlineData("saa nne asubuhi", "10:00")]
    [InlineData("saa tisa alasiri", "15:00")]
    [InlineData("saa mbili usiku", "20:00")]
    [InlineData("saa sita", "12:00")]
    [InlineData("saa kumi na mbili", "18:00")]
    [InlineData("saa kumi na mbili asubuhi", "06:00")]
    [InlineData("saa moja jioni", "19:00")]
    [InlineData("saa 10", "16:00")]
    [InlineData("saa 4 pm", "16:00")]
    [InlineData("saa nne na nusu", "10:30")]
    [InlineData("saa tatu kasorobo", "08:45")]
    [InlineData("kesho saa tatu", "09:00")]
    [InlineData("4", null)]
    [InlineData("2", null)]
    [InlineData("tengo 3 hijos", null)]
    public void Times_ResolveHours(string text, string? expected) => Assert.Equal(Time(expected), Read(text).Time);

    [Theory]
    [InlineData("Bloquea de 2 a 3 para mi comida", "14:00", "15:00")]
    [InlineData("de 2 a 3", "14:00", "15:00")]
    [InlineData("from 2 to 3pm", "14:00", "15:00")]
    [InlineData("from 11 to 1pm", "11:00", "13:00")]
    [InlineData("2-3", "14:00", "15:00")]
    [InlineData("de 10 a 12", "10:00", "12:00")]
    [InlineData("de 11 a 1", "11:00", "13:00")]
    [InlineData("de 7 a 9", "07:00", "09:00")]
    [InlineData("desde las 4 hasta las 6", "16:00", "18:00")]
    [InlineData("entre 3 y 5", "15:00", "17:00")]
    [InlineData("between 9 and 11", "09:00", "11:00")]
    [InlineData("de 13:00 a 14:30", "13:00", "14:30")]
    [InlineData("kutoka saa nane hadi saa tisa", "14:00", "15:00")]
    [InlineData("block 10am-11am", "10:00", "11:00")]
    public void Ranges_AreRead_AndTimeIsNull(string text, string start, string end)
    {
        var u = Read(text);
        Assert.Equal(new TimeRange(Time(start)!.Value, Time(end)!.Value), u.Range);
        Assert.Null(u.Time);
    }

    [Theory]
    [InlineData("en la tarde", "Afternoon")]
    [InlineData("por la tarde", "Afternoon")]
    [InlineData("Mañana en la tarde", "Afternoon")]
    [InlineData("in the afternoon", "Afternoon")]
    [InlineData("this evening", "Evening")]
    [InlineData("en la noche", "Evening")]
    [InlineData("en la mañana", "Morning")]
    [InlineData("por las mañanas", "Morning")]
    [InlineData("tomorrow morning", "Morning")]
    [InlineData("asubuhi", "Morning")]
    [InlineData("mchana", "Afternoon")]
    [InlineData("jioni", "Evening")]
    [InlineData("usiku", "Evening")]
    [InlineData("kesho asubuhi", "Morning")]
    [InlineData("buenas tardes", null)]
    [InlineData("good morning", null)]
    [InlineData("buenas noches", null)]
    [InlineData("habari ya asubuhi", null)]
    [InlineData("voy a llegar tarde", null)]
    [InlineData("mañana", null)]
    public void PartsOfDay(string text, string? expected) =>
        Assert.Equal(expected is null ? null : Enum.Parse<PartOfDay>(expected), Read(text).PartOfDay);

    [Fact]
    public void MananaEnLaManana_IsTomorrowMorning()
    {
        var u = Read("mañana en la mañana");
        Assert.Equal(new LocalDate(2026, 11, 20), u.Date);
        Assert.Equal(PartOfDay.Morning, u.PartOfDay);
        Assert.Null(u.Time);
    }

    [Theory]
    [InlineData("sí", true)]
    [InlineData("Si", true)]
    [InlineData("siii", true)]
    [InlineData("claro", true)]
    [InlineData("ok", true)]
    [InlineData("Okay", true)]
    [InlineData("va", true)]
    [InlineData("vale", true)]
    [InlineData("dale", true)]
    [InlineData("sale", true)]
    [InlineData("correcto", true)]
    [InlineData("perfecto", true)]
    [InlineData("👍", true)]
    [InlineData("yes", true)]
    [InlineData("yep", true)]
    [InlineData("sure", true)]
    [InlineData("ndio", true)]
    [InlineData("ndiyo", true)]
    [InlineData("sawa", true)]
    [InlineData("poa", true)]
    [InlineData("Sí perfecto gracias", true)]
    [InlineData("Si, dile que esperamos que esté bien", true)]
    [InlineData("de acuerdo", true)]
    [InlineData("no", false)]
    [InlineData("nop", false)]
    [InlineData("nel", false)]
    [InlineData("hapana", false)]
    [InlineData("la", false)]
    [InlineData("👎", false)]
    [InlineData("✋", false)]
    [InlineData("No solo las 4", false)]
    [InlineData("no gracias", false)]
    [InlineData("No, mejor el lunes", false)]
    public void YesNo_Answers(string text, bool expected) => Assert.Equal(expected, Read(text).Yes);

    [Theory]
    [InlineData("no puedo el sábado")]
    [InlineData("la primera")]
    [InlineData("Para el sabado si hay espacio")]
    [InlineData("va a venir mi hermano también")]
    [InlineData("ya llegué a la barbería")]
    [InlineData("hola")]
    [InlineData("4")]
    public void YesNo_IsNullWhenNotAPlainAnswer(string text) => Assert.Null(Read(text).Yes);

    [Theory]
    [InlineData("la primera", 1)]
    [InlineData("La segunda", 2)]
    [InlineData("la tercera", 3)]
    [InlineData("el 2", 2)]
    [InlineData("2", 2)]
    [InlineData("#2", 2)]
    [InlineData("opción 2", 2)]
    [InlineData("opcion 3", 3)]
    [InlineData("the first", 1)]
    [InlineData("the first one", 1)]
    [InlineData("the 2nd", 2)]
    [InlineData("2nd", 2)]
    [InlineData("la 2da", 2)]
    [InlineData("number 3", 3)]
    [InlineData("ya kwanza", 1)]
    [InlineData("ya pili", 2)]
    [InlineData("ya tatu", 3)]
    [InlineData("4", 4)]
    public void Choice_FromANumberedList(string text, int expected)
    {
        var u = Read(text);
        Assert.Equal(expected, u.Choice);
        Assert.Null(u.Time);
    }

    [Theory]
    [InlineData("a las 4")]
    [InlineData("11:30")]
    [InlineData("el de las 3 no llegó")]
    [InlineData("a las 4 y cuarto")]
    [InlineData("el 15 de enero")]
    [InlineData("mi primera vez aquí, quiero una cita para un corte de cabello")]
    [InlineData("55 1234 5678")]
    public void Choice_IsNullForTimesDatesAndPhones(string text) => Assert.Null(Read(text).Choice);

    [Theory]
    [InlineData("corte", "Corte de cabello")]
    [InlineData("un corte", "Corte de cabello")]
    [InlineData("Quiero una cita para un corte", "Corte de cabello")]
    [InlineData("corte de pelo", "Corte de cabello")]
    [InlineData("corte de cabello", "Corte de cabello")]
    [InlineData("cortes", "Corte de cabello")]
    [InlineData("corté", "Corte de cabello")]
    [InlineData("haircut", "Corte de cabello")]
    [InlineData("a cut please", "Corte de cabello")]
    [InlineData("nataka kunyoa", "Corte de cabello")]
    [InlineData("kunyolewa nywele", "Corte de cabello")]
    [InlineData("barba", "Arreglo de barba")]
    [InlineData("arreglo de barba", "Arreglo de barba")]
    [InlineData("beard trim", "Arreglo de barba")]
    [InlineData("ndevu", "Arreglo de barba")]
    [InlineData("corte y barba", "Corte y barba")]
    [InlineData("corte con barba", "Corte y barba")]
    [InlineData("haircut and beard", "Corte y barba")]
    [InlineData("corte para niño", "Corte infantil")]
    [InlineData("corte infantil", "Corte infantil")]
    [InlineData("haircut for my kid", "Corte infantil")]
    [InlineData("manicure", "Manicure")]
    [InlineData("manicura", "Manicure")]
    [InlineData("manicur", "Manicure")]
    [InlineData("uñas", "Manicure")]
    [InlineData("unas", "Manicure")]
    [InlineData("nails", "Manicure")]
    [InlineData("kucha", "Manicure")]
    [InlineData("trenzas", "Trenzas")]
    [InlineData("trensas", "Trenzas")]
    [InlineData("braids", "Trenzas")]
    [InlineData("kusuka", "Trenzas")]
    public void Services_BestMatchFirst(string text, string expected)
    {
        var matches = Read(text).Services;
        Assert.NotEmpty(matches);
        Assert.Equal(expected, matches[0].Name);
        Assert.InRange(matches[0].Score, ServiceMatcher.Threshold, 1.0);
        Assert.All(matches, m => Assert.InRange(m.Score, ServiceMatcher.Threshold, 1.0));
        Assert.Equal(matches.OrderByDescending(m => m.Score).Select(m => m.Score), matches.Select(m => m.Score));
    }

    [Theory]
    [InlineData("hola")]
    [InlineData("quiero una cita")]
    [InlineData("a qué hora abren")]
    [InlineData("asdfgh qwerty")]
    [InlineData("tengo una pregunta")]
    [InlineData("nina nini leo")]
    [InlineData("tinte")]
    public void Services_NoneWhenNotNamed(string text) => Assert.Empty(Read(text).Services);

    [Fact]
    public void Services_ExactNameScoresOne()
    {
        var match = Read("quiero corte y barba").Services[0];
        Assert.Equal(("Corte y barba", 1.0), (match.Name, match.Score));
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000003"), match.Id);
    }

    [Theory]
    [InlineData("hola", "Greeting")]
    [InlineData("Hola buenas tardes", "Greeting")]
    [InlineData("buenos días", "Greeting")]
    [InlineData("hi", "Greeting")]
    [InlineData("hello there", "Greeting")]
    [InlineData("habari", "Greeting")]
    [InlineData("mambo", "Greeting")]
    [InlineData("jambo", "Greeting")]
    [InlineData("quiero una cita", "Book")]
    [InlineData("kiero una cita", "Book")]
    [InlineData("quiero agendar", "Book")]
    [InlineData("me das un corte", "Book")]
    [InlineData("Quiero una cita para un corte", "Book")]
    [InlineData("book", "Book")]
    [InlineData("I'd like an appointment", "Book")]
    [InlineData("nataka kunyoa", "Book")]
    [InlineData("nataka kupanga miadi", "Book")]
    [InlineData("corte", "Book")]
    [InlineData("Hola, necesito cambiar mi cita de mañana", "Reschedule")]
    [InlineData("mover mi cita", "Reschedule")]
    [InlineData("quiero reagendar", "Reschedule")]
    [InlineData("reschedule", "Reschedule")]
    [InlineData("can I change my appointment", "Reschedule")]
    [InlineData("badilisha miadi", "Reschedule")]
    [InlineData("cancelar", "Cancel")]
    [InlineData("quiero cancelar mi cita", "Cancel")]
    [InlineData("canselar", "Cancel")]
    [InlineData("ya no puedo ir", "Cancel")]
    [InlineData("cancel", "Cancel")]
    [InlineData("I can't make it", "Cancel")]
    [InlineData("ghairi", "Cancel")]
    [InlineData("mis citas", "MyAppointments")]
    [InlineData("¿cuándo es mi cita?", "MyAppointments")]
    [InlineData("cuando es mi cita", "MyAppointments")]
    [InlineData("my appointments", "MyAppointments")]
    [InlineData("miadi yangu", "MyAppointments")]
    [InlineData("¿qué servicios tienen?", "Services")]
    [InlineData("cuánto cuesta el corte", "Services")]
    [InlineData("precios", "Services")]
    [InlineData("prices", "Services")]
    [InlineData("bei gani", "Services")]
    [InlineData("Oye quiero saber si hacen tintes para hombre", "Services")]
    [InlineData("¿a qué hora abren?", "Hours")]
    [InlineData("horario", "Hours")]
    [InlineData("what are your hours", "Hours")]
    [InlineData("mnafungua saa ngapi", "Hours")]
    [InlineData("¿dónde están?", "Location")]
    [InlineData("dirección", "Location")]
    [InlineData("where are you", "Location")]
    [InlineData("mko wapi", "Location")]
    [InlineData("quiero hablar con una persona", "Human")]
    [InlineData("humano", "Human")]
    [InlineData("agent", "Human")]
    [InlineData("nataka kuongea na mtu", "Human")]
    [InlineData("gracias", "Thanks")]
    [InlineData("muchas grax", "Thanks")]
    [InlineData("thanks", "Thanks")]
    [InlineData("thank you", "Thanks")]
    [InlineData("asante sana", "Thanks")]
    [InlineData("adiós", "Bye")]
    [InlineData("bye", "Bye")]
    [InlineData("kwaheri", "Bye")]
    [InlineData("¿Qué tengo hoy?", "MyAgenda")]
    [InlineData("mi agenda", "MyAgenda")]
    [InlineData("what do I have today", "MyAgenda")]
    [InlineData("ratiba yangu", "MyAgenda")]
    [InlineData("agenda de todos", "BusinessAgenda")]
    [InlineData("business schedule", "BusinessAgenda")]
    [InlineData("Bloquea de 2 a 3 para mi comida", "BlockTime")]
    [InlineData("Bloquea las 4, tengo que salir temprano", "BlockTime")]
    [InlineData("block 3pm", "BlockTime")]
    [InlineData("zuia saa nane", "BlockTime")]
    [InlineData("El de las 3 no llegó", "NoShow")]
    [InlineData("no show", "NoShow")]
    [InlineData("the 4pm didn't show", "NoShow")]
    [InlineData("hakuja", "NoShow")]
    [InlineData("ya terminé con Juan", "Completed")]
    [InlineData("completado", "Completed")]
    [InlineData("done with the 3pm", "Completed")]
    [InlineData("nimemaliza", "Completed")]
    [InlineData("Walk-in: Juan 55 1234 5678", "WalkIn")]
    [InlineData("Acaba de llegar alguien para uñas", "WalkIn")]
    [InlineData("historial de 5512345678", "CustomerHistory")]
    [InlineData("customer history", "CustomerHistory")]
    [InlineData("agrega a Pedro 5512345678 como barbero", "AddStaff")]
    [InlineData("Quiero agregar un nuevo empleado", "AddStaff")]
    [InlineData("add John as a barber", "AddStaff")]
    [InlineData("ongeza mfanyakazi", "AddStaff")]
    public void Intents_MostLikelyFirst(string text, string expected)
    {
        var intents = Read(text).Intents;
        Assert.NotEmpty(intents);
        Assert.Equal(Enum.Parse<Intent>(expected), intents[0]);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("ok")]
    [InlineData("asdkjh qwe")]
    [InlineData("🙂🙂")]
    [InlineData("")]
    [InlineData("Juan Pérez")]
    public void Intents_NoneWithoutEvidence(string text) => Assert.Empty(Read(text).Intents);

    [Fact]
    public void Intents_GreetingComesAfterTheAction() =>
        Assert.Equal([Intent.Reschedule, Intent.Greeting], Read("Hola, necesito cambiar mi cita de mañana").Intents);

    [Theory]
    [InlineData("me llamo Ana", "Ana")]
    [InlineData("Me llamo ana lópez", "ana lópez")]
    [InlineData("soy Pedro", "Pedro")]
    [InlineData("mi nombre es Juan Pérez", "Juan Pérez")]
    [InlineData("my name is John", "John")]
    [InlineData("I'm Mary", "Mary")]
    [InlineData("jina langu ni Wanjiku", "Wanjiku")]
    [InlineData("naitwa Otieno", "Otieno")]
    [InlineData("Juan Pérez", "Juan Pérez")]
    [InlineData("Walk-in: Juan 55 1234 5678", "Juan")]
    [InlineData("agrega a Pedro 5512345678 como barbero", "Pedro")]
    [InlineData("ya terminé con Juan", "Juan")]
    [InlineData("soy nuevo", null)]
    [InlineData("Hola", null)]
    [InlineData("Mañana", null)]
    [InlineData("Trenzas", null)]
    [InlineData("quiero una cita", null)]
    public void Names(string text, string? expected) => Assert.Equal(expected, Read(text).Name);

    [Theory]
    [InlineData("Ana", "Ana")]
    [InlineData("juan pérez", "juan pérez")]
    [InlineData("María José López", "María José López")]
    [InlineData("sí", null)]
    [InlineData("a las 4", null)]
    [InlineData("uno dos tres cuatro", null)]
    [InlineData("corte", null)]
    public void NameOnly_WhenAsked(string text, string? expected) => Assert.Equal(expected, Understand.NameOnly(text));

    [Theory]
    [InlineData("Walk-in: Juan 55 1234 5678", "55 1234 5678")]
    [InlineData("historial de 5512345678", "5512345678")]
    [InlineData("mi cel es +52 55 1234 5678", "+52 55 1234 5678")]
    [InlineData("0712 345 678", "0712 345 678")]
    [InlineData("+254712345678", "+254712345678")]
    [InlineData("a las 16:00", null)]
    [InlineData("15/01", null)]
    [InlineData("2026-11-22", null)]
    public void Phones_AsTyped(string text, string? expected) => Assert.Equal(expected, Read(text).Phone);

    [Theory]
    [InlineData("Hola, quiero una cita para mañana", "Es")]
    [InlineData("¿Qué tengo hoy?", "Es")]
    [InlineData("I'd like an appointment tomorrow", "En")]
    [InlineData("what are your hours", "En")]
    [InlineData("Habari, nataka kunyoa kesho", "Sw")]
    [InlineData("asante sana", "Sw")]
    [InlineData("4", null)]
    [InlineData("ok", null)]
    [InlineData("👍", null)]
    [InlineData("Juan Pérez", null)]
    public void Language_FromVocabulary(string text, string? expected) =>
        Assert.Equal(expected is null ? null : Enum.Parse<Language>(expected), Read(text).Language);

    [Theory]
    [InlineData("¡Hola!  ¿Qué TAL?", "hola que tal")]
    [InlineData("Mañana a las 4pm", "manana a las 4 pm")]
    [InlineData("q onda, xq no?", "que onda porque no")]
    [InlineData("16:00 hrs.", "16:00 hrs")]
    [InlineData("Siiii perfectooo", "si perfecto")]
    [InlineData("15/01", "15/01")]
    [InlineData("", "")]
    public void Normalize_Examples(string text, string expected) => Assert.Equal(expected, Understand.Normalize(text));

    [Theory]
    [InlineData("asdfghjkl")]
    [InlineData("🙂😂🔥")]
    [InlineData("   ")]
    [InlineData("????!!!!")]
    [InlineData("9999999999999999999999999")]
    [InlineData("a las 99")]
    [InlineData("saa 0")]
    public void Gibberish_UnderstandsNothing(string text)
    {
        var u = Read(text);
        Assert.Equal(
            (0, (LocalDate?)null, (LocalTime?)null, (TimeRange?)null, (int?)null, 0, (string?)null),
            (u.Intents.Count, u.Date, u.Time, u.Range, u.Choice, u.Services.Count, u.Name));
    }

    [Fact]
    public void VeryLongText_IsRead_FromItsStartAndItsEnd()
    {
        var repeated = Read(string.Concat(Enumerable.Repeat("hola quiero una cita para un corte mañana a las 4 por favor 🙂 ", 2000)));
        Assert.Equal(Intent.Book, repeated.Intents[0]);
        Assert.Equal(new LocalDate(2026, 11, 20), repeated.Date);

        // The request at the very end of a long story is still read.
        var story = Read(string.Concat(Enumerable.Repeat("la semana pasada estuve muy ocupado con el trabajo y la familia. ", 100)) + "¿me das un corte el sábado a las 11?");
        Assert.Equal((Intent.Book, new LocalDate(2026, 11, 21), new LocalTime(11, 0)), (story.Intents[0], story.Date, story.Time));
    }

    [Fact]
    public void Example_BookingConversation()
    {
        var first = Read("Quiero una cita para un corte");
        Assert.Equal((Intent.Book, "Corte de cabello"), (first.Intents[0], first.Services[0].Name));

        var when = Read("Mañana en la tarde");
        Assert.Equal((new LocalDate(2026, 11, 20), PartOfDay.Afternoon, (LocalTime?)null), (when.Date!.Value, when.PartOfDay!.Value, when.Time));

        Assert.Equal(new LocalTime(16, 0), Read("A las 4").Time);
        Assert.Equal([Intent.Thanks], Read("Gracias").Intents);
    }

    [Fact]
    public void Example_StaffBlockAndNoShow()
    {
        var block = Read("Bloquea las 4, tengo que salir temprano");
        Assert.Equal((Intent.BlockTime, new LocalTime(16, 0)), (block.Intents[0], block.Time!.Value));

        var noShow = Read("El de las 3 no llegó");
        Assert.Equal((Intent.NoShow, new LocalTime(15, 0), (int?)null), (noShow.Intents[0], noShow.Time!.Value, noShow.Choice));

        var agenda = Read("¿Qué tengo hoy?");
        Assert.Equal((Intent.MyAgenda, Today), (agenda.Intents[0], agenda.Date!.Value));
    }

    [Fact]
    public void Example_WalkInAndAddStaff()
    {
        var walkIn = Read("Walk-in: Juan 55 1234 5678");
        Assert.Equal((Intent.WalkIn, "Juan", "55 1234 5678"), (walkIn.Intents[0], walkIn.Name, walkIn.Phone));

        var add = Read("agrega a Pedro 5512345678 como barbero");
        Assert.Equal((Intent.AddStaff, "Pedro", "5512345678"), (add.Intents[0], add.Name, add.Phone));
        Assert.Null(add.Time);
    }

    [Fact]
    public void Example_SwahiliBooking()
    {
        var u = Read("Habari, nataka kunyoa kesho saa nne asubuhi", Language.Sw);
        Assert.Equal(
            (Intent.Book, new LocalDate(2026, 11, 20), new LocalTime(10, 0), PartOfDay.Morning, "Corte de cabello", (Language?)Language.Sw),
            (u.Intents[0], u.Date!.Value, u.Time!.Value, u.PartOfDay!.Value, u.Services[0].Name, u.Language));
    }
}
