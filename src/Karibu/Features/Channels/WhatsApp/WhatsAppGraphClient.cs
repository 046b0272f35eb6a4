using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>The Graph API calls Karibu makes for WhatsApp onboarding (Embedded Signup).</summary>
internal sealed class WhatsAppGraphClient(HttpClient http, IOptions<WhatsAppOptions> options, ILogger<WhatsAppGraphClient> log)
{
    public sealed record Exchange(string? AccessToken, string? Error);

    /// <summary>Trades the 30-second Embedded Signup code for the business's token.</summary>
    public async Task<Exchange> ExchangeCodeAsync(string code, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.AppId) || string.IsNullOrEmpty(o.AppSecret))
        {
            return new Exchange(null, "Embedded Signup is not configured on this server (Karibu:WhatsApp:AppId and AppSecret).");
        }

        var url = $"{Base}/oauth/access_token?client_id={Uri.EscapeDataString(o.AppId)}&client_secret={Uri.EscapeDataString(o.AppSecret)}&code={Uri.EscapeDataString(code)}";
        try
        {
            using var response = await http.GetAsync(url, ct);
            using var body = await ReadAsync(response, ct);
            if (response.IsSuccessStatusCode && body?.RootElement.TryGetProperty("access_token", out var token) == true
                && token.GetString() is { Length: > 0 } value)
            {
                return new Exchange(value, null);
            }

            return new Exchange(null, ErrorMessage(body) ?? $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning(e, "Embedded Signup code exchange failed");
            return new Exchange(null, "WhatsApp could not be reached; try again.");
        }
    }

    /// <summary>Without this subscription no webhooks arrive for the business's number. Null on success.</summary>
    public async Task<string?> SubscribeAppAsync(string wabaId, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/{Uri.EscapeDataString(wabaId)}/subscribed_apps");
        request.Headers.Authorization = new("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            using var body = await ReadAsync(response, ct);
            return response.IsSuccessStatusCode && body?.RootElement.TryGetProperty("success", out var ok) == true && ok.ValueKind == JsonValueKind.True
                ? null
                : ErrorMessage(body) ?? $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning(e, "Subscribing to WABA {WabaId} failed", wabaId);
            return "WhatsApp could not be reached; try again.";
        }
    }

    private string Base => $"{options.Value.GraphBaseUrl.TrimEnd('/')}/{options.Value.ApiVersion}";

    private static async Task<JsonDocument?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonDocument>(ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ErrorMessage(JsonDocument? body) =>
        body?.RootElement.ValueKind == JsonValueKind.Object
        && body.RootElement.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("message", out var message)
            ? message.GetString()
            : null;
}

internal static class WhatsAppTokens
{
    /// <summary>The one purpose string for WhatsApp access tokens at rest.</summary>
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Karibu.WhatsApp.AccessToken.v1");
}
