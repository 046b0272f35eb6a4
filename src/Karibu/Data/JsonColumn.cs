using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Karibu.Data;

/// <summary>
/// Small documents (settings, business hours) stored as JSON text: the same shape on SQLite and
/// PostgreSQL, read and written whole.
/// </summary>
internal static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        // Stored, never rendered as HTML: "ñ" stays one character instead of six, so lengths mean what they say.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ValueConverter<T, string> Converter<T>() where T : class, new() =>
        new(v => JsonSerializer.Serialize(v, Options), s => JsonSerializer.Deserialize<T>(s, Options) ?? new T());

    public static ValueComparer<T> Comparer<T>() where T : class, new() =>
        new(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options) ?? new T());
}

internal static class Limits
{
    public const int Name = 200;
    public const int Text = 2000;
}
