using System.Text.Json;
using Karibu.Features.Channels.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Karibu.Tests.Features.Sms;

/// <summary>AddSmsProviders: options, validation at start, typed clients with a 15 s timeout; and stored credentials.</summary>
public sealed class SmsRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        services.AddLogging();
        services.AddSmsProviders();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_AreTheProvidersLiveApis()
    {
        using var provider = Build();

        var options = provider.GetRequiredService<IOptions<SmsOptions>>().Value;

        Assert.Equal("https://api.africastalking.com", options.AfricasTalkingBaseUrl);
        Assert.Equal("https://api.sandbox.africastalking.com", options.AfricasTalkingSandboxBaseUrl);
        Assert.Equal("https://api.onfonmedia.co.ke/v1/sms/", options.OnfonBaseUrl);
    }

    [Fact]
    public void TheSection_IsBoundFromKaribuSms()
    {
        using var provider = Build(new()
        {
            ["Karibu:Sms:AfricasTalkingBaseUrl"] = "http://127.0.0.1:5001",
            ["Karibu:Sms:AfricasTalkingSandboxBaseUrl"] = "http://127.0.0.1:5002",
            ["Karibu:Sms:OnfonBaseUrl"] = "http://127.0.0.1:5003/v1/sms/",
        });

        var options = provider.GetRequiredService<IOptions<SmsOptions>>().Value;

        Assert.Equal("http://127.0.0.1:5001", options.AfricasTalkingBaseUrl);
        Assert.Equal("http://127.0.0.1:5002", options.AfricasTalkingSandboxBaseUrl);
        Assert.Equal("http://127.0.0.1:5003/v1/sms/", options.OnfonBaseUrl);
    }

    [Theory]
    [InlineData("Karibu:Sms:AfricasTalkingBaseUrl", "api.africastalking.com")]
    [InlineData("Karibu:Sms:AfricasTalkingSandboxBaseUrl", "")]
    [InlineData("Karibu:Sms:OnfonBaseUrl", "not a url")]
    public void ABadUrl_FailsAtStart(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BothClients_AreISmsClients_OnePerProvider()
    {
        using var provider = Build();

        var clients = provider.GetServices<ISmsClient>().ToList();

        Assert.Equal([SmsProvider.Africastalking, SmsProvider.Onfon], clients.Select(c => c.Provider).Order());
        Assert.IsType<AfricasTalkingClient>(clients.Single(c => c.Provider == SmsProvider.Africastalking));
        Assert.IsType<OnfonClient>(clients.Single(c => c.Provider == SmsProvider.Onfon));
    }

    [Theory]
    [InlineData(nameof(AfricasTalkingClient))]
    [InlineData(nameof(OnfonClient))]
    public void TheTypedHttpClients_TimeOutAfter15Seconds(string name)
    {
        using var provider = Build();

        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);

        Assert.Equal(TimeSpan.FromSeconds(15), http.Timeout);
    }

    [Fact]
    public void Credentials_RoundTripThroughJson_WithTheProviderAsASnakeCaseName()
    {
        var credentials = new SmsCredentials
        {
            Provider = SmsProvider.Onfon,
            ApiKey = "FAKEapiKey+abc123/def456ghi789jkl012mno345=",
            ClientId = "0b7e3c1a-5d2f-4e9b-8a61-3c2d1e0f9a8b",
            AccessKey = "FAKEaccessKey0123456789ABCDEFGH",
            SenderId = "MAMADUKA",
        };

        var json = JsonSerializer.Serialize(credentials);

        Assert.Contains("\"Provider\":\"onfon\"", json, StringComparison.Ordinal);
        Assert.Equal(credentials, JsonSerializer.Deserialize<SmsCredentials>(json));
        Assert.Equal(SmsProvider.Africastalking,
            JsonSerializer.Deserialize<SmsCredentials>("""{"Provider":"africastalking","ApiKey":"k","Username":"sandbox"}""")!.Provider);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SmsCredentials>("""{"Provider":"onfon"}"""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SmsCredentials>("""{"Provider":1,"ApiKey":"k"}"""));
    }

    [Fact]
    public void Credentials_ToString_HidesTheKeys()
    {
        var credentials = new SmsCredentials
        {
            Provider = SmsProvider.Africastalking,
            Username = "mamaduka",
            ApiKey = "atsk_FAKE0123456789abcdef",
            AccessKey = "FAKEaccessKey0123456789ABCDEFGH",
        };

        var text = credentials.ToString();

        Assert.Contains("mamaduka", text, StringComparison.Ordinal);
        Assert.DoesNotContain("atsk_FAKE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKEaccessKey", text, StringComparison.Ordinal);
    }
}
