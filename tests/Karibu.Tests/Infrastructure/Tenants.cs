using System.Text.Json.Nodes;

namespace Karibu.Tests.Infrastructure;

/// <summary>An organization made through the admin API, with its own API key.</summary>
public sealed record Tenant(Guid Id, string ApiKey, JsonNode Body)
{
    public string Path => $"/api/v1/organizations/{Id}";
}

public static class Tenants
{
    public static object MexicoBarbershop(string name = "Barbería Centro") => new
    {
        name,
        business_type = "barbershop",
        timezone = "America/Mexico_City",
        locale = "es-MX",
        currency = "MXN",
        country_code = "MX",
        phone_number = "55 1234 5678",
    };

    public static object NairobiSalon(string name = "Salon ya Mama Njeri") => new
    {
        name,
        business_type = "hair_salon",
        timezone = "Africa/Nairobi",
        locale = "sw-KE",
        currency = "KES",
        country_code = "KE",
        phone_number = "0712 345 678",
    };

    public static async Task<Tenant> CreateAsync(this KaribuApp app, object? body = null)
    {
        using var admin = app.Admin();
        var response = await admin.PostJsonAsync("/api/v1/organizations", body ?? MexicoBarbershop());
        var json = await response.AssertStatusAsync(201);
        return new Tenant(json.Id(), json.Str("api_key"), json);
    }
}
