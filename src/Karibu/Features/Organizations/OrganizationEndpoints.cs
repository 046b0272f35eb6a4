using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Organizations;

internal static class OrganizationEndpoints
{
    /// <summary>Routes on <c>/api/v1/organizations</c> (admin) and on one organization.</summary>
    public static void MapOrganizationEndpoints(this RouteGroupBuilder api, RouteGroupBuilder organization)
    {
        api.MapPost("/organizations", Create)
            .RequireAuthorization(ApiKeyAuthenticationHandler.AdminRole)
            .WithTags("Organizations").WithSummary("Create an organization (admin key); returns its first API key once.");

        organization.WithTags("Organizations");
        organization.MapGet("/", Get).WithSummary("Get the organization.");
        organization.MapPatch("/", Update).WithSummary("Change the organization's profile, hours, status or settings.");
        organization.MapGet("/business-hours", GetBusinessHours).WithSummary("The business's weekly open intervals.");
        organization.MapPut("/business-hours", PutBusinessHours).WithSummary("Replace the weekly open intervals.");
        organization.MapGet("/settings", GetSettings).WithSummary("The business's settings.");
        organization.MapPatch("/settings", PatchSettings).WithSummary("Change some settings; fields not sent stay as they are.");
        organization.MapPost("/connect-whatsapp", ConnectWhatsApp)
            .WithSummary("Connect a WhatsApp Cloud API number: manually, or with an Embedded Signup code.");
        organization.MapGet("/api-keys", ListApiKeys).WithTags("API keys").WithSummary("The organization's API keys (never the secrets).");
        organization.MapPost("/api-keys", CreateApiKey).WithTags("API keys").WithSummary("A new API key, returned once.");
        organization.MapDelete("/api-keys/{id:guid}", RevokeApiKey).WithTags("API keys").WithSummary("Revoke an API key.");
    }

    private static async Task<Results<Created<OrganizationResponse>, ValidationProblem>> Create(
        CreateOrganizationRequest request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        if (OrganizationSetup.Validate(request, v) is not { } input)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var (organization, key) = await OrganizationSetup.AddAsync(db, tenant, input, http.User.Actor(), ct);
        await db.SaveChangesAsync(ct);
        var response = await LoadAsync(db, tenant, ct) with { ApiKey = key };
        return TypedResults.Created($"/api/v1/organizations/{organization.Id}", response);
    }

    private static async Task<Ok<OrganizationResponse>> Get(KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok(await LoadAsync(db, tenant, ct));

    private static async Task<Results<Ok<OrganizationResponse>, ValidationProblem>> Update(
        UpdateOrganizationRequest request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(ct);
        var location = await db.Locations.SingleAsync(l => l.IsPrimary, ct);
        var v = new Validation();
        var name = request.Name is null ? null : v.Text("name", request.Name, required: true);
        var type = v.Enum<BusinessType>("business_type", request.BusinessType, required: false);
        var status = v.Enum<OrganizationStatus>("status", request.Status, required: false);
        if (status is not null && !http.User.IsAdmin())
        {
            // A suspended business must not be able to reactivate itself.
            v.Add("status", "Only the platform admin can change an organization's status.");
        }
        var zone = Reference.TimeZone("timezone", request.Timezone, required: false, v);
        var locale = Reference.Locale("locale", request.Locale, required: false, v);
        var currency = Reference.Currency("currency", request.Currency, required: false, v);
        var country = Reference.Country("country_code", request.CountryCode, required: false, v);
        var phone = request.PhoneNumber is { Length: 0 } ? null
            : v.Phone("phone_number", request.PhoneNumber, country ?? organization.CountryCode, required: false);
        var hours = request.BusinessHours is null ? null : BusinessHours.Parse(request.BusinessHours, "business_hours", v);
        var settings = OrganizationSetup.MergeSettings(organization.Settings, request.Settings, v);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        organization.Name = name ?? organization.Name;
        organization.BusinessType = type ?? organization.BusinessType;
        organization.Status = status ?? organization.Status;
        organization.TimeZone = zone ?? organization.TimeZone;
        organization.Locale = locale ?? organization.Locale;
        organization.Currency = currency ?? organization.Currency;
        organization.CountryCode = country ?? organization.CountryCode;
        organization.PhoneNumber = request.PhoneNumber is null ? organization.PhoneNumber : phone;
        organization.Settings = settings!;
        if (hours is not null)
        {
            location.BusinessHours = hours;
        }

        db.Audit(http.User.Actor(), "organization.updated", "organization", organization.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadAsync(db, tenant, ct));
    }

    private static async Task<Ok<Dictionary<string, List<OpenInterval>>>> GetBusinessHours(KaribuDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Locations.AsNoTracking().SingleAsync(l => l.IsPrimary, ct)).BusinessHours.ToDictionary());

