using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Karibu.Features.Channels.Sms;
using Karibu.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Karibu.Tests.Features.Sms.SmsTestSupport;

namespace Karibu.Tests.Features.Sms;

/// <summary>The Africa's Talking form API through a real HttpClient against <see cref="FakeSmsProviders"/>.</summary>
public sealed class AfricasTalkingClientTests
{
    private const string Text = "Asante! Tumepokea Ksh1,500. Ref TJU4ABC1DE";

    // ---------------------------------------------------------------- wire format

    [Fact]
    public async Task Send_PostsTheFixtureForm_WithTheKeyHeader_AndAPlusNumber()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        var fixture = ReadHttp("africastalking-send-form.http");

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST https://api.africastalking.com/version1/messaging HTTP/1.1", fixture.RequestLine);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/version1/messaging", request.Path);
        Assert.Equal(new Uri(fake.LiveUrl).Authority, request.Host);
        Assert.Equal(fixture.Headers["apiKey"], request.Header("apiKey"));
        Assert.Equal(fixture.Headers["Accept"], request.Header("Accept"));
        Assert.Equal(fixture.Headers["Content-Type"], request.ContentType);
        // The fixture sends to two numbers; Karibu sends to one, otherwise byte for byte the same body.
        Assert.Equal(fixture.Body.Replace("%2C%2B254733000111", "", StringComparison.Ordinal), request.Body);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["username"] = "mamaduka",
                ["to"] = "+254712345678",
                ["message"] = Text,
                ["from"] = "MAMADUKA",
                ["bulkSMSMode"] = "1",
                ["enqueue"] = "1",
            },
            request.Form);

        Assert.Equal(SmsSendResult.Sent("ATXid_fabd5d394a3ca5c081d451d2bea93665", 1, "KES 0.8000"), result);
    }

    [Fact]
    public async Task Send_WithTheSandboxUsername_GoesToTheSandboxHost_WithTheFixtureFields()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        var fixture = ReadHttp("africastalking-send-form-sandbox.http");
        fake.NextAfricasTalking(new FakeSmsAnswer(201, """
            {"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[
              {"cost":"KES 0.8000","messageId":"ATXid_sandbox1","messageParts":1,"number":"+254711000222","status":"Success","statusCode":101}]}}
            """));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingSandboxCredentials(), "+254711000222", "Test message", CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.StartsWith("POST https://api.sandbox.africastalking.com/version1/messaging ", fixture.RequestLine, StringComparison.Ordinal);
        Assert.Equal(new Uri(fake.SandboxUrl).Authority, request.Host);
        Assert.Equal("/version1/messaging", request.Path);
        Assert.Equal(fixture.Headers["apiKey"], request.Header("apiKey"));
        // Every field of the sandbox fixture, and no sender (none configured); the delivery defaults are explicit.
        var expected = ParseForm(fixture.Body);
        expected["bulkSMSMode"] = "1";
        expected["enqueue"] = "1";
        Assert.Equal(expected, request.Form);
        Assert.Equal(SmsSendResult.Sent("ATXid_sandbox1", 1, "KES 0.8000"), result);
    }

    [Theory]
    [InlineData("254733000111")]
    [InlineData(" +254733000111 ")]
    public async Task Send_AlwaysSendsPlusE164_AndReadsItsOwnRecipient(string to)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        // The success fixture lists two recipients; the second is this number.
        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), to, Text, CancellationToken.None);

        Assert.Equal("+254733000111", Assert.Single(fake.Requests).Form!["to"]);
        Assert.Equal(SmsSendResult.Sent("ATXid_2e63c8f8c3388459c65f8822445a119d", 1, "KES 0.8000"), result);
    }

    [Fact]
    public async Task Send_WithoutSenderId_LeavesFromOut()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(senderId: null), "+254712345678", Text, CancellationToken.None);

        Assert.False(Assert.Single(fake.Requests).Form!.ContainsKey("from"));
    }

    [Fact]
    public async Task Send_NonGsmText_ArrivesIntact()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        const string text = "Asante NDUNG’U 🙏 — ¿Cuándo?";

        await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", text, CancellationToken.None);

        Assert.Equal(text, Assert.Single(fake.Requests).Form!["message"]);
    }

    // ---------------------------------------------------------------- fixture answers

    [Fact]
    public async Task Mixed_TheAcceptedNumber_IsSent()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Fixture("africastalking-send-response-mixed.json", 201));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendResult.Sent("ATXid_c4bdd23b12ad66c9a48cc1ed783da85f", 1, "KES 0.8000"), result);
    }

    [Fact]
    public async Task Mixed_TheInvalidNumber_FailsWith403_AndNoMessageId()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Fixture("africastalking-send-response-mixed.json", 201));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+25412345", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Null(result.ProviderMessageId);
        Assert.Equal("403", result.ErrorCode);
        Assert.Contains("InvalidPhoneNumber", result.Error, StringComparison.Ordinal);
        Assert.Equal("0", result.Cost);
        Assert.Null(result.Segments);
    }

    [Fact]
    public async Task InsufficientBalance_Fails_WithAReasonAboutTheBalance()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Fixture("africastalking-send-response-insufficient-balance.json", 201));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("405", result.ErrorCode);
        Assert.Contains("balance", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task Multipart_ReportsTheProvidersPartsAndCost()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Fixture("africastalking-send-response-multipart.json", 201));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", new string('a', 400), CancellationToken.None);

        Assert.Equal(SmsSendResult.Sent("ATXid_a890072360456d3ea892b3aefa03c33f", 3, "KES 2.4000"), result);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public async Task Success_IsReadOnAny2xx(int status)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Fixture("africastalking-send-response-success.json", status));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Sent, result.Outcome);
    }

    // ---------------------------------------------------------------- HTTP and transport trouble

    [Fact]
    public async Task AWrongApiKey_Gets401PlainText_AndFailsNamingTheCredentials()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await AfricasTalking(fake, http).SendAsync(
            FakeSmsProviders.AfricasTalkingCredentials() with { ApiKey = "atsk_wrong" }, "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("http_401", result.ErrorCode);
        Assert.Contains("credentials", result.Error, StringComparison.Ordinal);
        Assert.Contains("The supplied authentication is invalid", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("atsk_wrong", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, nameof(SmsSendOutcome.Failed))]
    [InlineData(400, nameof(SmsSendOutcome.Failed))]
    [InlineData(404, nameof(SmsSendOutcome.Failed))]
    [InlineData(408, nameof(SmsSendOutcome.Retry))]
    [InlineData(429, nameof(SmsSendOutcome.Retry))]
    [InlineData(500, nameof(SmsSendOutcome.Retry))]
    [InlineData(502, nameof(SmsSendOutcome.Retry))]
    [InlineData(503, nameof(SmsSendOutcome.Retry))]
    public async Task HttpStatus_IsClassified(int status, string expected)
    {
        var outcome = Enum.Parse<SmsSendOutcome>(expected);
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Http(status, "Internal Server Error"));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal($"http_{status}", result.ErrorCode);
        Assert.Null(result.ProviderMessageId);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"SMSMessageData":null}""")]
    [InlineData("""{"SMSMessageData":{"Message":"Sent to 0/1","Recipients":[]}}""")]
    [InlineData("""{"SMSMessageData":{"Recipients":[{"number":"+254712345678","status":"Success","messageId":"ATXid_x"}]}}""")]
    [InlineData("""{"SMSMessageData":{"Recipients":[{"number":"+254712345678","statusCode":"lots","messageId":"ATXid_x"}]}}""")]
    [InlineData("""{"SMSMessageData":{"Recipients":[{"number":"+254700000001","statusCode":101},{"number":"+254700000002","statusCode":101}]}}""")]
    [InlineData("""{"SMSMessageData":{"Message":"Sent to 1/1","Recipients":[{"number":"+254712345678","statusCode":101,"messageId":"ATXid_x"}""")]
    public async Task AGarbage2xxBody_IsRetry_NeverSent(string body)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(new FakeSmsAnswer(201, body));

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("unreadable_response", result.ErrorCode);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task AHang_LongerThanTheTimeout_IsRetry()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http(timeoutSeconds: 1);
        fake.NextAfricasTalking(FakeSmsAnswer.Hang());
        var clock = Stopwatch.StartNew();

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("timeout", result.ErrorCode);
        Assert.Contains("may or may not", result.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task CancellationByTheCaller_IsNotSwallowed()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();
        fake.NextAfricasTalking(FakeSmsAnswer.Hang());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, cts.Token));
    }

    [Fact]
    public async Task NothingListening_IsRetry()
    {
        var closed = ClosedPortUrl();
        using var http = Http();
        var client = new AfricasTalkingClient(http, Options.Create(new SmsOptions { AfricasTalkingBaseUrl = closed }), NullLogger<AfricasTalkingClient>.Instance);

        var result = await client.SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retry, result.Outcome);
        Assert.Equal("network", result.ErrorCode);
    }

    // ---------------------------------------------------------------- refused before any call

    public static TheoryData<string, string, string> LocalRefusals => new()
    {
        { "", "+254712345678", "not_configured" },
        { "mamaduka", "0712345678", "invalid_number" },
        { "mamaduka", "+2547-1234", "invalid_number" },
        { "mamaduka", "", "invalid_number" },
    };

    [Theory]
    [MemberData(nameof(LocalRefusals))]
    public async Task MissingCredentials_OrABadNumber_FailWithoutCallingTheProvider(string username, string to, string code)
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await AfricasTalking(fake, http).SendAsync(
            FakeSmsProviders.AfricasTalkingCredentials() with { Username = username }, to, Text, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task AnEmptyMessage_FailsWithoutCallingTheProvider()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        var result = await AfricasTalking(fake, http).SendAsync(FakeSmsProviders.AfricasTalkingCredentials(), "+254712345678", "", CancellationToken.None);

        Assert.Equal("empty_message", result.ErrorCode);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task OnfonCredentials_AreAProgrammingError()
    {
        await using var fake = await FakeSmsProviders.StartAsync();
        using var http = Http();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            AfricasTalking(fake, http).SendAsync(FakeSmsProviders.OnfonCredentials(), "+254712345678", Text, CancellationToken.None));
        Assert.Empty(fake.Requests);
    }

    // ---------------------------------------------------------------- per-recipient status codes

    [Theory]
    [InlineData(100, nameof(SmsSendOutcome.Sent))]
    [InlineData(101, nameof(SmsSendOutcome.Sent))]
    [InlineData(102, nameof(SmsSendOutcome.Sent))]
    [InlineData(401, nameof(SmsSendOutcome.Failed))]
    [InlineData(402, nameof(SmsSendOutcome.Failed))]
    [InlineData(403, nameof(SmsSendOutcome.Failed))]
    [InlineData(404, nameof(SmsSendOutcome.Failed))]
    [InlineData(405, nameof(SmsSendOutcome.Failed))]
    [InlineData(406, nameof(SmsSendOutcome.Failed))]
    [InlineData(407, nameof(SmsSendOutcome.Retry))]
    [InlineData(409, nameof(SmsSendOutcome.Failed))]
    [InlineData(500, nameof(SmsSendOutcome.Retry))]
    [InlineData(501, nameof(SmsSendOutcome.Retry))]
    [InlineData(502, nameof(SmsSendOutcome.Failed))]
    [InlineData(499, nameof(SmsSendOutcome.Failed))]
    [InlineData(503, nameof(SmsSendOutcome.Retry))]
    public void RecipientStatusCodes_AreClassifiedPerTheTable(int code, string expected)
    {
        var outcome = Enum.Parse<SmsSendOutcome>(expected);
        var messageId = outcome == SmsSendOutcome.Sent ? "ATXid_ok" : "None";
        var body = $$$"""{"SMSMessageData":{"Message":"x","Recipients":[{"cost":"0","messageId":"{{{messageId}}}","number":"+254712345678","status":"Whatever","statusCode":{{{code}}}}]}}""";

        var result = AfricasTalkingClient.ReadSendResponse(body, "+254712345678", Text);

        Assert.Equal(outcome, result.Outcome);
        if (outcome == SmsSendOutcome.Sent)
        {
            Assert.Equal("ATXid_ok", result.ProviderMessageId);
            Assert.Null(result.ErrorCode);
            // No messageParts in the answer: Karibu's own count stands in.
            Assert.Equal(1, result.Segments);
        }
        else
        {
            Assert.Null(result.ProviderMessageId);
            Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ErrorCode);
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
        }
    }

    [Fact]
    public void StatusCodeAndPartsAsStrings_AreReadToo()
    {
        const string body = """{"SMSMessageData":{"Recipients":[{"cost":"KES 1.6000","messageId":"ATXid_s","messageParts":"2","number":"+254712345678","status":"Success","statusCode":"101"}]}}""";

        Assert.Equal(SmsSendResult.Sent("ATXid_s", 2, "KES 1.6000"), AfricasTalkingClient.ReadSendResponse(body, "+254712345678", Text));
    }

    [Fact]
    public void NoRecipients_WithAMessageNamingAStatus_IsClassifiedByThatStatus()
    {
        const string body = """{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}""";

        var result = AfricasTalkingClient.ReadSendResponse(body, "+254712345678", Text);

        Assert.Equal(SmsSendOutcome.Failed, result.Outcome);
        Assert.Equal("402", result.ErrorCode);
        Assert.Contains("sender ID", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SuccessWithoutAMessageId_IsStillSent()
    {
        // Accepted is accepted: resending would deliver twice. The delivery report cannot be matched, though.
        const string body = """{"SMSMessageData":{"Recipients":[{"messageId":"None","number":"+254712345678","status":"Success","statusCode":101}]}}""";

        var result = AfricasTalkingClient.ReadSendResponse(body, "+254712345678", Text);

        Assert.Equal(SmsSendOutcome.Sent, result.Outcome);
        Assert.Null(result.ProviderMessageId);
    }

    internal static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
