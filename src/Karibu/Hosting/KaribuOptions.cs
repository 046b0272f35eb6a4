using System.ComponentModel.DataAnnotations;

namespace Karibu.Hosting;

/// <summary>The <c>Karibu</c> configuration section (see README for every key).</summary>
internal sealed class KaribuOptions : IValidatableObject
{
    public const string SectionName = "Karibu";

    /// <summary>Platform admin key. In Development a random one is made and printed when none is set.</summary>
    public string? AdminApiKey { get; set; }

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Seed a demo business into an empty database. Null: only on the embedded SQLite default.</summary>
    public bool? SeedDemoBusiness { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(Database.Provider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Database.Provider, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"Karibu:Database:Provider must be '{DatabaseOptions.Sqlite}' or '{DatabaseOptions.Postgres}' (got '{Database.Provider}').");
        }

        if (AdminApiKey is { Length: > 0 and < 24 })
        {
            yield return new ValidationResult("Karibu:AdminApiKey must be at least 24 characters long.");
        }
    }
}

internal sealed class DatabaseOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
