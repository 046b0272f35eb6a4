using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Assistant;

/// <summary>Customers booking by chat through the simulator: the whole pipeline, the guided engine and the booking service.</summary>
public sealed class GuidedBookingTests
{
    // Monday 23 November 2026, 08:00 in Mexico City.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private sealed record Shop(MessagingHarness H, Guid ServiceId);

    private static async Task<Shop> StartAsync()
    {
        var h = await MessagingHarness.StartAsync(connect: false);
        h.App.Time.Set(Now);
        return new Shop(h, await ArrangeAsync(h.Client, h.Tenant.Path, "Corte de cabello", "Arreglo de barba", "55 9000 0001"));
    }

    private static async Task<Guid> ArrangeAsync(HttpClient client, string path, string haircut, string beard, string staffPhone)
    {
        var service = await (await client.PostJsonAsync($"{path}/services", new { name = haircut, duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/services", new { name = beard, duration_minutes = 20, price_cents = 15000 })).AssertStatusAsync(201);
        await (await client.PostJsonAsync($"{path}/staff", new { name = "Luis", phone_number = staffPhone })).AssertStatusAsync(201);
        return service.Id();
    }

    /// <summary>The shop's barber (the only one unless a test adds another).</summary>
    private static Task<Guid> LuisAsync(MessagingHarness h) =>
        h.QueryAsync(db => db.Staff.IgnoreQueryFilters().Where(s => s.Name == "Luis").Select(s => s.Id).SingleAsync());

    /// <summary>Sends a customer message through the simulator and returns the assistant's reply text.</summary>
    private static async Task<string> SayAsync(MessagingHarness h, string path, HttpClient client, string text, string from = "55 1234 0000")
    {
        var before = await h.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Outbound));
        await (await client.PostJsonAsync($"{path}/simulator/messages", new { from, text })).AssertStatusAsync(202);
        await Eventually.HoldsAsync(
            () => h.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.Direction == MessageDirection.Outbound && m.Status == MessageStatus.Sent)).ContinueWith(t => t.Result > before),
            $"a reply to «{text}»");
        return (await h.QueryAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Outbound).OrderBy(m => m.Id).ToListAsync())).Last().Body!;
    }

    private static async Task<List<DateTimeOffset>> FreeTimesAsync(HttpClient client, string path, Guid serviceId, string date)
    {
        var slots = await (await client.GetAsync($"{path}/availability/slots?service_id={serviceId}&date_from={date}&date_to={date}")).AssertStatusAsync(200);
        return slots["slots"]!.AsArray().Select(s => DateTimeOffset.Parse(s!.Str("start"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    [Fact]
    public async Task ANewCustomer_BooksAHaircutTomorrowAfternoon_InThreeMessages_AtATimeThatWasFree()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var free = await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-24");

        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "Quiero un corte mañana en la tarde");
        Assert.Contains("Mañana martes 24 de noviembre tengo estos horarios para corte de cabello ($250)", offer, StringComparison.Ordinal);
        // Every time offered is a free afternoon time from the slot finder.
        var offered = offer.Split('\n').Where(l => l.Length > 3 && char.IsDigit(l[0]) && l[1] == '.').Select(l => l[3..]).ToList();
        Assert.InRange(offered.Count, 1, 5);
        var freeLabels = free.Where(t => t.Hour is >= 12 and < 18).Select(t => $"{(t.Hour % 12 == 0 ? 12 : t.Hour % 12)}:{t.Minute:00} p.m.").ToHashSet();
        Assert.All(offered, o => Assert.Contains(o, freeLabels));

        var confirm = await SayAsync(h, h.Tenant.Path, h.Client, "la segunda");
        Assert.StartsWith($"¿Te agendo corte de cabello mañana martes 24 de noviembre a las {offered[1]} con Luis ($250)?", confirm, StringComparison.Ordinal);

        var booked = await SayAsync(h, h.Tenant.Path, h.Client, "sí");
        Assert.Contains("Tu cita quedó confirmada", booked, StringComparison.Ordinal);

        var appointment = await h.QueryAsync(db => db.Appointments.SingleAsync());
        Assert.Equal(AppointmentSource.Whatsapp, appointment.Source);
        Assert.Equal(AppointmentStatus.Confirmed, appointment.Status);
        var start = new DateTimeOffset(appointment.StartAt, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(-6));
        Assert.Contains(free, f => f == start);
        Assert.Equal(offered[1], $"{(start.Hour % 12 == 0 ? 12 : start.Hour % 12)}:{start.Minute:00} p.m.");
        Assert.Equal("+525512340000", (await h.QueryAsync(db => db.Customers.SingleAsync(c => c.Id == appointment.CustomerId))).PhoneNumber);
    }

    [Fact]
    public async Task WhenNothingIsFreeInThePartOfDayAsked_TheReplySaysSo_AndOffersThatDaysNearestFreeTimes()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        // Luis, the only barber, leaves at 5 p.m. that Wednesday.
        var luis = await LuisAsync(h);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/availability", new
        {
            staff_id = luis, type = "exception", exception_date = "2026-11-25", start_time = "17:00", end_time = "23:00", is_available = false,
        })).AssertStatusAsync(201);
        var free = await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-25");

        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "Quiero un corte el miércoles en la noche");
        Assert.DoesNotContain(free, t => t.Hour >= 18);
        Assert.StartsWith("No me queda nada en la noche, pero el miércoles 25 de noviembre tengo estos horarios para corte de cabello ($250):", offer, StringComparison.Ordinal);
        // The latest free times of that day, the nearest to the evening asked.
        Assert.Equal(free.OrderBy(t => t).TakeLast(5).Select(Label), Offered(offer));
    }

    [Fact]
    public async Task WhenTheDayAskedIsClosed_ThePartOfDayAskedIsOfferedOnTheNextDayThatHasIt()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var monday = await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-30");
        Assert.Empty(await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-29"));

        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "un corte el domingo en la noche");
        Assert.StartsWith("No me queda nada ese día en la noche, pero el lunes 30 de noviembre tengo estos horarios para corte de cabello ($250):", offer, StringComparison.Ordinal);
        var evening = monday.Where(t => t.Hour >= 18).ToList();
        Assert.NotEmpty(evening);
        Assert.Equal(evening.Take(5).Select(Label), Offered(offer));
    }

    [Fact]
    public async Task WhenTheTimeAskedIsTaken_TheReplySaysSo_AndOffersTheNearestFreeTimesThatDay()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var luis = await LuisAsync(h);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/appointments", new
        {
            service_id = shop.ServiceId, staff_id = luis, start = "2026-11-24T22:00:00Z", customer_phone = "55 7777 0000",
        })).AssertStatusAsync(201);
        var free = await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-24");
        Assert.DoesNotContain(free, t => t.Hour == 16 && t.Minute == 0);

        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "¿tienes para un corte mañana a las 4?");
        Assert.StartsWith("No me queda nada a esa hora, pero mañana martes 24 de noviembre tengo estos horarios para corte de cabello ($250):", offer, StringComparison.Ordinal);
        var four = new TimeSpan(16, 0, 0);
        Assert.Equal(free.OrderBy(t => Math.Abs((t.TimeOfDay - four).Ticks)).ThenBy(t => t).Take(5).OrderBy(t => t).Select(Label), Offered(offer));
    }

    private static string Label(DateTimeOffset t) => $"{(t.Hour % 12 == 0 ? 12 : t.Hour % 12)}:{t.Minute:00} {(t.Hour < 12 ? "a.m." : "p.m.")}";

    private static List<string> Offered(string offer) =>
        offer.Split('\n').Where(l => l.Length > 3 && char.IsDigit(l[0]) && l[1] == '.').Select(l => l[3..]).ToList();

    [Fact]
    public async Task AskingStepByStep_ServiceThenDay_ThenATypedTime()
    {
        var shop = await StartAsync();
        await using var h = shop.H;

        Assert.StartsWith("¡Hola! Bienvenido a Barbería Centro", await SayAsync(h, h.Tenant.Path, h.Client, "Hola buenas tardes"), StringComparison.Ordinal);
        Assert.StartsWith("¡Claro! ¿Qué servicio", await SayAsync(h, h.Tenant.Path, h.Client, "Quiero una cita"), StringComparison.Ordinal);
        Assert.StartsWith("¡Claro! ¿Para qué día te gustaría tu arreglo de barba?", await SayAsync(h, h.Tenant.Path, h.Client, "barba"), StringComparison.Ordinal);
        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "el miércoles");
        var first = offer.Split('\n').First(l => l.StartsWith("1. ", StringComparison.Ordinal))[3..];
        Assert.StartsWith("Miércoles 25 de noviembre tengo estos horarios para arreglo de barba", offer, StringComparison.Ordinal);

        var hour = int.Parse(first.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        var typed = $"a las {hour}:{first.Split(':')[1][..2]}{(first.EndsWith("p.m.", StringComparison.Ordinal) && hour != 12 ? " pm" : " am")}";
        Assert.StartsWith("¿Te agendo arreglo de barba", await SayAsync(h, h.Tenant.Path, h.Client, typed), StringComparison.Ordinal);
        Assert.Contains("confirmada", await SayAsync(h, h.Tenant.Path, h.Client, "va"), StringComparison.Ordinal);
        Assert.Equal(1, await h.QueryAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task SayingNo_AsksForAnotherTime_AndBooksNothing_ThenTheCustomerCancelsWhatTheyBooked()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        await SayAsync(h, h.Tenant.Path, h.Client, "un corte mañana en la tarde");
        await SayAsync(h, h.Tenant.Path, h.Client, "1");
        Assert.StartsWith("Sin problema", await SayAsync(h, h.Tenant.Path, h.Client, "no"), StringComparison.Ordinal);
        Assert.Equal(0, await h.QueryAsync(db => db.Appointments.CountAsync()));

        await SayAsync(h, h.Tenant.Path, h.Client, "mañana en la mañana");
        await SayAsync(h, h.Tenant.Path, h.Client, "la primera");
        await SayAsync(h, h.Tenant.Path, h.Client, "sí");
        Assert.Contains("Tus próximas citas:", await SayAsync(h, h.Tenant.Path, h.Client, "mis citas"), StringComparison.Ordinal);

        Assert.StartsWith("¿Cancelo tu cita de mañana martes 24 de noviembre", await SayAsync(h, h.Tenant.Path, h.Client, "quiero cancelar mi cita"), StringComparison.Ordinal);
        Assert.StartsWith("Listo, cancelé tu cita", await SayAsync(h, h.Tenant.Path, h.Client, "si"), StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Cancelled, (await h.QueryAsync(db => db.Appointments.SingleAsync())).Status);
    }

    [Fact]
    public async Task ATimeTakenBetweenOfferAndYes_IsNotBooked_AndFreshTimesAreOffered()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "un corte mañana en la tarde");
        var first = offer.Split('\n').First(l => l.StartsWith("1. ", StringComparison.Ordinal))[3..];
        await SayAsync(h, h.Tenant.Path, h.Client, "1");

        // Someone books that time at the front desk meanwhile.
        var free = await FreeTimesAsync(h.Client, h.Tenant.Path, shop.ServiceId, "2026-11-24");
        var taken = free.First(t => t.Hour is >= 12 and < 18);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/appointments", new { service_id = shop.ServiceId, start = taken.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), customer_phone = "55 7777 0000" })).AssertStatusAsync(201);

        var reply = await SayAsync(h, h.Tenant.Path, h.Client, "sí");
        Assert.StartsWith("¡Uy! Ese horario se acaba de ocupar", reply, StringComparison.Ordinal);
        Assert.DoesNotContain($". {first}\n", reply, StringComparison.Ordinal);
        Assert.Equal(1, await h.QueryAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task WhenTheBarberOfferedIsTakenMeanwhile_AnotherFreeAtThatTime_TakesTheCustomer()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var ana = (await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/staff", new { name = "Ana", phone_number = "55 9000 0002" })).AssertStatusAsync(201)).Id();
        var luis = await LuisAsync(h);
        await SayAsync(h, h.Tenant.Path, h.Client, "un corte mañana en la tarde");
        var confirm = await SayAsync(h, h.Tenant.Path, h.Client, "1");
        Assert.Contains("con Luis", confirm, StringComparison.Ordinal);
        var offered = await h.QueryAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.CustomerId != null).Select(c => c.AssistantState).SingleAsync());
        var start = DateTimeOffset.FromUnixTimeSeconds(System.Text.Json.Nodes.JsonNode.Parse(offered!)!["chosen"]!["start"]!.GetValue<long>());

        // Someone books Luis at that very time at the front desk; Ana is still free then.
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/appointments", new
        {
            service_id = shop.ServiceId, staff_id = luis, start = start.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), customer_phone = "55 7777 0000",
        })).AssertStatusAsync(201);

        var booked = await SayAsync(h, h.Tenant.Path, h.Client, "sí");
        Assert.Contains("Tu cita quedó confirmada", booked, StringComparison.Ordinal);
        Assert.Contains("con Ana", booked, StringComparison.Ordinal);
        var customer = await h.QueryAsync(db => db.Customers.Where(c => c.PhoneNumber == "+525512340000").Select(c => c.Id).SingleAsync());
        var mine = await h.QueryAsync(db => db.Appointments.SingleAsync(a => a.CustomerId == customer));
        Assert.Equal((ana, start.UtcDateTime), (mine.StaffId, mine.StartAt));
    }

    [Fact]
    public async Task NoAppointmentsToCancel_WouldYouLikeToBookOne_YesStartsBooking_NoLeavesItThere()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        Assert.Equal("No tienes citas próximas. ¿Quieres agendar una?", await SayAsync(h, h.Tenant.Path, h.Client, "quiero cancelar mi cita"));
        Assert.StartsWith("¡Claro! ¿Qué servicio te gustaría?", await SayAsync(h, h.Tenant.Path, h.Client, "sí"), StringComparison.Ordinal);
        Assert.StartsWith("Mañana martes 24 de noviembre tengo estos horarios", await SayAsync(h, h.Tenant.Path, h.Client, "corte mañana en la tarde"), StringComparison.Ordinal);

        Assert.Equal("No tienes citas próximas. ¿Quieres agendar una?", await SayAsync(h, h.Tenant.Path, h.Client, "mis citas", from: "55 1234 0001"));
        Assert.StartsWith("Está bien. Aquí estoy cuando quieras agendar.", await SayAsync(h, h.Tenant.Path, h.Client, "no", from: "55 1234 0001"), StringComparison.Ordinal);
        // The question is answered: a later "sí" out of the blue books nothing and is not taken as that answer.
        Assert.StartsWith("Perdón, no te entendí", await SayAsync(h, h.Tenant.Path, h.Client, "sí", from: "55 1234 0001"), StringComparison.Ordinal);
        Assert.Equal(0, await h.QueryAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task InEnglish_AndInSwahili_TheSameFlowBooks()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        var kenya = await h.App.CreateAsync(Tenants.NairobiSalon());
        using var ke = h.App.Client(kenya.ApiKey);
        await ArrangeAsync(ke, kenya.Path, "Haircut", "Beard trim", "0790 000 001");

        var en = await SayAsync(h, kenya.Path, ke, "I'd like a haircut tomorrow afternoon", from: "0711 000 101");
        Assert.Contains("I have these times for haircut", en, StringComparison.Ordinal);
        Assert.StartsWith("Shall I book haircut", await SayAsync(h, kenya.Path, ke, "the first", from: "0711 000 101"), StringComparison.Ordinal);
        Assert.StartsWith("Done", await SayAsync(h, kenya.Path, ke, "yes", from: "0711 000 101"), StringComparison.Ordinal);

        var sw = await SayAsync(h, kenya.Path, ke, "Habari, nataka kunyoa kesho jioni", from: "0722 000 102");
        Assert.Contains("nafasi", sw, StringComparison.Ordinal);
        Assert.StartsWith("Nikupangie Haircut", await SayAsync(h, kenya.Path, ke, "ya kwanza", from: "0722 000 102"), StringComparison.Ordinal);
        Assert.StartsWith("Tayari", await SayAsync(h, kenya.Path, ke, "ndiyo", from: "0722 000 102"), StringComparison.Ordinal);
        Assert.Equal(2, await h.QueryAsync(db => db.Appointments.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == kenya.Id)));
    }

    [Fact]
    public async Task Rescheduling_MovesTheAppointment_InsteadOfBookingASecondOne()
    {
        var shop = await StartAsync();
        await using var h = shop.H;
        await SayAsync(h, h.Tenant.Path, h.Client, "un corte mañana en la tarde");
        await SayAsync(h, h.Tenant.Path, h.Client, "1");
        await SayAsync(h, h.Tenant.Path, h.Client, "sí");
        var before = await h.QueryAsync(db => db.Appointments.SingleAsync());

        Assert.StartsWith("Claro que sí. Veo que tienes tu cita mañana martes 24 de noviembre", await SayAsync(h, h.Tenant.Path, h.Client, "Hola, necesito cambiar mi cita de mañana"), StringComparison.Ordinal);
        var offer = await SayAsync(h, h.Tenant.Path, h.Client, "Para el sábado si hay espacio");
        Assert.StartsWith("Sábado 28 de noviembre tengo estos horarios", offer, StringComparison.Ordinal);
        await SayAsync(h, h.Tenant.Path, h.Client, "la primera");
        Assert.StartsWith("Listo, cambié tu cita para el sábado 28 de noviembre", await SayAsync(h, h.Tenant.Path, h.Client, "Sí perfecto"), StringComparison.Ordinal);

        var after = await h.QueryAsync(db => db.Appointments.SingleAsync());
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(new DateOnly(2026, 11, 28), DateOnly.FromDateTime(after.StartAt.AddHours(-6)));
    }
}
