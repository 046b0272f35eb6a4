using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Channels.Sms;

internal sealed record ConnectSmsRequest(string? Provider, string? Username, string? ApiKey, string? ClientId, string? AccessKey, string? SenderId);

/// <summary>The webhook URLs are shown once, with the secret in them; only its hash is kept.</summary>
internal sealed record SmsAccountResponse(Guid Id, string Provider, string SenderId, string DeliveryReportUrl, string? InboundUrl);

/// <summary>
/// SMS accounts (Africa's Talking, Onfon Media) and their webhooks. Credentials are encrypted at rest;
/// delivery reports and incoming SMS are authenticated by a per-account secret in the URL
/// (<c>/api/v1/webhooks/sms/{provider}/{token}/...</c>) and go through the same inbox as WhatsApp.
/// </summary>
internal static class SmsEndpoints
{
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Karibu.Sms.Credentials.v1");

    public static RouteGroupBuilder MapSmsAccountEndpoints(this RouteGroupBuilder organization)
    {
        organization.MapPost("/connect-sms", ConnectAsync).WithTags("Organizations")
            .WithSummary("Connect an SMS account (africastalking or onfon); answers the webhook URLs to set in the provider's dashboard.");
        return organization;
    }

    public static RouteGroupBuilder MapSmsWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapMethods("/sms/{provider}/{token}/delivery", ["GET", "POST"], DeliveryAsync).WithTags("Webhooks")
            .WithSummary("Delivery reports (Africa's Talking form POST, Onfon GET query).").DisableAntiforgery();
        webhooks.MapPost("/sms/{provider}/{token}/inbound", InboundAsync).WithTags("Webhooks")
            .WithSummary("Incoming SMS (Africa's Talking).").DisableAntiforgery();
        webhooks.MapPost("/sms/{provider}/{token}/optout", OptOutAsync).WithTags("Webhooks")
            .WithSummary("Africa's Talking's bulk SMS opt-out notification: the number asked the network to stop this sender.").DisableAntiforgery();
        return webhooks;
    }

    private static async Task<Results<Ok<SmsAccountResponse>, ValidationProblem>> ConnectAsync(
        ConnectSmsRequest request, KaribuDb db, TenantContext tenant, IDataProtectionProvider protection, ChannelDirectory directory,
        HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var connected = await ConnectAccountAsync(request, v, db, tenant, protection, directory, http.User.Actor(), $"{http.Request.Scheme}://{http.Request.Host}", ct);
        return connected is null ? TypedResults.ValidationProblem(v.Errors) : TypedResults.Ok(connected);
    }

    /// <summary>
    /// Checks and stores the business's SMS account (one active at a time) with a fresh webhook secret, and answers the
    /// webhook URLs under <paramref name="origin"/>; null (with the reasons in <paramref name="v"/>) when refused.
    /// The API's <c>connect-sms</c> and the owner app's channels screen both come here.
    /// </summary>
    public static async Task<SmsAccountResponse?> ConnectAccountAsync(
        ConnectSmsRequest request, Validation v, KaribuDb db, TenantContext tenant, IDataProtectionProvider protection, ChannelDirectory directory,
        string actor, string origin, CancellationToken ct)
    {
        var provider = v.Enum<SmsProvider>("provider", request.Provider, required: true);
        var apiKey = v.Text("api_key", request.ApiKey, required: true, max: 500);
        var senderId = v.Text("sender_id", request.SenderId, required: provider == SmsProvider.Onfon, max: 64);
        var username = v.Text("username", request.Username, required: provider == SmsProvider.Africastalking, max: 200);
        var clientId = v.Text("client_id", request.ClientId, required: provider == SmsProvider.Onfon, max: 200);
        var accessKey = v.Text("access_key", request.AccessKey, required: false, max: 500);
        if (!v.IsValid)
        {
            return null;
        }

        var kind = provider == SmsProvider.Onfon ? ChannelKind.Onfon : ChannelKind.Africastalking;
        var externalId = senderId ?? username!;
        if (await db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                .AnyAsync(a => a.Kind == kind && a.ExternalId == externalId && a.OrganizationId != tenant.OrganizationId, ct))
        {
            v.Add("sender_id", "This sender id is already connected to another business.");
            return null;
        }

        var credentials = new SmsCredentials
        {
            Provider = provider!.Value, ApiKey = apiKey!, Username = username, ClientId = clientId, AccessKey = accessKey, SenderId = senderId,
        };
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var account = await db.ChannelAccounts.FirstOrDefaultAsync(a => a.Kind == kind && a.ExternalId == externalId, ct);
        if (account is null)
        {
            account = new ChannelAccount { Kind = kind, ExternalId = externalId };
            db.ChannelAccounts.Add(account);
        }

        // One active SMS account per business: connecting another retires the old.
        await foreach (var other in db.ChannelAccounts.Where(a => (a.Kind == ChannelKind.Africastalking || a.Kind == ChannelKind.Onfon) && a.Id != account.Id)
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            other.IsActive = false;
        }

        account.EncryptedSecret = Protector(protection).Protect(JsonSerializer.Serialize(credentials, JsonColumn.Options));
        account.WebhookTokenHash = Hash(token);
        account.IsActive = true;
        db.Audit(actor, "sms.connected", "channel_account", account.Id, $$"""{"provider":"{{EnumNames.ToName(kind)}}"}""");
        await db.SaveChangesAsync(ct);
        directory.Forget();

        var name = EnumNames.ToName(kind);
        var root = $"{origin}/api/v1/webhooks/sms/{name}/{token}";
        return new SmsAccountResponse(account.Id, name, externalId, $"{root}/delivery", kind == ChannelKind.Africastalking ? $"{root}/inbound" : null);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> DeliveryAsync(
        string provider, string token, HttpRequest request, KaribuDb db, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        if (await FindAccountAsync(db, provider, token, ct) is not { } account)
        {
            return NotFound();
        }

        var fields = await FieldsAsync(request, ct);
        var report = account.Kind == ChannelKind.Onfon ? OnfonClient.ParseDeliveryReport(fields) : AfricasTalkingClient.ParseDeliveryReport(fields);
        if (report is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "Not a delivery report this provider sends (id and status are required).");
        }

        var state = EnumNames.ToName(report.State);
        var payload = new JsonObject { ["id"] = report.ProviderMessageId, ["state"] = state, ["reason"] = report.FailureReason }.ToJsonString();
        var received = new ReceivedEvent(
            $"dlr:{report.ProviderMessageId}:{state}", new EventRoute(account.ExternalId, null), report.PhoneNumber, InboxKind.Status,
            time.GetUtcNow().UtcDateTime, payload);
        return await inbox.TryWriteAsync(EnumNames.ToName(account.Kind), [received], ct) ?? (Results<Ok, ProblemHttpResult>)TypedResults.Ok();
    }

    private static async Task<Results<Ok, ProblemHttpResult>> InboundAsync(
        string provider, string token, HttpRequest request, KaribuDb db, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        if (await FindAccountAsync(db, provider, token, ct) is not { Kind: ChannelKind.Africastalking } account)
        {
            return NotFound();
        }

        var fields = await FieldsAsync(request, ct);
        if (AfricasTalkingClient.ParseInbound(fields) is not { } sms)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "Not an incoming SMS (from, text and id are required).");
        }

        var payload = new JsonObject { ["id"] = sms.ProviderMessageId, ["from"] = sms.From, ["to"] = sms.To, ["text"] = sms.Text }.ToJsonString();
        var received = new ReceivedEvent(
            sms.ProviderMessageId, new EventRoute(account.ExternalId, null), sms.From, InboxKind.Message,
            (sms.ReceivedAt ?? time.GetUtcNow()).UtcDateTime, payload);
        return await inbox.TryWriteAsync(EnumNames.ToName(account.Kind), [received], ct) ?? (Results<Ok, ProblemHttpResult>)TypedResults.Ok();
    }

    private static async Task<Results<Ok, ProblemHttpResult>> OptOutAsync(
        string provider, string token, HttpRequest request, KaribuDb db, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        if (await FindAccountAsync(db, provider, token, ct) is not { Kind: ChannelKind.Africastalking } account)
        {
            return NotFound();
        }

        if (AfricasTalkingClient.ParseOptOut(await FieldsAsync(request, ct)) is not { } optOut)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "Not an opt-out notification (senderId and phoneNumber are required).");
        }

        var payload = new JsonObject { ["from"] = optOut.PhoneNumber, ["sender_id"] = optOut.SenderId }.ToJsonString();
        var received = new ReceivedEvent(
            $"optout:{optOut.SenderId}:{optOut.PhoneNumber}:{time.GetUtcNow().ToUnixTimeSeconds()}", new EventRoute(account.ExternalId, null), optOut.PhoneNumber,
            InboxKind.OptOut, time.GetUtcNow().UtcDateTime, payload);
        return await inbox.TryWriteAsync(EnumNames.ToName(account.Kind), [received], ct) ?? (Results<Ok, ProblemHttpResult>)TypedResults.Ok();
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: "No SMS account has this webhook URL.");

    /// <summary>The account whose webhook secret this is: a read across tenants by the secret's hash.</summary>
    private static async Task<ChannelAccount?> FindAccountAsync(KaribuDb db, string provider, string token, CancellationToken ct)
    {
        var kind = provider switch
        {
            "africastalking" => ChannelKind.Africastalking,
            "onfon" => ChannelKind.Onfon,
            _ => (ChannelKind?)null,
        };
        if (kind is null || token.Length is < 16 or > 128)
        {
            return null;
        }

        var hash = Hash(token);
        return await db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .FirstOrDefaultAsync(a => a.WebhookTokenHash == hash && a.Kind == kind && a.IsActive, ct);
    }

    private static async Task<Dictionary<string, string>> FieldsAsync(HttpRequest request, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Query)
        {
            fields[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct))
            {
                fields[key] = value.ToString();
            }
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body, cancellationToken: ct) is JsonObject json)
                {
                    foreach (var (key, value) in json)
                    {
                        fields[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        return fields;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
