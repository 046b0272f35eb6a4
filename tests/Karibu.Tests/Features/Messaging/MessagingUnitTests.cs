using System.Text;
using System.Text.Json.Nodes;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Karibu.Tests.Features.Messaging;

public sealed class MessagingUnitTests
{
    private static JsonObject Fixture(params string[] path) => JsonNode.Parse(Fixtures.Read(["whatsapp", .. path]))!.AsObject();

    [Fact]
    public void Signature_MatchesMetasTestVector_OverTheRawBytes_AndNotOverReserializedJson()
    {
        var expected = Fixture("signature", "expected.json");
        var secret = Encoding.UTF8.GetBytes(expected["app_secret"]!.GetValue<string>());
        var raw = File.ReadAllBytes(Fixtures.Path("whatsapp", "signature", "raw-body.json"));

        Assert.True(WhatsAppWebhookPayload.IsValidSignature(raw, expected["header_value"]!.GetValue<string>(), secret));
        Assert.False(WhatsAppWebhookPayload.IsValidSignature(raw, expected["wrong_header_value_if_reserialised_utf8"]!.GetValue<string>(), secret));
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(raw)!.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
        Assert.False(WhatsAppWebhookPayload.IsValidSignature(reserialized, expected["header_value"]!.GetValue<string>(), secret));
        Assert.False(WhatsAppWebhookPayload.IsValidSignature(raw, null, secret));
        Assert.False(WhatsAppWebhookPayload.IsValidSignature(raw, expected["header_value"]!.GetValue<string>()[7..], secret));
        Assert.False(WhatsAppWebhookPayload.IsValidSignature(raw, "sha1=" + new string('a', 64), secret));
    }