    private static async Task<Results<Ok<Dictionary<string, List<OpenInterval>>>, ValidationProblem>> PutBusinessHours(
        Dictionary<string, List<OpenIntervalInput>?> request, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        if (await ReplaceBusinessHoursAsync(db, request, http.User.Actor(), v, ct) is not { } hours)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(hours.ToDictionary());
    }

    /// <summary>
    /// Replaces the weekly open intervals of the primary location by the API's rules (the owner app's screens use it
    /// too); null with the reasons in <paramref name="v"/>. The caller saves.
    /// </summary>
    public static async Task<BusinessHours?> ReplaceBusinessHoursAsync(
        KaribuDb db, Dictionary<string, List<OpenIntervalInput>?> request, string actor, Validation v, CancellationToken ct)
    {
        if (BusinessHours.Parse(request, "business_hours", v) is not { } hours)
        {
            return null;
        }

        var location = await db.Locations.SingleAsync(l => l.IsPrimary, ct);
        location.BusinessHours = hours;
        db.Audit(actor, "business_hours.updated", "location", location.Id);
        return hours;
    }

    private static async Task<Ok<OrganizationSettings>> GetSettings(KaribuDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Organizations.AsNoTracking().SingleAsync(ct)).Settings);

    private static async Task<Results<Ok<OrganizationSettings>, ValidationProblem>> PatchSettings(
        System.Text.Json.Nodes.JsonObject request, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(ct);
        var v = new Validation();
        if (OrganizationSetup.MergeSettings(organization.Settings, request, v) is not { } settings)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        organization.Settings = settings;
        db.Audit(http.User.Actor(), "settings.updated", "organization", organization.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(settings);
    }

    private static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> ConnectWhatsApp(
        ConnectWhatsAppRequest request, KaribuDb db, TenantContext tenant, IDataProtectionProvider protection,
        WhatsAppGraphClient graph, Messaging.ChannelDirectory directory, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var phoneNumberId = v.Text("phone_number_id", request.PhoneNumberId, required: true, max: 64);
        if (phoneNumberId is not null && !phoneNumberId.All(char.IsAsciiDigit))
        {
            v.Add("phone_number_id", "Must be the numeric phone number id from WhatsApp Manager.");
        }

        var wabaId = v.Text("waba_id", request.WabaId, required: request.Code is not null, max: 64);
        var display = v.Text("display_phone_number", request.DisplayPhoneNumber, required: false, max: 32);
        // Checked before the one-time signup code is spent on a number that cannot be connected here.
        if (phoneNumberId is not null && await db.ChannelAccounts.IgnoreQueryFilters([KaribuDb.TenantFilter])
                .AnyAsync(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId == phoneNumberId && c.OrganizationId != tenant.OrganizationId, ct))
        {
            return Problems.Conflict("This WhatsApp number is already connected to another business.");
        }

        string? token;
        if (request.Code is not null)
        {
            if (request.AccessToken is not null)
            {
                v.Add("code", "Send either an Embedded Signup code or an access_token, not both.");
            }

            var code = v.Text("code", request.Code, required: true, max: 2000);
            if (!v.IsValid)
            {
                return TypedResults.ValidationProblem(v.Errors);
            }

            var exchanged = await graph.ExchangeCodeAsync(code!, ct);
            if (exchanged.Error is not null)
            {
                return Problems.Unprocessable($"WhatsApp did not accept the signup code: {exchanged.Error}");
            }

            token = exchanged.AccessToken;
            var subscribed = await graph.SubscribeAppAsync(wabaId!, token!, ct);
            if (subscribed is not null)
            {
                return Problems.Unprocessable(
                    $"WhatsApp accepted the signup code, but subscribing to the account's webhooks failed: {subscribed}. The number was not connected; run Embedded Signup again.");
            }
        }
        else
        {
            token = v.Text("access_token", request.AccessToken, required: true, max: 2000);
            if (!v.IsValid)
            {
                return TypedResults.ValidationProblem(v.Errors);
            }
        }

        var account = await db.ChannelAccounts.FirstOrDefaultAsync(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId == phoneNumberId, ct);
        if (account is null)
        {
            account = new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = phoneNumberId! };
            db.ChannelAccounts.Add(account);
        }

        // One active WhatsApp number per business: connecting a new one retires the old.
        await foreach (var other in db.ChannelAccounts.Where(c => c.Kind == ChannelKind.Whatsapp && c.ExternalId != phoneNumberId).AsAsyncEnumerable().WithCancellation(ct))
        {
            other.IsActive = false;
        }

        account.WabaId = wabaId;
        account.DisplayPhoneNumber = display;
        account.EncryptedSecret = WhatsAppTokens.Protector(protection).Protect(token!);
        account.IsActive = true;
        db.Audit(http.User.Actor(), "whatsapp.connected", "channel_account", account.Id, $"{{\"phone_number_id\":\"{phoneNumberId}\"}}");
        await db.SaveChangesAsync(ct);
        directory.Forget();
        return TypedResults.Ok(await LoadAsync(db, tenant, ct));
    }

    private static async Task<Ok<Page<ApiKeyResponse>>> ListApiKeys(KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(new Page<ApiKeyResponse>(keys.Select(k => new ApiKeyResponse(
            k.Id, k.Name, k.Prefix, k.LastUsedAt.InZone(tenant.Zone), k.RevokedAt.InZone(tenant.Zone), k.CreatedAt.InZone(tenant.Zone))).ToList(), false));
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateApiKey(
        CreateApiKeyRequest? request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var name = request?.Name is null ? "API key" : v.Text("name", request.Name, required: true);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var (key, prefix, hash) = ApiKeys.Generate();
        var apiKey = new ApiKey { Name = name!, Prefix = prefix, KeyHash = hash };
        db.ApiKeys.Add(apiKey);
        db.Audit(http.User.Actor(), "api_key.created", "api_key", apiKey.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/api-keys/{apiKey.Id}",
            new CreatedApiKeyResponse(apiKey.Id, apiKey.Name, prefix, key, apiKey.CreatedAt.InZone(tenant.Zone)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        Guid id, KaribuDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return Problems.NotFound("API key");
        }

        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        db.Audit(http.User.Actor(), "api_key.revoked", "api_key", key.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<OrganizationResponse> LoadAsync(KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var location = await db.Locations.AsNoTracking().SingleAsync(l => l.IsPrimary, ct);
        var whatsapp = await db.ChannelAccounts.AsNoTracking()
            .Where(c => c.Kind == ChannelKind.Whatsapp && c.IsActive)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone) ?? tenant.Zone;
        return new OrganizationResponse(
            organization.Id, organization.Name, organization.Slug, organization.BusinessType, organization.TimeZone, organization.Locale,
            organization.Currency, organization.CountryCode, organization.PhoneNumber, organization.Status, organization.Plan,
            location.BusinessHours.ToDictionary(), organization.Settings,
            whatsapp is null ? null : new WhatsAppConnection(whatsapp.ExternalId, whatsapp.WabaId, whatsapp.DisplayPhoneNumber, whatsapp.IsActive, whatsapp.CreatedAt.InZone(zone)),
            organization.CreatedAt.InZone(zone), organization.UpdatedAt.InZone(zone));
    }
}
