using NodaTime;

namespace Karibu.Data;

/// <summary>
/// The organization a unit of work acts for. Filled per entry point: from the API key (API),
/// from the channel identifier (webhooks) or from the row being processed (workers).
/// </summary>
internal interface ITenantContext
{
    Guid? OrganizationId { get; }
}

internal sealed class TenantContext : ITenantContext
{
    public Guid? OrganizationId { get; private set; }

    /// <summary>The business's time zone; every instant the API returns is shown in it.</summary>
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public string CountryCode { get; private set; } = "";

    public string Currency { get; private set; } = "";

    public void Set(Guid organizationId, DateTimeZone? zone = null, string? countryCode = null, string? currency = null)
    {
        if (OrganizationId is { } current && current != organizationId)
        {
            throw new InvalidOperationException("The tenant of a unit of work cannot change once set.");
        }

        OrganizationId = organizationId;
        Zone = zone ?? Zone;
        CountryCode = countryCode ?? CountryCode;
        Currency = currency ?? Currency;
    }
}
