using System.Collections.Concurrent;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Features.Organizations;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Features.Organizations;

/// <summary>
/// POST /organizations/{id}/connect-whatsapp: manually with a token, or with an Embedded Signup code
/// exchanged against a fake Graph API. The token is stored encrypted and never shown again.
/// </summary>
public sealed class ConnectWhatsAppTests
{
    internal const string PhoneNumberId = "200000000000001";
    internal const string WabaId = "100000000000001";
    private const string ManualToken = "EAAGmanualTOKEN0123456789abcdefSECRET";
    internal const string ExchangedToken = "EAAGexchangedTOKEN9876543210zyxwvSECRET";
    internal const string AppId = "1234567890123456";
    private const string AppSecret = "fake-app-secret-0123456789";
    internal const string SignupCode = "AQBx-embedded-signup-code";

    private static object Manual(string phoneNumberId = PhoneNumberId, string token = ManualToken) => new
    {
        phone_number_id = phoneNumberId,
        waba_id = WabaId,
        access_token = token,
        display_phone_number = "+52 55 1234 5678",
    };

    // ---------------------------------------------------------------- manual

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ManualConnect_Returns200WithTheNumber_AndNeverTheToken(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual());

        var body = await response.AssertStatusAsync(200);
        var whatsapp = body["whatsapp"]!;
        Assert.Equal(PhoneNumberId, whatsapp.Str("phone_number_id"));
        Assert.Equal(WabaId, whatsapp.Str("waba_id"));
        Assert.Equal("+52 55 1234 5678", whatsapp.Str("display_phone_number"));
        Assert.True(whatsapp["is_active"]!.GetValue<bool>());
        Assert.Equal("2026-11-21T09:00:00-06:00", whatsapp.Str("connected_at"));
        Assert.Equal(tenant.Id, body.Id());
        Assert.DoesNotContain(ManualToken, body.ToJsonString(), StringComparison.Ordinal);

