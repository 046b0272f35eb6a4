using Karibu.Features.Faq;
using Karibu.Tests.Features.Messaging;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Faq;

public sealed class FaqTests
{
    private static FaqEntry Entry(string question, int priority = 0) => new() { Question = question, Answer = $"A: {question}", Priority = priority };

    private static readonly FaqEntry[] Entries =
    [
        Entry("¿Aceptan tarjeta?"), Entry("¿Tienen estacionamiento?"), Entry("¿Atienden a niños?"), Entry("Do you take M-Pesa?"),
        Entry("Mnakubali M-Pesa?"), Entry("¿Venden productos para el cabello?"),
    ];

    [Theory]
    [InlineData("aceptan pago con tarjeta?", "¿Aceptan tarjeta?")]
    [InlineData("Puedo pagar con tarjeta", "¿Aceptan tarjeta?")]
    [InlineData("hay estacionamiento cerca?", "¿Tienen estacionamiento?")]
    [InlineData("¿estacionamineto?", "¿Tienen estacionamiento?")]
    [InlineData("le cortan el pelo a niños?", "¿Atienden a niños?")]
    [InlineData("ATIENDEN NIÑOS", "¿Atienden a niños?")]
    [InlineData("can I pay with m-pesa", "Do you take M-Pesa?")]
    [InlineData("venden productos?", "¿Venden productos para el cabello?")]
    public void AMessage_FindsTheEntryItAsks(string message, string question) =>
        Assert.Equal(question, FaqMatcher.Best(message, Entries)?.Question);

    [Theory]
    [InlineData("hola")]
    [InlineData("gracias")]
    [InlineData("quiero un corte mañana")]
    [InlineData("👍")]
    [InlineData("")]
    [InlineData("cabello")]
    public void OtherMessages_FindNothing(string message) => Assert.Null(FaqMatcher.Best(message, Entries));

    [Fact]
    public void OnATie_PriorityWins() =>
        Assert.Equal("second", FaqMatcher.Best("tarjeta", [new FaqEntry { Question = "tarjeta", Answer = "first" }, new FaqEntry { Question = "tarjeta", Answer = "second", Priority = 5 }])!.Answer);

    [Fact]
    public async Task Entries_AreCreatedListedChangedAndRemoved_WithClearErrors()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var path = $"{tenant.Path}/faq";

        var created = await (await client.PostJsonAsync(path, new { question = "¿Aceptan tarjeta?", answer = "Sí, todas las tarjetas.", category = "pagos", priority = 2 })).AssertStatusAsync(201);
        Assert.Equal(("¿Aceptan tarjeta?", "Sí, todas las tarjetas.", "pagos", 2, true),
            (created.Str("question"), created.Str("answer"), created.Str("category"), created["priority"]!.GetValue<int>(), created["is_active"]!.GetValue<bool>()));
        var id = created.Id();

        var changed = await (await client.PatchJsonAsync($"{path}/{id}", new { answer = "Sí, y también transferencia." })).AssertStatusAsync(200);
        Assert.Equal(("¿Aceptan tarjeta?", "Sí, y también transferencia."), (changed.Str("question"), changed.Str("answer")));
        Assert.Single((await (await client.GetAsync(path)).AssertStatusAsync(200))["data"]!.AsArray());

        var missing = await (await client.PostJsonAsync(path, new { question = "¿Aceptan tarjeta?" })).AssertStatusAsync(400);
        Assert.NotNull(missing["errors"]!["answer"]);
        var filler = await (await client.PostJsonAsync(path, new { question = "¿Hola?", answer = "x" })).AssertStatusAsync(400);
        Assert.NotNull(filler["errors"]!["question"]);
        var tooLong = await (await client.PostJsonAsync(path, new { question = "tarjeta", answer = new string('x', 2001) })).AssertStatusAsync(400);
        Assert.NotNull(tooLong["errors"]!["answer"]);
        await (await client.PostJsonAsync(path, new { question = "tarjeta", answer = "x", priority = 5000 })).AssertStatusAsync(400);

        await (await client.DeleteAsync($"{path}/{id}")).AssertStatusAsync(204);
        await (await client.GetAsync($"{path}/{id}")).AssertStatusAsync(404);
        Assert.Empty((await (await client.GetAsync(path)).AssertStatusAsync(200))["data"]!.AsArray());
    }

    [Fact]
    public async Task TheAssistant_AnswersFromTheFaq_WordForWord_ButABookingRequestStillBooks()
    {
        await using var h = await MessagingHarness.StartAsync(connect: false);
        h.App.Time.Set(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero));
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/services", new { name = "Corte de cabello", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/staff", new { name = "Luis", phone_number = "55 9000 0001" })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/faq", new { question = "¿Tienen estacionamiento?", answer = "Sí 🚗 hay estacionamiento gratis en la esquina." })).AssertStatusAsync(201);
        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/faq", new { question = "¿Abren el domingo?", answer = "Los domingos descansamos.", is_active = false })).AssertStatusAsync(201);

        Task<string> SayAsync(string text) => h.SimulateAsync(text, "55 1234 0000");

        Assert.Equal("Sí 🚗 hay estacionamiento gratis en la esquina.", await SayAsync("oigan, hay estacionamiento?"));
        Assert.NotEqual("Los domingos descansamos.", await SayAsync("¿abren el domingo?"));
        Assert.Contains("corte de cabello", await SayAsync("quiero un corte mañana en la tarde"), StringComparison.Ordinal);
    }
}
