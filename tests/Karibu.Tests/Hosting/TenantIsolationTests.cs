using System.Net;
using System.Text;
using Karibu.Features.Conversations;
using Karibu.Hosting;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Karibu.Tests.Hosting;

/// <summary>
/// Walks every endpoint the app maps under an organization and tries it with the other tenant's key
/// and with the other tenant's row ids: each must answer 404, so ids never leak. New endpoints are
/// covered automatically.
/// </summary>
public sealed class TenantIsolationTests
{
    private sealed record Fixture(Tenant Tenant, Dictionary<string, Guid> Ids);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryOrganizationRoute_WithAnotherTenantsKeyOrIds_Answers404(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var a = await ArrangeAsync(app, await app.CreateAsync(Tenants.MexicoBarbershop("A")));
        var b = await ArrangeAsync(app, await app.CreateAsync(Tenants.NairobiSalon("B")));
        using var clientB = app.Client(b.Tenant.ApiKey);

        var routes = TenantRoutes(app);
        Assert.True(routes.Count >= 25, $"Expected every organization route, found {routes.Count}.");
        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            // B's key on A's organization.
            var onA = Fill(pattern, a);
            var response = await SendAsync(clientB, method, onA);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                failures.Add($"{method} {onA} with B's key answered {(int)response.StatusCode}");
            }