    [Fact]
    public void Split_ABatchOfTwoBusinesses_GivesEachEventItsNumberUserAndKey()
    {
        var events = WhatsAppWebhookPayload.Split(File.ReadAllBytes(Fixtures.Path("whatsapp", "batched-multiple-messages.json")));

        Assert.Contains(events, e => e.EventKey == "wamid.FAKE_MX_IN_TEXT_0040" && e.Route.ChannelId == "200000000000001" && e.User == "5215500000101"
            && e.Kind == InboxKind.Message && e.OccurredAt == DateTime.UnixEpoch.AddSeconds(1767388000));
        Assert.Contains(events, e => e.EventKey == "wamid.FAKE_MX_OUT_TEXT_0043:delivered" && e.Kind == InboxKind.Status && e.User == "5213300000102");
        Assert.Contains(events, e => e.Route.ChannelId == "200000000000002");
        // The message keeps the contact it came with, for the profile name.
        var first = JsonNode.Parse(events.First(e => e.EventKey == "wamid.FAKE_MX_IN_TEXT_0042").Payload)!;
        Assert.Equal("Luis Ortega", first["contact"]!["profile"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Split_AccountEventsRouteByTheirAccount_AndUnknownFieldsAreKept()
    {
        var account = WhatsAppWebhookPayload.Split(File.ReadAllBytes(Fixtures.Path("whatsapp", "account-update-partner-removed.json"))).Single();
        Assert.Equal(InboxKind.Account, account.Kind);
        Assert.Null(account.Route.ChannelId);
        Assert.Equal("100000000000001", account.Route.AccountId);

        var unknown = WhatsAppWebhookPayload.Split("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"brand_new","value":{"x":1}}]}]}"""u8);
        Assert.Equal(InboxKind.Other, Assert.Single(unknown).Kind);
        Assert.Empty(WhatsAppWebhookPayload.Split("""{"object":"whatsapp_business_account"}"""u8));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => WhatsAppWebhookPayload.Split("[]"u8));
    }

    [Fact]
    public void Build_ButtonsAndAQuotedReply_MatchTheGraphApiShapes()
    {
        var buttons = WhatsAppMessages.Build("+525500000101", "Tu cita: jueves 8 ene, 10:00 con la Dra. Pérez. ¿Confirmas?", new OutboundContent
        {
            Header = "Confirmación de cita",
            Footer = "Clínica Ejemplo (ficticia)",
            Buttons = [new("confirm:booking:BK-000123", "Confirmar"), new("reschedule:booking:BK-000123", "Reprogramar"), new("cancel:booking:BK-000123", "Cancelar")],
        }, asTemplate: false, callbackData: null);
        Assert.True(JsonNode.DeepEquals(Fixture("api", "send-interactive-buttons-request.json"), buttons), buttons.ToJsonString());

        var reply = WhatsAppMessages.Build("+254711000101", "Great, you're booked for 10:00.", new OutboundContent { ReplyTo = "wamid.FAKE_KE_IN_TEXT_0002" }, false, null);
        reply["text"]!.AsObject().Remove("preview_url");
        Assert.True(JsonNode.DeepEquals(Fixture("api", "send-text-reply-context-request.json"), reply), reply.ToJsonString());

        var positional = WhatsAppMessages.Build("+254711000101", "fallback", new OutboundContent
        {
            Template = new TemplateMessage("booking_confirmed", "en", ["Wanjiku", "Thu 8 Jan 10:00"]),
        }, asTemplate: true, callbackData: null);
        Assert.True(JsonNode.DeepEquals(Fixture("api", "send-template-positional-request.json"), positional), positional.ToJsonString());
    }

    [Fact]
    public void Build_CutsTextsToWhatsAppsLimits_WithoutSplittingAnEmoji()
    {
        var message = WhatsAppMessages.Build("+525500000101", new string('a', 5000), new OutboundContent
        {
            Buttons = [new("a", "Un título demasiado largo 👍"), new("b", "2"), new("c", "3"), new("d", "4")],
        }, false, null);
        var action = message["interactive"]!["action"]!["buttons"]!.AsArray();
        Assert.Equal(3, action.Count);
        var title = action[0]!["reply"]!["title"]!.GetValue<string>();
        Assert.True(title.Length <= 20);
        Assert.False(char.IsHighSurrogate(title[^2]));
        Assert.Equal(1024, message["interactive"]!["body"]!["text"]!.GetValue<string>().Length);
        Assert.Equal("recipient", WhatsAppMessages.Build("MX.1000000000000000001", "hola", null, false, null).Select(p => p.Key).ElementAt(2));
    }

    [Theory]
    [InlineData("STOP", "es", "OptOut", "es")]
    [InlineData("  baja. ", "es", "OptOut", "es")]
    [InlineData("Cancelar suscripción", "es", "OptOut", "es")]
    [InlineData("¡ALTO!", "es", "OptOut", "es")]
    [InlineData("unsubscribe", "es", "OptOut", "en")]
    [InlineData("Acha", "en", "OptOut", "sw")]
    [InlineData("sitaki", "sw", "OptOut", "sw")]
    [InlineData("STOP", "sw", "OptOut", "sw")]
    [InlineData("alta", "es", "OptIn", "es")]
    [InlineData("START", "en", "OptIn", "en")]
    [InlineData("Anza", "sw", "OptIn", "sw")]
    public void Keywords_MatchWholeMessages_InAnyCase_AnsweringInTheRightLanguage(string text, string businessLanguage, string action, string language)
    {
        var keywords = new OptOutKeywords(Options.Create(new MessagingOptions()));
        Assert.Equal((Enum.Parse<OptAction>(action), language), keywords.Match(text, businessLanguage));
    }

    [Theory]
    [InlineData("no me des de baja")]
    [InlineData("stop it please, I want to book")]
    [InlineData("Hola")]
    [InlineData("")]
    public void Keywords_IgnoreMessagesThatOnlyContainAKeyword(string text) =>
        Assert.Null(new OptOutKeywords(Options.Create(new MessagingOptions())).Match(text, "es"));

    [Fact]
    public void Keywords_AreConfigurable_PerLanguage()
    {
        var options = new MessagingOptions();
        options.OptOutKeywords["es"] = ["YA NO"];
        var keywords = new OptOutKeywords(Options.Create(options));

        Assert.Equal((OptAction.OptOut, "es"), keywords.Match("ya no", "es"));
        Assert.Null(keywords.Match("BAJA", "es"));
        Assert.Equal((OptAction.OptOut, "en"), keywords.Match("UNSUBSCRIBE", "es"));
    }

    [Fact]
    public void Backoff_GrowsExponentially_WithJitter_UpToTheCap()
    {
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var step = Math.Min(300, 2 * Math.Pow(2, attempt - 1));
            var delay = Backoff.Delay(attempt, 2, 300).TotalSeconds;
            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void SendRates_LimitEachNumberPerSecond_AndSpaceMessagesToOnePerson()
    {
        var rates = new SendRates(TimeProvider.System);
        var allowed = Enumerable.Range(0, 100).Count(i => rates.TryAcquire("200000000000001", 80, $"+52550000{i:D4}", TimeSpan.Zero) is null);
        Assert.InRange(allowed, 80, 82);
        Assert.Null(rates.TryAcquire("other-number", 80, "+525500000101", TimeSpan.FromSeconds(5)));
        var wait = rates.TryAcquire("other-number", 80, "+525500000101", TimeSpan.FromSeconds(5));
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalSeconds, 4, 5);
    }

    [Fact]
    public void CanonicalUser_MakesMexicanWhatsAppIdsAndE164TheSamePerson()
    {
        Assert.Equal("525500000101", InboxWriter.CanonicalUser("5215500000101"));
        Assert.Equal("525500000101", InboxWriter.CanonicalUser("525500000101"));
        Assert.Equal("254711000101", InboxWriter.CanonicalUser("254711000101"));
        Assert.Equal("MX.1000000000000000001", InboxWriter.CanonicalUser("MX.1000000000000000001"));
    }
}
