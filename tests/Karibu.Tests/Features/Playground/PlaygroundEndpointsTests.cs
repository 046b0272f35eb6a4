using System.Text.Json.Nodes;
using Karibu.Features.Conversations;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Playground;

/// <summary>The playground's JSON endpoints: who they are open to, and talking to the assistant through them.</summary>
public sealed class PlaygroundEndpointsTests
{
    private static readonly string[] SenderKinds = ["new_customer", "customer", "customer", "customer", "customer", "staff", "owner"];

    [Fact]
    public async Task OutsideDevelopment_OnlyDemoBusinessesAreListed_AndAnyOtherAnswers404()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        var other = await shop.App.CreateAsync(Tenants.MexicoBarbershop("Barbería Privada"));

        var businesses = (await (await shop.Anonymous.GetAsync("/playground/api/businesses")).AssertStatusAsync(200))["data"]!.AsArray();
        var only = Assert.Single(businesses)!;
        Assert.Equal(shop.DemoId, only.Id());
        Assert.Equal("Barbería El Bigote", only.Str("name"));
        Assert.Equal("es-MX", only.Str("locale"));
        Assert.True(only["is_demo"]!.GetValue<bool>());

        var api = $"/playground/api/businesses/{other.Id}";
        await (await shop.Anonymous.GetAsync($"{api}/senders")).AssertProblemAsync(404);
        await (await shop.Anonymous.GetAsync($"{api}/thread?sender=new:%2B525500001111")).AssertProblemAsync(404);
        await (await shop.Anonymous.GetAsync($"{api}/agenda")).AssertProblemAsync(404);
        await (await shop.Anonymous.PostJsonAsync($"{api}/messages", new { sender = "new:+525500001111", text = "Hola" })).AssertProblemAsync(404);
        await (await shop.Anonymous.GetAsync($"/playground/api/businesses/{Guid.CreateVersion7()}/senders")).AssertProblemAsync(404);

