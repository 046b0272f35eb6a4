using System.Diagnostics;
using System.Text.Json.Nodes;
using Karibu.Features.Channels.Sms;
using Karibu.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Karibu.Tests.Features.Sms.SmsTestSupport;

namespace Karibu.Tests.Features.Sms;

/// <summary>Onfon's SendBulkSMS through a real HttpClient against <see cref="FakeSmsProviders"/>.</summary>
public sealed class OnfonClientTests
{
    private const string Text = "Asante! Tumepokea Ksh1,500. Ref TJU4ABC1DE";

    // ---------------------------------------------------------------- wire format

    [Fact]
    public async Task Send_PostsTheFixtureJson_WithTheAccessKeyHeader_AndDigitsOnlyNumber()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        var fixture = ReadHttp("onfon-send-request.http");

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST https://api.onfonmedia.co.ke/v1/sms/SendBulkSMS HTTP/1.1", fixture.RequestLine);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/sms/SendBulkSMS", request.Path);
        Assert.Equal(fixture.Headers["AccessKey"], request.Header("AccessKey"));
        Assert.Equal(fixture.Headers["Content-Type"], request.ContentType?.Split(';')[0]);

        // The fixture (also onfon-send-request.json) has two personalised texts; Karibu sends one, its first.
        var expected = JsonNode.Parse(Fixtures.Read("sms", "onfon-send-request.json"))!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(fixture.Body), expected));
        var first = expected["MessageParameters"]![0]!.DeepClone();
        expected["MessageParameters"] = new JsonArray(first);
        var actual = request.Json!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected, actual), actual.ToJsonString());
        Assert.Equal(expected.Select(p => p.Key), actual.Select(p => p.Key));
        Assert.Equal("254712345678", actual["MessageParameters"]![0]!["Number"]!.GetValue<string>());

        Assert.Equal(SmsSendResult.Sent("a3f1c9e2-6b7d-4e11-9f20-8c5d4b3a2e10", 1, null), result);
    }

    [Theory]
    [InlineData("Asante NDUNG’U kwa malipo yako.", true)]
    [InlineData("Gracias por tu compra 🙏", true)]
    [InlineData("Price: 1000 {KES} [promo] €", false)]
    [InlineData("Señor Muñoz, café pagado.", false)]
    public async Task IsUnicode_FollowsTheEncoding_AndTheTextArrivesIntact(string text, bool unicode)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", text, CancellationToken.None);

        var json = Assert.Single(fake.Requests).Json!;
        Assert.Equal(unicode, json["IsUnicode"]!.GetValue<bool>());
        Assert.Equal(text, json["MessageParameters"]![0]!["Text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_ReadsItsOwnNumber_FromTheData()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254733000111", new string('a', 200), CancellationToken.None);

        // Onfon reports no part count: Karibu's own count (200 GSM-7 septets = 2 parts) stands in.
        Assert.Equal(SmsSendResult.Sent("b7e2d8f1-1c3a-4a5b-8e6f-9d0c1b2a3f45", 2, null), result);
    }

    [Fact]
    public async Task WithoutAnAccessKey_NoHeaderIsSent()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(accessKey: null), "+254712345678", Text, CancellationToken.None);

        Assert.Null(Assert.Single(fake.Requests).Header("AccessKey"));
        // This fake account needs one, and answers like Onfon does: 200 with ErrorCode 007.
        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("007", result.ErrorCode);
        Assert.Contains("credentials", result.Error, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- fixture answers

    [Fact]
    public async Task Partial_TheAcceptedNumber_IsSent()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(FakeSmsAnswer.Fixture("onfon-send-response-partial.json"));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendResult.Sent("a3f1c9e2-6b7d-4e11-9f20-8c5d4b3a2e11", 1, null), result);
    }

    [Fact]
    public async Task Partial_TheRefusedNumber_Fails_WithOnfonsReason()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(FakeSmsAnswer.Fixture("onfon-send-response-partial.json"));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+25412345", Text, CancellationToken.None);

        Assert.Equal("25412345", Assert.Single(fake.Requests).Json!["MessageParameters"]![0]!["Number"]!.GetValue<string>());
        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("1", result.ErrorCode);
        Assert.Contains("Invalid mobile number", result.Error, StringComparison.Ordinal);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task InsufficientCredits_Fails_WithAReasonAboutTheBalance()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(FakeSmsAnswer.Fixture("onfon-send-response-error-credits.json"));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("021", result.ErrorCode);
        Assert.Contains("balance", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task AnInvalidSenderId_Fails_WithOnfonsReason()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(FakeSmsAnswer.Fixture("onfon-send-response-error-sender.json"));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("015", result.ErrorCode);
        Assert.Contains("Invalid SenderId", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongApiKey_Fails_With007()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await Onfon(fake, http).SendAsync(
            FakeSmsProviders.OnfonCredentials() with { ApiKey = "wrong-key" }, "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("007", result.ErrorCode);
        Assert.DoesNotContain("wrong-key", result.Error, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- HTTP and transport trouble

    [Theory]
    [InlineData(500, "Retry")]
    [InlineData(503, "Retry")]
    [InlineData(401, "Failed")]
    [InlineData(403, "Failed")]
    [InlineData(400, "Failed")]
    public async Task HttpStatus_IsClassified(int status, string expected)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(FakeSmsAnswer.Http(status, "oops"));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(Enum.Parse<SmsSendOutcome>(expected), result.Outcome);
        Assert.Equal($"http_{status}", result.ErrorCode);
    }

    [Theory]
    [InlineData("<html>Service Unavailable</html>")]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"ErrorCode":null,"ErrorDescription":"Success"}""")]
    [InlineData("""{"ErrorCode":"ok","ErrorDescription":"Success"}""")]
    [InlineData("""{"ErrorCode":0,"ErrorDescription":"Success","Data":null}""")]
    [InlineData("""{"ErrorCode":0,"ErrorDescription":"Success","Data":[]}""")]
    [InlineData("""{"ErrorCode":0,"Data":[{"MessageErrorCode":0,"MobileNumber":"254700000001","MessageId":"x"},{"MessageErrorCode":0,"MobileNumber":"254700000002","MessageId":"y"}]}""")]
    [InlineData("""{"ErrorCode":0,"ErrorDescription":"Success","Data":[{"MessageErrorCode":0""")]
    public async Task AGarbage200Body_IsRetry_NeverSent(string body)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextOnfon(new FakeSmsAnswer(200, body));

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("unreadable_response", result.ErrorCode);
    }

    [Fact]
    public async Task AHang_LongerThanTheTimeout_IsRetry()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http(timeoutSeconds: 1);
        fake.NextOnfon(FakeSmsAnswer.Hang());
        var clock = Stopwatch.StartNew();

        var result = await Onfon(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("timeout", result.ErrorCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task NothingListening_IsRetry()
    {
        using var http = Http();
        var client = new OnfonClient(http, Options.Create(new SmsOptions { OnfonBaseUrl = AfricasTalkingClientTests.ClosedPortUrl() + "/v1/sms/" }), NullLogger<OnfonClient>.Instance);

        var result = await client.SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("network", result.ErrorCode);
    }

    // ---------------------------------------------------------------- refused before any call

    [Fact]
    public async Task MissingSenderId_ClientId_OrABadNumber_FailWithoutCallingOnfon()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        var client = Onfon(fake, http);

        var noSender = await client.SendAsync(FakeSmsProviders.OnfonCredentials() with { SenderId = null }, "+254712345678", Text, CancellationToken.None);
        var noClientId = await client.SendAsync(FakeSmsProviders.OnfonCredentials() with { ClientId = " " }, "+254712345678", Text, CancellationToken.None);
        var badNumber = await client.SendAsync(FakeSmsProviders.OnfonCredentials(), "07123", Text, CancellationToken.None);
        var empty = await client.SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", "", CancellationToken.None);

        Assert.Equal(("not_configured", SmsSendOutcome.Failed), (noSender.ErrorCode, noSender.Outcome));
        Assert.Contains("sender ID", noSender.Error, StringComparison.Ordinal);
        Assert.Equal(("not_configured", SmsSendOutcome.Failed), (noClientId.ErrorCode, noClientId.Outcome));
        Assert.Equal(("invalid_number", SmsSendOutcome.Failed), (badNumber.ErrorCode, badNumber.Outcome));
        Assert.Equal(("empty_message", SmsSendOutcome.Failed), (empty.ErrorCode, empty.Outcome));
        Assert.Empty(fake.Requests);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None));
    }

    // ---------------------------------------------------------------- ErrorCode spellings

    [Theory]
    [InlineData("0")]
    [InlineData("\"0\"")]
    [InlineData("\"000\"")]
    public void ErrorCodeZero_InEverySpelling_IsSuccess(string errorCode)
    {
        var body = $$"""{"ErrorCode":{{errorCode}},"ErrorDescription":"Success","Data":[{"MessageErrorCode":"0","MessageErrorDescription":"Success","MobileNumber":"254712345678","MessageId":"m-1","Custom":null}]}""";

        Assert.Equal(SmsSendResult.Sent("m-1", 1, null), OnfonClient.ReadSendResponse(body, "254712345678", 1));
    }

    [Theory]
    [InlineData("\"006\"", "Retry")]
    [InlineData("6", "Retry")]
    [InlineData("\"007\"", "Failed")]
    [InlineData("\"008\"", "Failed")]
    [InlineData("\"011\"", "Failed")]
    [InlineData("\"013\"", "Failed")]
    [InlineData("21", "Failed")]
    [InlineData("\"024\"", "Failed")]
    public void NonZeroErrorCodes_AreClassified(string errorCode, string expected)
    {
        var body = $$"""{"ErrorCode":{{errorCode}},"ErrorDescription":"Something","Data":null}""";

        var result = OnfonClient.ReadSendResponse(body, "254712345678", 1);

        Assert.Equal(Enum.Parse<SmsSendOutcome>(expected), result.Outcome);
        Assert.Matches("^0[0-9]{2}$", result.ErrorCode);
        Assert.Contains("Something", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SuccessWithoutAMessageId_IsAFailureForThatNumber()
    {
        const string body = """{"ErrorCode":0,"Data":[{"MessageErrorCode":0,"MessageErrorDescription":"Success","MobileNumber":"254712345678","MessageId":null}]}""";

        var result = OnfonClient.ReadSendResponse(body, "254712345678", 1);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("no_message_id", result.ErrorCode);
        Assert.Contains("no MessageId", result.Error, StringComparison.Ordinal);
    }
}
