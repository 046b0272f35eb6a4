using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Karibu.Tests.Infrastructure;

/// <summary>Small helpers to speak the API's snake_case JSON.</summary>
public static class Json
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty JSON body ({(int)response.StatusCode}).");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsync(url, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsync(url, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsync(url, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string body, string contentType = "application/json") =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, string url, string body) =>
        client.PatchAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    public static string Str(this JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new InvalidOperationException($"No '{property}' in {node.ToJsonString()}");

    public static Guid Id(this JsonNode node) => Guid.Parse(node.Str("id"));

    /// <summary>Asserts the status and a problem+json body, and returns the body.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(status, body["status"]!.GetValue<int>());
        return body;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> name the field, and returns the messages.</summary>
    public static async Task<string[]> AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var body = await response.AssertProblemAsync(400);
        var errors = body["errors"]?.AsObject() ?? throw new InvalidOperationException($"No errors in {body.ToJsonString()}");
        Assert.True(errors.ContainsKey(field), $"Expected an error for '{field}' in {errors.ToJsonString()}");
        return errors[field]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
    }

    public static async Task<JsonNode> AssertStatusAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A PATCH the API must refuse naming <paramref name="field"/>, leaving the resource exactly as it was.</summary>
    public static async Task AssertPatchRefusedAsync(this HttpClient client, string url, string json, string field)
    {
        var before = await (await client.GetAsync(url)).AssertStatusAsync(200);
        await (await client.PatchRawAsync(url, json)).AssertFieldErrorAsync(field);
        var after = await (await client.GetAsync(url)).AssertStatusAsync(200);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }
}
