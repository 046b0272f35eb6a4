namespace Karibu.Common;

/// <summary>
/// Collects field errors (snake_case field → messages) for a problem+json 400; handlers return
/// <c>TypedResults.ValidationProblem(v.Errors)</c> when anything was added.
/// </summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Trims and checks a text field; returns the trimmed value or null.</summary>
    public string? Text(string field, string? value, bool required, int max = Data.Limits.Name)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required || value is not null)
            {
                Add(field, value is null ? "Is required." : "Must not be empty.");
            }

            return null;
        }

        if (trimmed.Length > max)
        {
            Add(field, $"Must be at most {max} characters (got {trimmed.Length}).");
            return null;
        }

        return trimmed;
    }

    /// <summary>Optional free text: null leaves it unchanged, an empty string clears it.</summary>
    public string? OptionalText(string field, string? value, int max = Data.Limits.Text)
    {
        var trimmed = value?.Trim();
        if (trimmed is not null && trimmed.Length > max)
        {
            Add(field, $"Must be at most {max} characters (got {trimmed.Length}).");
        }

        return trimmed;
    }

    public T? Enum<T>(string field, string? value, bool required) where T : struct, System.Enum
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, $"Is required. One of: {string.Join(", ", EnumNames.All<T>())}.");
            }

            return null;
        }

        if (EnumNames.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }

        Add(field, $"'{value}' is not allowed. One of: {string.Join(", ", EnumNames.All<T>())}.");
        return null;
    }

    public void Range(string field, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, min == max ? $"Must be {min}." : $"Must be between {min} and {max} (got {v}).");
        }
    }

    /// <summary>Any accepted phone form (E.164 or the business's national format) → E.164.</summary>
    public string? Phone(string field, string? value, string? countryCode, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "Is required.");
            }

            return null;
        }

        if (PhoneNumbers.TryNormalize(value, countryCode, out var e164, out var error))
        {
            return e164;
        }

        Add(field, error);
        return null;
    }
}
