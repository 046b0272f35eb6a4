using Karibu.Features.Messaging;
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

    /// <summary>Error codes worth another try later (specs/whatsapp-cloud-api.md §8.4); the rest are final.</summary>
    private static readonly HashSet<long> Retryable = [1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057, 133004];

    /// <summary>
    /// POSTs a message (or read receipt) to <c>/{phone_number_id}/messages</c>. Accepted: the wamid.
    /// Rate limits, 5xx, timeouts and answers that are not Graph JSON: retry. Anything else: failed,
    /// with Meta's code and reason.
    /// </summary>
    public async Task<SendOutcome> SendAsync(string phoneNumberId, string accessToken, System.Text.Json.Nodes.JsonObject message, int attempt, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/{Uri.EscapeDataString(phoneNumberId)}/messages")
        {
            Content = new StringContent(message.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            using var body = await ReadAsync(response, ct);
            var root = body?.RootElement;
            if (response.IsSuccessStatusCode && root?.ValueKind == JsonValueKind.Object)
            {
                if (root.Value.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
                    && messages.GetArrayLength() > 0 && messages[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } wamid)
                {
                    return SendOutcome.Sent(wamid);
                }

                if (root.Value.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.True)
                {
                    return SendOutcome.Sent(null);
                }
            }

            if (root?.ValueKind == JsonValueKind.Object && root.Value.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt64(out var code))
            {
                var text = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("details", out var d) ? d.GetString() : null;
                var reason = details is null ? text ?? $"WhatsApp error {code}" : $"{text}: {details}";
                var codeText = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (Retryable.Contains(code) || (int)response.StatusCode >= 500)
                {
                    // Pair rate limit: Meta suggests waiting 4^X seconds after the X-th consecutive failure.
                    TimeSpan? wait = code == 131056 ? TimeSpan.FromSeconds(Math.Min(600, Math.Pow(4, attempt))) : null;
                    return SendOutcome.Retry(reason, codeText, wait);
                }

                return SendOutcome.Failed(codeText, reason);
            }

            return (int)response.StatusCode is >= 500 or 429 || response.IsSuccessStatusCode
                ? SendOutcome.Retry($"WhatsApp answered HTTP {(int)response.StatusCode} without a readable result.", null, null)
                : SendOutcome.Failed(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"WhatsApp refused the message (HTTP {(int)response.StatusCode}).");
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("Sending through WhatsApp number {PhoneNumberId} failed: {Error}", phoneNumberId, e.Message);
            return SendOutcome.Retry(e is TaskCanceledException ? "WhatsApp did not answer in time." : "WhatsApp could not be reached.", null, null);
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