            // A's row ids under B's organization.
            if (pattern.Contains("{id", StringComparison.Ordinal))
            {
                var mixed = Fill(pattern, b, rowsOf: a);
                response = await SendAsync(clientB, method, mixed);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{method} {mixed} (A's id under B) answered {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Ids of A named in B's request bodies are unknown too.
        var staffWithAsService = await clientB.PostJsonAsync($"{b.Tenant.Path}/staff", new { name = "X", phone_number = "0722 000 111", service_ids = new[] { a.Ids["services"] } });
        await staffWithAsService.AssertProblemAsync(404);
        var ruleForAsStaff = await clientB.PostJsonAsync($"{b.Tenant.Path}/availability", new { staff_id = a.Ids["staff"], type = "recurring", day_of_week = 0, start_time = "09:00", end_time = "17:00" });
        await ruleForAsStaff.AssertProblemAsync(404);

        // And A's data is exactly as it was.
        using var clientA = app.Client(a.Tenant.ApiKey);
        var org = await (await clientA.GetAsync(a.Tenant.Path)).AssertStatusAsync(200);
        Assert.Equal("A", org.Str("name"));
        var service = await (await clientA.GetAsync($"{a.Tenant.Path}/services/{a.Ids["services"]}")).AssertStatusAsync(200);
        Assert.True(service["is_active"]!.GetValue<bool>());
        var customer = await (await clientA.GetAsync($"{a.Tenant.Path}/customers/{a.Ids["customers"]}")).AssertStatusAsync(200);
        Assert.Equal(1, customer["visit_count"]!.GetValue<int>()); // B's check-ins with A's customer id recorded nothing.
        var visits = await (await clientA.GetAsync($"{a.Tenant.Path}/customers/{a.Ids["customers"]}/visits")).AssertStatusAsync(200);
        Assert.Single(visits["data"]!.AsArray());
        var keys = await (await clientA.GetAsync($"{a.Tenant.Path}/api-keys")).AssertStatusAsync(200);
        Assert.All(keys["data"]!.AsArray(), k => Assert.Null(k!["revoked_at"]));
        var payment = await (await clientA.GetAsync($"{a.Tenant.Path}/payments/{a.Ids["payments"]}")).AssertStatusAsync(200);
        Assert.Null(payment["customer_id"]); // B's assign with A's payment id assigned nothing.
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryApiRoute_WithoutAValidKey_Answers401(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var a = await ArrangeAsync(app, await app.CreateAsync());
        var routes = TenantRoutes(app);
        routes.Add(("POST", "/api/v1/organizations"));
        var failures = new List<string>();
        foreach (var key in new string?[] { null, "kb_live_not-a-real-key", "", a.Tenant.ApiKey + "x" })
        {
            using var client = app.CreateClient();
            if (key is not null)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key.Length == 0 ? "Basic abc" : $"Bearer {key}");
            }

            foreach (var (method, pattern) in routes)
            {
                var url = Fill(pattern, a);
                var response = await SendAsync(client, method, url);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {url} with key '{key}' answered {(int)response.StatusCode}");
                }
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{method} {url} 401 is not problem+json");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task CreatingAnOrganization_NeedsTheAdminKey()
    {
        await using var app = await KaribuApp.StartAsync();
        var a = await app.CreateAsync();
        using var tenantClient = app.Client(a.ApiKey);
        var response = await tenantClient.PostJsonAsync("/api/v1/organizations", Tenants.NairobiSalon());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<Fixture> ArrangeAsync(KaribuApp app, Tenant tenant)
    {
        using var client = app.Client(tenant.ApiKey);
        var ids = new Dictionary<string, Guid>
        {
            ["services"] = (await (await client.PostJsonAsync($"{tenant.Path}/services", new { name = "Corte", duration_minutes = 30, price_cents = 25000 })).AssertStatusAsync(201)).Id(),
            ["staff"] = (await (await client.PostJsonAsync($"{tenant.Path}/staff", new { name = "Luis", phone_number = tenant.Body.Str("country_code") == "KE" ? "0711 222 333" : "55 1111 2222" })).AssertStatusAsync(201)).Id(),
            ["customers"] = (await (await client.PostJsonAsync($"{tenant.Path}/customers", new { phone_number = tenant.Body.Str("country_code") == "KE" ? "0799 888 777" : "33 9999 8888", name = "Ana" })).AssertStatusAsync(201)).Id(),
        };
        ids["availability"] = (await (await client.PostJsonAsync($"{tenant.Path}/availability", new { staff_id = ids["staff"], type = "recurring", day_of_week = 1, start_time = "10:00", end_time = "18:00" })).AssertStatusAsync(201)).Id();
        ids["faq"] = (await (await client.PostJsonAsync($"{tenant.Path}/faq", new { question = "¿Aceptan tarjeta?", answer = "Sí, todas." })).AssertStatusAsync(201)).Id();
        var tomorrow = app.Time.GetUtcNow().AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        ids["appointments"] = (await (await client.PostJsonAsync($"{tenant.Path}/appointments", new { service_id = ids["services"], start = $"{tomorrow}T12:00", customer_id = ids["customers"], override_availability = true })).AssertStatusAsync(201)).Id();
        await (await client.PostJsonAsync($"{tenant.Path}/customers/{ids["customers"]}/check-ins", new { })).AssertStatusAsync(201);
        // A forwarded M-Pesa SMS from a masked number: an unmatched payment another tenant must not assign.
        var sms = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.txt"))[1];
        ids["payments"] = (await (await client.PostJsonAsync($"{tenant.Path}/payments/mpesa-sms", new { text = sms })).AssertStatusAsync(201)).Id();
        // A text that looks like a confirmation but does not read cleanly: a review item another tenant must not dismiss.
        var garbled = sms.Replace("Ksh500.00", "Ksh5,00.00", StringComparison.Ordinal);
        Assert.True((await (await client.PostJsonAsync($"{tenant.Path}/payments/mpesa-sms", new { text = garbled })).AssertStatusAsync(200))["needs_review"]!.GetValue<bool>());
        ids["needs-review"] = (await (await client.GetAsync($"{tenant.Path}/payments/needs-review")).AssertStatusAsync(200))["data"]![0]!.Id();
        var keys = await (await client.GetAsync($"{tenant.Path}/api-keys")).AssertStatusAsync(200);
        ids["api-keys"] = keys["data"]![0]!.Id();

        // Conversations arrive through channels (a later feature); arrange one directly.
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var conversation = new Conversation { CustomerId = ids["customers"] };
            db.Conversations.Add(conversation);
            db.Messages.Add(new Message { ConversationId = conversation.Id, Direction = MessageDirection.Inbound, SenderType = SenderType.Customer, Channel = MessageChannel.Whatsapp, Body = "Hola", Status = MessageStatus.Received });
            await db.SaveChangesAsync();
            ids["conversations"] = conversation.Id;
        }

        return new Fixture(tenant, ids);
    }

    /// <summary>Every (method, pattern) mapped under /api/v1/organizations/{org_id}.</summary>
    private static List<(string Method, string Pattern)> TenantRoutes(KaribuApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<TenantScopedAttribute>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct()
            .ToList();

    /// <summary>Fills {org_id} from one tenant and {id} with the other's row of the matching kind.</summary>
    private static string Fill(string pattern, Fixture organization, Fixture? rowsOf = null)
    {
        var path = pattern.Replace("{org_id:guid}", organization.Tenant.Id.ToString(), StringComparison.Ordinal);
        var rows = (rowsOf ?? organization).Ids;
        foreach (var (kind, id) in rows)
        {
            path = path.Replace($"/{kind}/{{id:guid}}", $"/{kind}/{id}", StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        return path.TrimEnd('/');
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PATCH" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
