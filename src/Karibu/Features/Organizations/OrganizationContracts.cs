using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Karibu.Features.Organizations;

internal sealed record CreateOrganizationRequest(
    string? Name,
    string? BusinessType,
    string? Timezone,
    string? Locale,
    string? Currency,
    string? CountryCode,
    string? PhoneNumber,
    Dictionary<string, List<OpenIntervalInput>?>? BusinessHours,
    JsonObject? Settings);

internal sealed record UpdateOrganizationRequest(
    string? Name,
    string? BusinessType,
    string? Timezone,
    string? Locale,
    string? Currency,
    string? CountryCode,
    string? PhoneNumber,
    string? Status,
    Dictionary<string, List<OpenIntervalInput>?>? BusinessHours,
    JsonObject? Settings,
    string? Address = null);

internal sealed record OrganizationResponse(
    Guid Id,
    string Name,
    string Slug,
    BusinessType BusinessType,
    string Timezone,
    string Locale,
    string Currency,
    string CountryCode,
    string? PhoneNumber,
    OrganizationStatus Status,
    string Plan,
    Dictionary<string, List<OpenInterval>> BusinessHours,
    OrganizationSettings Settings,
    WhatsAppConnection? Whatsapp,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey = null);

internal sealed record WhatsAppConnection(string PhoneNumberId, string? WabaId, string? DisplayPhoneNumber, bool IsActive, DateTimeOffset ConnectedAt);

internal sealed record ConnectWhatsAppRequest(
    string? PhoneNumberId,
    string? WabaId,
    string? AccessToken,
    string? DisplayPhoneNumber,
    string? Code);

internal sealed record CreateApiKeyRequest(string? Name);

internal sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, DateTimeOffset CreatedAt);

internal sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, string ApiKey, DateTimeOffset CreatedAt);
