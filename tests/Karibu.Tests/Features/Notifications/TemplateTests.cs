using Karibu.Features.Notifications;
using Karibu.Tests.Infrastructure;

namespace Karibu.Tests.Features.Notifications;

public sealed class TemplateTests
{
    private static readonly string[] Parameters = ["customer_name", "time"];

    [Fact]
    public void EveryDefault_UsesOnlyItsPurposesPlaceholders_InAllThreeLanguages()
    {
        foreach (var purpose in Enum.GetValues<TemplatePurpose>())
        {
            foreach (var language in Enum.GetValues<Karibu.Features.Assistant.Understanding.Language>())
            {
                var body = TemplateDefaults.Body(purpose, language);
                Assert.Empty(TemplateDefaults.Unknown(purpose, body));
                Assert.Matches(@"\{[a-z_]+\}", body);
            }
        }
    }

    [Fact]
    public void Fill_DoesNotDoubleAFullStop() =>
        Assert.Equal("Te esperamos a las 4:00 p.m. Gracias.", TemplateDefaults.Fill("Te esperamos a las {time}. Gracias.", new Dictionary<string, string?> { ["time"] = "4:00 p.m." }));

    [Fact]
    public void Fill_ReplacesEveryPlaceholder_AndNeverLeavesBraces() =>
        Assert.Equal("Hola Ana, a las 4:00 p.m. ",
            TemplateDefaults.Fill("Hola {customer_name}, a las {time} {staff}", new Dictionary<string, string?> { ["customer_name"] = "Ana", ["time"] = "4:00 p.m." }));

    [Fact]
    public async Task ABusiness_SeesEveryDefault_OverridesOne_AndTypoPlaceholdersAreRefused()
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        var path = $"{tenant.Path}/templates";

        var all = (await (await client.GetAsync(path)).AssertStatusAsync(200)).AsArray();
        Assert.Equal(Enum.GetValues<TemplatePurpose>().Length * 3, all.Count);
        var reminder = all.Single(t => t!.Str("purpose") == "reminder" && t!.Str("language") == "es")!;
        Assert.True(reminder["is_default"]!.GetValue<bool>());
        Assert.Contains("Responde SÍ para confirmar", reminder.Str("body"), StringComparison.Ordinal);

        var typo = await (await client.PutJsonAsync(path, new { purpose = "reminder", language = "es", body = "Hola {custmer_name}, mañana a las {time}" })).AssertStatusAsync(400);
        Assert.Contains("{custmer_name}", typo["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await (await client.PutJsonAsync(path, new { purpose = "reminder_typo", language = "es", body = "x" })).AssertStatusAsync(400);
        await (await client.PutJsonAsync(path, new { purpose = "reminder", language = "fr", body = "x" })).AssertStatusAsync(400);
        await (await client.PutJsonAsync(path, new { purpose = "reminder", language = "es", body = "x", whatsapp_template_name = "Bad Name!" })).AssertStatusAsync(400);

        var own = await (await client.PutJsonAsync(path, new
        {
            purpose = "reminder", language = "es", body = "¡Hola {customer_name}! Mañana a las {time} te esperamos en {business_name}.",
            whatsapp_template_name = "recordatorio_cita", whatsapp_language = "es_MX", whatsapp_parameters = Parameters,
        })).AssertStatusAsync(200);
        Assert.False(own["is_default"]!.GetValue<bool>());
        Assert.Equal("recordatorio_cita", own.Str("whatsapp_template_name"));
        var again = (await (await client.GetAsync(path)).AssertStatusAsync(200)).AsArray().Single(t => t!.Str("purpose") == "reminder" && t!.Str("language") == "es")!;
        Assert.StartsWith("¡Hola {customer_name}!", again.Str("body"), StringComparison.Ordinal);

        var reset = await (await client.PutJsonAsync(path, new { purpose = "reminder", language = "es", body = (string?)null })).AssertStatusAsync(200);
        Assert.True(reset["is_default"]!.GetValue<bool>());
    }
}