        // Nothing reached the other business's inbox.
        Assert.Equal(0, await Count(shop.App, db => db.InboxEvents.CountAsync(e => e.OrganizationId == other.Id)));
    }

    [Fact]
    public async Task InDevelopment_EveryBusinessIsOpen()
    {
        await using var shop = await PlaygroundShop.StartAsync(environment: "Development");
        var other = await shop.App.CreateAsync(Tenants.NairobiSalon());

        var businesses = (await (await shop.Anonymous.GetAsync("/playground/api/businesses")).AssertStatusAsync(200))["data"]!.AsArray();
        Assert.Equal(new[] { shop.DemoId, other.Id }, businesses.Select(b => b!.Id()));
        Assert.Equal("sw-KE", businesses[1]!.Str("locale"));
        Assert.False(businesses[1]!["is_demo"]!.GetValue<bool>());

        var senders = (await (await shop.Anonymous.GetAsync($"/playground/api/businesses/{other.Id}/senders")).AssertStatusAsync(200))["data"]!.AsArray();
        var fresh = Assert.Single(senders)!;
        Assert.Equal("new_customer", fresh.Str("kind"));
        Assert.StartsWith("+2547", fresh.Str("phone"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Senders_AreANewCustomer_TheKnownCustomers_TheStaff_AndTheOwner()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        var senders = (await (await shop.Anonymous.GetAsync($"{shop.Api}/senders")).AssertStatusAsync(200))["data"]!.AsArray();

        Assert.Equal(SenderKinds, senders.Select(s => s!.Str("kind")));
        var fresh = senders[0]!;
        Assert.Matches(@"^\+5255\d{8}$", fresh.Str("phone"));
        Assert.Equal($"new:{fresh.Str("phone")}", fresh.Str("id"));
        Assert.Contains(senders, s => s!.Str("id") == $"customer:{shop.CarlosId}" && s!["name"]!.GetValue<string>() == "Carlos Méndez" && s.Str("phone") == "+525587654321");
        Assert.Equal($"staff:{shop.LuisId}", senders[5]!.Str("id"));
        Assert.Equal("Luis", senders[5]!.Str("name"));
        Assert.Equal($"staff:{shop.OwnerId}", senders[6]!.Str("id"));
        Assert.Equal("Don Ramón", senders[6]!.Str("name"));

        // Each call offers a number nobody has.
        var again = (await (await shop.Anonymous.GetAsync($"{shop.Api}/senders")).AssertStatusAsync(200))["data"]![0]!.Str("phone");
        Assert.NotEqual(fresh.Str("phone"), again);
    }

    [Fact]
    public async Task ANewCustomer_GetsTimesAsAList_TapsOne_AndConfirmsByButton_ThroughTheSimulator()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        const string Sender = "new:+525566778899";

        var accepted = await shop.SendAsync(Sender, "Hola, quiero un corte mañana en la tarde");
        Assert.Equal("+525566778899", accepted.Str("from"));
        var thread = await shop.WaitForReplyAsync(Sender, 2);
        Assert.Equal("inbound", thread[0]!.Str("direction"));
        Assert.Equal("Hola, quiero un corte mañana en la tarde", thread[0]!.Str("body"));
        Assert.Equal("08:00", thread[0]!.Str("time"));
        Assert.Equal("2026-11-24T08:00:00-06:00", thread[0]!.Str("created_at"));
        var offer = thread[1]!;
        Assert.Equal("ai", offer.Str("sender_type"));
        Assert.StartsWith("Mañana miércoles 25 de noviembre tengo estos horarios para corte de cabello", offer.Str("body"), StringComparison.Ordinal);
        Assert.Equal("list", offer["choices"]!.Str("type"));
        var rows = offer["choices"]!["options"]!.AsArray();
        Assert.InRange(rows.Count, 2, 5);
        Assert.All(rows, r => Assert.StartsWith("slot:", r!.Str("id"), StringComparison.Ordinal));

        // A tap sends the row's id back, as WhatsApp's list_reply would.
        var second = rows[1]!;
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new
        {
            sender = Sender, reply = new { type = "list", id = second.Str("id"), title = second.Str("title") },
        })).AssertStatusAsync(202);
        thread = await shop.WaitForReplyAsync(Sender, 4);
        Assert.Equal("interactive", thread[2]!.Str("content_type"));
        Assert.Equal(second.Str("title"), thread[2]!.Str("body"));
        var confirm = thread[3]!;
        Assert.StartsWith($"¿Te agendo corte de cabello mañana miércoles 25 de noviembre a las {second.Str("title")}", confirm.Str("body"), StringComparison.Ordinal);
        Assert.Equal("button", confirm["choices"]!.Str("type"));
        var yes = confirm["choices"]!["options"]!.AsArray().Single(o => o!.Str("title") == "Sí")!;

        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new
        {
            sender = Sender, reply = new { type = "button", id = yes.Str("id"), title = "Sí" },
        })).AssertStatusAsync(202);
        thread = await shop.WaitForReplyAsync(Sender, 6);
        Assert.Equal("interactive", thread[4]!.Str("content_type"));
        Assert.Equal("Sí", thread[4]!.Str("body"));
        // A tap on "Sí" (id "yes") is no hint of English: the confirmation stays in the chat's Spanish.
        Assert.Equal("ai", thread[5]!.Str("sender_type"));
        Assert.Contains("Tu cita quedó confirmada", thread[5]!.Str("body"), StringComparison.Ordinal);

        // The booking is in tomorrow's agenda, with the new customer's number.
        var agenda = await (await shop.Anonymous.GetAsync($"{shop.Api}/agenda?date=2026-11-25")).AssertStatusAsync(200);
        var booked = Assert.Single(agenda["staff"]!.AsArray().SelectMany(s => s!["appointments"]!.AsArray()))!;
        Assert.Equal("Corte de cabello", booked.Str("service"));
        Assert.Equal("+525566778899", booked.Str("customer"));
        Assert.Equal("confirmed", booked.Str("status"));
        Assert.Equal("whatsapp", booked.Str("source"));
        Assert.Equal(second.Str("title"), Clock12(booked.Str("start")));
    }

    [Fact]
    public async Task StaffAskingForTheirDay_GetTheirAgenda_AndTheAgendaEndpointShowsAppointmentsAndBlocks()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        var luis = $"staff:{shop.LuisId}";

        await shop.SendAsync(luis, "¿Qué tengo hoy?");
        var thread = await shop.WaitForReplyAsync(luis, 2);
        Assert.Equal("staff", thread[0]!.Str("sender_type"));
        Assert.Contains("11:00 a.m. Corte de cabello — Carlos Méndez", thread[1]!.Str("body"), StringComparison.Ordinal);

        var agenda = await (await shop.Anonymous.GetAsync($"{shop.Api}/agenda")).AssertStatusAsync(200);
        Assert.Equal("2026-11-24", agenda.Str("date"));
        Assert.Equal("2026-11-24", agenda.Str("today"));
        Assert.Equal("America/Mexico_City", agenda.Str("timezone"));
        Assert.Equal("10:00", agenda["open"]![0]!.Str("open"));
        Assert.Equal("20:00", agenda["open"]![0]!.Str("close"));
        var column = agenda["staff"]!.AsArray().Single(s => s!.Id() == shop.LuisId)!;
        var appointment = Assert.Single(column["appointments"]!.AsArray())!;
        Assert.Equal(("11:00", "11:30", "Corte de cabello", "Carlos Méndez", "confirmed"),
            (appointment.Str("start"), appointment.Str("end"), appointment.Str("service"), appointment.Str("customer"), appointment.Str("status")));
        var block = Assert.Single(column["blocks"]!.AsArray())!;
        Assert.Equal(("15:00", "16:00", "Dentista"), (block.Str("start"), block.Str("end"), block.Str("note")));

        // Monday: the shop is closed.
        var monday = await (await shop.Anonymous.GetAsync($"{shop.Api}/agenda?date=2026-11-23")).AssertStatusAsync(200);
        Assert.Empty(monday["open"]!.AsArray());
        Assert.All(monday["staff"]!.AsArray(), s => Assert.Empty(s!["appointments"]!.AsArray()));
    }

    [Fact]
    public async Task AnotherBusinesssCustomersAndStaff_AreNotSendersHere()
    {
        await using var shop = await PlaygroundShop.StartAsync(environment: "Development");
        var other = await shop.App.CreateAsync(Tenants.MexicoBarbershop("Barbería Vecina"));
        using var client = shop.App.Client(other.ApiKey);
        var customer = await (await client.PostJsonAsync($"{other.Path}/customers", new { phone_number = "55 4444 0000", name = "Vecino" })).AssertStatusAsync(201);
        var staff = await (await client.PostJsonAsync($"{other.Path}/staff", new { name = "Pedro", phone_number = "55 4444 0001" })).AssertStatusAsync(201);

        foreach (var sender in new[] { $"customer:{customer.Id()}", $"staff:{staff.Id()}" })
        {
            await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender, text = "Hola" })).AssertFieldErrorAsync("sender");
            await (await shop.Anonymous.GetAsync($"{shop.Api}/thread?sender={sender}")).AssertFieldErrorAsync("sender");
        }

        // The other business's own ids work on its own playground (Development), not on the demo's.
        await (await shop.Anonymous.GetAsync($"/playground/api/businesses/{other.Id}/thread?sender=customer:{customer.Id()}")).AssertStatusAsync(200);
        Assert.Equal(0, await Count(shop.App, db => db.InboxEvents.CountAsync()));
    }

    [Fact]
    public async Task BadInput_AnswersProblemJson400_NamingTheField()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        const string Sender = "new:+525566778899";

        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = Sender, text = "  " })).AssertFieldErrorAsync("text");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = Sender })).AssertFieldErrorAsync("text");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { text = "Hola" })).AssertFieldErrorAsync("sender");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = "somebody", text = "Hola" })).AssertFieldErrorAsync("sender");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = "new:12", text = "Hola" })).AssertFieldErrorAsync("sender");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = $"customer:{Guid.CreateVersion7()}", text = "Hola" })).AssertFieldErrorAsync("sender");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = Sender, reply = new { type = "carousel", id = "x", title = "x" } })).AssertFieldErrorAsync("reply.type");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = Sender, reply = new { type = "list", title = "x" } })).AssertFieldErrorAsync("reply.id");
        await (await shop.Anonymous.PostJsonAsync($"{shop.Api}/messages", new { sender = Sender, text = "Hola", reply = new { type = "list", id = "slot:1", title = "x" } })).AssertFieldErrorAsync("text");
        await (await shop.Anonymous.PostRawAsync($"{shop.Api}/messages", """{"sender":"new:+525566778899","txt":"Hola"}""")).AssertProblemAsync(400);
        await (await shop.Anonymous.GetAsync($"{shop.Api}/thread")).AssertFieldErrorAsync("sender");
        await (await shop.Anonymous.GetAsync($"{shop.Api}/agenda?date=24-11-2026")).AssertFieldErrorAsync("date");

        Assert.Equal(0, await Count(shop.App, db => db.InboxEvents.CountAsync()));
    }

    [Fact]
    public async Task ThePage_AndItsScriptAndStyles_AreServedFromTheApp_WithAStrictContentSecurityPolicy()
    {
        await using var shop = await PlaygroundShop.StartAsync();
        foreach (var (path, type) in new[] { ("/playground", "text/html"), ("/playground/playground.js", "text/javascript"), ("/playground/playground.css", "text/css") })
        {
            var response = await shop.Anonymous.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        var html = await shop.Anonymous.GetStringAsync("/playground");
        Assert.Contains("<script src=\"/playground/playground.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheSimulatorEndpoint_TakesATap_AsAnInteractiveReply()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostJsonAsync($"{tenant.Path}/simulator/messages", new
        {
            from = "55 1234 0000", reply = new { type = "button", id = "yes", title = "Sí" },
        })).AssertStatusAsync(202);
        await (await client.PostJsonAsync($"{tenant.Path}/simulator/messages", new { from = "55 1234 0000" })).AssertFieldErrorAsync("text");

        Message? inbound = null;
        await Eventually.HoldsAsync(async () =>
        {
            var (db, scope) = app.Db(tenant.Id);
            using (scope)
            {
                inbound = await db.Messages.FirstOrDefaultAsync(m => m.Direction == MessageDirection.Inbound);
            }

            return inbound is not null;
        }, "the tap stored as a message");
        Assert.Equal("interactive", inbound!.ContentType);
        Assert.Equal("Sí", inbound.Body);
        Assert.Equal("yes", JsonNode.Parse(inbound.Payload!)!["interactive"]!["button_reply"]!.Str("id"));
    }

    private static async Task<int> Count(KaribuApp app, Func<Karibu.Data.KaribuDb, Task<int>> query)
    {
        var (db, scope) = app.Db();
        using (scope)
        {
            return await query(db);
        }
    }

    /// <summary>"16:15" as the assistant writes it in Spanish: "4:15 p.m.".</summary>
    private static string Clock12(string hhmm)
    {
        var hour = int.Parse(hhmm[..2], System.Globalization.CultureInfo.InvariantCulture);
        return $"{(hour % 12 == 0 ? 12 : hour % 12)}:{hhmm[3..]} {(hour < 12 ? "a.m." : "p.m.")}";
    }
}