        var reread = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Equal(whatsapp.ToJsonString(), reread["whatsapp"]!.ToJsonString());
        Assert.DoesNotContain(ManualToken, reread.ToJsonString(), StringComparison.Ordinal);
        var keys = await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        Assert.DoesNotContain(ManualToken, keys.ToJsonString(), StringComparison.Ordinal);

        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "whatsapp.connected");
            Assert.Equal($"api_key:{keys["data"]![0]!.Id()}", audit.Actor);
            Assert.Contains(PhoneNumberId, audit.Data, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ManualConnect_StoresTheTokenEncrypted_AndOnlyThere(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual())).AssertStatusAsync(200);

        var account = await WhatsAppAccountAsync(app, tenant.Id);
        Assert.Equal(PhoneNumberId, account.ExternalId);
        Assert.Equal(WabaId, account.WabaId);
        Assert.True(account.IsActive);
        Assert.NotNull(account.EncryptedSecret);
        Assert.NotEqual(ManualToken, account.EncryptedSecret);
        Assert.DoesNotContain(ManualToken, account.EncryptedSecret, StringComparison.Ordinal);
        Assert.Equal(ManualToken, Unprotect(app, account.EncryptedSecret!));
        Assert.Empty(await DatabaseScan.FindAsync(app, ManualToken));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ASecondInstance_OnTheSameDatabase_CanDecryptTheToken(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual())).AssertStatusAsync(200);
        var account = await WhatsAppAccountAsync(app, tenant.Id);

        await using var second = KaribuApp.Start(app.Database);

        Assert.Equal(ManualToken, Unprotect(second, account.EncryptedSecret!));
        var (db, scope) = second.Db();
        using (scope)
        {
            Assert.NotEmpty(await db.DataProtectionKeys.AsNoTracking().ToListAsync());
        }

        // And what the second instance encrypts, the first can read.
        using var secondClient = second.Client(tenant.ApiKey);
        await (await secondClient.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual(token: ManualToken + "-rotated"))).AssertStatusAsync(200);
        Assert.Equal(ManualToken + "-rotated", Unprotect(app, (await WhatsAppAccountAsync(app, tenant.Id)).EncryptedSecret!));
    }

    public static TheoryData<string, string> InvalidManualConnects => new()
    {
        { $$"""{ "phone_number_id": "+52 55 1234 5678", "waba_id": "{{WabaId}}", "access_token": "{{ManualToken}}" }""", "phone_number_id" },
        { $$"""{ "phone_number_id": "2000-0000", "waba_id": "{{WabaId}}", "access_token": "{{ManualToken}}" }""", "phone_number_id" },
        { $$"""{ "waba_id": "{{WabaId}}", "access_token": "{{ManualToken}}" }""", "phone_number_id" },
        { $$"""{ "phone_number_id": "{{PhoneNumberId}}", "waba_id": "{{WabaId}}" }""", "access_token" },
        { $$"""{ "phone_number_id": "{{PhoneNumberId}}", "access_token": "" }""", "access_token" },
        { $$"""{ "phone_number_id": "{{PhoneNumberId}}", "waba_id": "{{WabaId}}", "access_token": "{{ManualToken}}", "code": "{{SignupCode}}" }""", "code" },
        { $$"""{ "phone_number_id": {{PhoneNumberId}}, "access_token": "{{ManualToken}}" }""", "phone_number_id" },
        { $$"""{ "phone_number_id": "{{PhoneNumberId}}", "access_token": "{{ManualToken}}", "token": "x" }""", "token" },
    };

    [Theory]
    [MemberData(nameof(InvalidManualConnects))]
    public async Task Connect_WithInvalidInput_Returns400NamingTheField_AndStoresNothing(string raw, string field)
    {
        await using var app = await KaribuApp.StartAsync();
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostRawAsync($"{tenant.Path}/connect-whatsapp", raw);

        await response.AssertFieldErrorAsync(field);
        Assert.DoesNotContain(ManualToken, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNotConnectedAsync(app, client, tenant);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Connect_ANumberAnotherBusinessHasConnected_Returns409(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var a = await app.CreateAsync(Tenants.MexicoBarbershop("A"));
        var b = await app.CreateAsync(Tenants.MexicoBarbershop("B"));
        using var clientA = app.Client(a.ApiKey);
        using var clientB = app.Client(b.ApiKey);
        await (await clientA.PostJsonAsync($"{a.Path}/connect-whatsapp", Manual())).AssertStatusAsync(200);

        var response = await clientB.PostJsonAsync($"{b.Path}/connect-whatsapp", Manual(token: "EAAGsomeoneElsesToken"));

        await response.AssertProblemAsync(409);
        await AssertNotConnectedAsync(app, clientB, b);
        var accountA = await WhatsAppAccountAsync(app, a.Id);
        Assert.Equal(ManualToken, Unprotect(app, accountA.EncryptedSecret!));
        Assert.True(accountA.IsActive);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Connect_AgainOrAnotherNumber_KeepsOneActiveNumber(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);
        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual())).AssertStatusAsync(200);

        // The same number again (a new token): still one row, with the new token.
        await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual(token: "EAAGsecondTOKEN"))).AssertStatusAsync(200);
        // Another number: it becomes the active one; the first is retired.
        var switched = await (await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", Manual("200000000000002", "EAAGthirdTOKEN"))).AssertStatusAsync(200);

        Assert.Equal("200000000000002", switched["whatsapp"]!.Str("phone_number_id"));
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var accounts = await db.ChannelAccounts.AsNoTracking().OrderBy(c => c.ExternalId).ToListAsync();
            Assert.Equal([PhoneNumberId, "200000000000002"], accounts.Select(c => c.ExternalId).ToArray());
            Assert.Equal([false, true], accounts.Select(c => c.IsActive).ToArray());
            Assert.Equal("EAAGsecondTOKEN", Unprotect(app, accounts[0].EncryptedSecret!));
            Assert.Equal("EAAGthirdTOKEN", Unprotect(app, accounts[1].EncryptedSecret!));
        }
    }

    // ---------------------------------------------------------------- Embedded Signup

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EmbeddedSignup_ExchangesTheCode_SubscribesTheApp_AndStoresTheToken(string provider)
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var app = await KaribuApp.StartAsync(provider, graph.Settings());
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new { code = SignupCode, phone_number_id = PhoneNumberId, waba_id = WabaId });

        var body = await response.AssertStatusAsync(200);
        Assert.Equal(PhoneNumberId, body["whatsapp"]!.Str("phone_number_id"));
        Assert.Equal(WabaId, body["whatsapp"]!.Str("waba_id"));
        var text = body.ToJsonString();
        Assert.DoesNotContain(ExchangedToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SignupCode, text, StringComparison.Ordinal);
        Assert.Equal(["GET /v23.0/oauth/access_token", $"POST /v23.0/{WabaId}/subscribed_apps"], graph.Calls.ToArray());

        var account = await WhatsAppAccountAsync(app, tenant.Id);
        Assert.Equal(ExchangedToken, Unprotect(app, account.EncryptedSecret!));
        Assert.Empty(await DatabaseScan.FindAsync(app, ExchangedToken, SignupCode));
    }

    [Fact]
    public async Task EmbeddedSignup_WithoutAppIdConfigured_Returns422_AndStoresNothing()
    {
        await using var graph = await FakeGraph.StartAsync();
        var settings = graph.Settings();
        settings.Remove("Karibu:WhatsApp:AppId");
        await using var app = await KaribuApp.StartAsync("Sqlite", settings);
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new { code = SignupCode, phone_number_id = PhoneNumberId, waba_id = WabaId });

        var problem = await response.AssertProblemAsync(422);
        Assert.Contains("AppId", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Empty(graph.Calls);
        await AssertNotConnectedAsync(app, client, tenant);
    }

    [Fact]
    public async Task EmbeddedSignup_WhenGraphRefusesTheCode_Returns422WithItsMessage_AndStoresNothing()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var app = await KaribuApp.StartAsync("Sqlite", graph.Settings());
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        var response = await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new { code = "an-expired-code", phone_number_id = PhoneNumberId, waba_id = WabaId });

        var problem = await response.AssertProblemAsync(422);
        Assert.Contains("Error validating access token: Session has expired.", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(["GET /v23.0/oauth/access_token"], graph.Calls.ToArray());
        await AssertNotConnectedAsync(app, client, tenant);
    }

    [Fact]
    public async Task EmbeddedSignup_WhenSubscribingFails_Returns422WithTheReason_AndStoresNothing()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var app = await KaribuApp.StartAsync("Sqlite", graph.Settings());
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        // The fake only lets the app subscribe to WabaId.
        var response = await client.PostJsonAsync($"{tenant.Path}/connect-whatsapp", new { code = SignupCode, phone_number_id = PhoneNumberId, waba_id = "100000000000999" });

        var problem = await response.AssertProblemAsync(422);
        var detail = problem.Str("detail");
        Assert.Contains("(#200) Permissions error", detail, StringComparison.Ordinal);
        // Nothing is stored, and the message must not claim otherwise.
        Assert.Contains("not connected", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ExchangedToken, detail, StringComparison.Ordinal);
        Assert.Equal(["GET /v23.0/oauth/access_token", "POST /v23.0/100000000000999/subscribed_apps"], graph.Calls.ToArray());
        await AssertNotConnectedAsync(app, client, tenant);
    }

    [Theory]
    [InlineData($$"""{ "code": "{{SignupCode}}", "phone_number_id": "{{PhoneNumberId}}" }""", "waba_id")]
    [InlineData($$"""{ "code": "", "phone_number_id": "{{PhoneNumberId}}", "waba_id": "{{WabaId}}" }""", "code")]
    [InlineData($$"""{ "code": "{{SignupCode}}", "waba_id": "{{WabaId}}" }""", "phone_number_id")]
    public async Task EmbeddedSignup_WithMissingFields_Returns400_WithoutCallingGraph(string raw, string field)
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var app = await KaribuApp.StartAsync("Sqlite", graph.Settings());
        var tenant = await app.CreateAsync();
        using var client = app.Client(tenant.ApiKey);

        await (await client.PostRawAsync($"{tenant.Path}/connect-whatsapp", raw)).AssertFieldErrorAsync(field);

        Assert.Empty(graph.Calls);
        await AssertNotConnectedAsync(app, client, tenant);
    }

    // ---------------------------------------------------------------- helpers

    private static string Unprotect(KaribuApp app, string encrypted) =>
        WhatsAppTokens.Protector(app.Services.GetRequiredService<IDataProtectionProvider>()).Unprotect(encrypted);

    private static async Task<ChannelAccount> WhatsAppAccountAsync(KaribuApp app, Guid organizationId)
    {
        var (db, scope) = app.Db(organizationId);
        using (scope)
        {
            return await db.ChannelAccounts.AsNoTracking().SingleAsync(c => c.Kind == ChannelKind.Whatsapp && c.IsActive);
        }
    }

    private static async Task AssertNotConnectedAsync(KaribuApp app, HttpClient client, Tenant tenant)
    {
        var organization = await (await client.GetAsync(tenant.Path)).AssertStatusAsync(200);
        Assert.Null(organization["whatsapp"]);
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            Assert.False(await db.ChannelAccounts.AnyAsync());
            Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == "whatsapp.connected"));
        }
    }

    /// <summary>
    /// Just enough of the Graph API for Embedded Signup, on a real port: the code exchange (which checks
    /// the app's id and secret and the one good code) and the webhook subscription (which checks the token).
    /// </summary>
    internal sealed class FakeGraph : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeGraph(WebApplication app) => _app = app;

        public ConcurrentQueue<string> Calls { get; } = new();

        private string BaseUrl => _app.Urls.Single();

        public Dictionary<string, string?> Settings() => new()
        {
            ["Karibu:WhatsApp:GraphBaseUrl"] = BaseUrl,
            ["Karibu:WhatsApp:AppId"] = AppId,
            ["Karibu:WhatsApp:AppSecret"] = AppSecret,
        };

        public static async Task<FakeGraph> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            var app = builder.Build();
            app.Urls.Add("http://127.0.0.1:0");
            var graph = new FakeGraph(app);

            app.MapGet("/v23.0/oauth/access_token", (HttpRequest request) =>
            {
                graph.Calls.Enqueue("GET /v23.0/oauth/access_token");
                var query = request.Query;
                if (query["client_id"] != AppId || query["client_secret"] != AppSecret || query["code"] != SignupCode)
                {
                    // Meta's answer for a spent or expired code (fixtures/whatsapp/api/send-error-190-token-expired.json).
                    return Results.Content(
                        """{"error":{"message":"Error validating access token: Session has expired.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"FAKEtraceId0004"}}""",
                        "application/json", statusCode: 400);
                }

                return Results.Content($$"""{"access_token":"{{ExchangedToken}}","token_type":"bearer"}""", "application/json");
            });

            app.MapPost("/v23.0/{waba}/subscribed_apps", (string waba, HttpRequest request) =>
            {
                graph.Calls.Enqueue($"POST /v23.0/{waba}/subscribed_apps");
                if (request.Headers.Authorization != $"Bearer {ExchangedToken}")
                {
                    return Results.Content(
                        """{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"fbtrace_id":"FAKE1"}}""",
                        "application/json", statusCode: 401);
                }

                if (waba != WabaId)
                {
                    return Results.Content(
                        """{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"FAKE2"}}""",
                        "application/json", statusCode: 403);
                }

                return Results.Content("""{"success":true}""", "application/json");
            });

            await app.StartAsync();
            return graph;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
