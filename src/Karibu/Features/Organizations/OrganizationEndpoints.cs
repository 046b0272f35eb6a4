using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Hosting;
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
        organization.MapBusinessPhotoEndpoints();
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
        var v = await ChangeAsync(db, request, http.User.IsAdmin(), http.User.Actor(), ct);
        return v.IsValid ? TypedResults.Ok(await LoadAsync(db, tenant, ct)) : TypedResults.ValidationProblem(v.Errors);
    }

    /// <summary>
    /// Checks and applies a change to the business's profile, hours or settings (the fields given), and saves it with
    /// its audit event; nothing is changed when a field is wrong. The API's PATCH and the owner app both come here.
    /// </summary>
    public static async Task<Validation> ChangeAsync(KaribuDb db, UpdateOrganizationRequest request, bool isAdmin, string actor, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(ct);
        var location = await db.Locations.SingleAsync(l => l.IsPrimary, ct);
        var v = new Validation();
        var name = request.Name is null ? null : v.Text("name", request.Name, required: true);
        var type = v.Enum<BusinessType>("business_type", request.BusinessType, required: false);
        var status = v.Enum<OrganizationStatus>("status", request.Status, required: false);
        if (status is not null && !isAdmin)
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
        var address = v.OptionalText("address", request.Address, 500);
        var hours = request.BusinessHours is null ? null : BusinessHours.Parse(request.BusinessHours, "business_hours", v);
        var settings = OrganizationSetup.MergeSettings(organization.Settings, request.Settings, v);
        if (!v.IsValid)
        {
            return v;
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
        if (address is not null)
        {
            location.Address = address.Length == 0 ? null : address;
        }

        if (hours is not null)
        {
            location.BusinessHours = hours;
        }

        db.Audit(actor, "organization.updated", "organization", organization.Id);
        await db.SaveChangesAsync(ct);
        return v;
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

    /// <summary>Replaces the weekly hours (already checked by <see cref="BusinessHours.Parse"/>) and saves, with the audit event.</summary>
    public static async Task SetHoursAsync(KaribuDb db, BusinessHours hours, string actor, CancellationToken ct)
    {
        await ApplyHoursAsync(db, hours, actor, ct);
        await db.SaveChangesAsync(ct);
    }

    private static async Task ApplyHoursAsync(KaribuDb db, BusinessHours hours, string actor, CancellationToken ct)
    {
        var location = await db.Locations.SingleAsync(l => l.IsPrimary, ct);
        location.BusinessHours = hours;
        db.Audit(actor, "business_hours.updated", "location", location.Id);
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

        await ApplyHoursAsync(db, hours, actor, ct);
        return hours;
    }

    private static async Task<Ok<OrganizationSettings>> GetSettings(KaribuDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Organizations.AsNoTracking().SingleAsync(ct)).Settings);

    private static async Task<Results<Ok<OrganizationSettings>, ValidationProblem>> PatchSettings(
        System.Text.Json.Nodes.JsonObject request, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        return await ChangeSettingsAsync(db, request, v, http.User.Actor(), ct) is { } settings
            ? TypedResults.Ok(settings)
            : TypedResults.ValidationProblem(v.Errors);
    }

    /// <summary>Applies the settings a patch names (checked as a whole) and saves them with the audit event; null when refused.</summary>
    public static async Task<OrganizationSettings?> ChangeSettingsAsync(
        KaribuDb db, System.Text.Json.Nodes.JsonObject patch, Validation v, string actor, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(ct);
        if (OrganizationSetup.MergeSettings(organization.Settings, patch, v) is not { } settings)
        {
            return null;
        }

        organization.Settings = settings;
        db.Audit(actor, "settings.updated", "organization", organization.Id);
        await db.SaveChangesAsync(ct);
        return settings;
    }

    private static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> ConnectWhatsApp(
        ConnectWhatsAppRequest request, KaribuDb db, TenantContext tenant, WhatsAppConnect connect, HttpContext http, CancellationToken ct)
    {
        var outcome = await connect.ConnectAsync(request, http.User.Actor(), ct);
        return outcome.Result switch
        {
            WhatsAppConnectResult.Connected => TypedResults.Ok(await LoadAsync(db, tenant, ct)),
            WhatsAppConnectResult.TakenByAnotherBusiness => Problems.Conflict(outcome.Detail!),
            WhatsAppConnectResult.Refused => Problems.Unprocessable(outcome.Detail!),
            _ => TypedResults.ValidationProblem(outcome.Validation.Errors),
        };
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

        var (apiKey, key) = await AddApiKeyAsync(db, name!, http.User.Actor(), ct);
        return TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/api-keys/{apiKey.Id}",
            new CreatedApiKeyResponse(apiKey.Id, apiKey.Name, apiKey.Prefix, key, apiKey.CreatedAt.InZone(tenant.Zone)));
    }

    /// <summary>A new key for the business, saved with its audit event; the secret is returned this once and never stored.</summary>
    public static async Task<(ApiKey ApiKey, string Secret)> AddApiKeyAsync(KaribuDb db, string name, string actor, CancellationToken ct)
    {
        var (key, prefix, hash) = ApiKeys.Generate();
        var apiKey = new ApiKey { Name = name, Prefix = prefix, KeyHash = hash };
        db.ApiKeys.Add(apiKey);
        db.Audit(actor, "api_key.created", "api_key", apiKey.Id);
        await db.SaveChangesAsync(ct);
        return (apiKey, key);
    }

    /// <summary>Revokes one of the business's keys (again is fine); false when it has no such key.</summary>
    public static async Task<bool> RevokeApiKeyAsync(KaribuDb db, TimeProvider time, Guid id, string actor, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        db.Audit(actor, "api_key.revoked", "api_key", key.Id);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        Guid id, KaribuDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        return await RevokeApiKeyAsync(db, time, id, http.User.Actor(), ct) ? TypedResults.NoContent() : Problems.NotFound("API key");
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
