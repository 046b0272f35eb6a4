using System.Text.Json;

namespace Karibu.Common;

/// <summary>Enum values travel as snake_case strings (<c>no_show</c>, <c>walk_in</c>) on the wire and in the database.</summary>
internal static class EnumNames
{
    public static string ToName<T>(T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : Snake(value);

    public static IEnumerable<string> All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(ToName);

    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        value = default;
        return name is not null && Names<T>.ByName.TryGetValue(name.Trim(), out value);
    }

    public static T Parse<T>(string name) where T : struct, Enum =>
        TryParse<T>(name, out var value) ? value : throw new FormatException($"'{name}' is not a {typeof(T).Name}.");

    private static string Snake<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>
    /// Built once per enum: every enum column is converted through here on each row read and written, and
    /// naming it afresh each time showed up in the reminder worker's profile.
    /// </summary>
    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Build();
        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        private static Dictionary<T, string> Build()
        {
            var names = new Dictionary<T, string>();
            foreach (var value in Enum.GetValues<T>())
            {
                names.TryAdd(value, Snake(value));
            }

            return names;
        }
    }
}
