namespace Karibu.Tests.Infrastructure;

/// <summary>
/// A test that needs PostgreSQL. It runs wherever KARIBU_TEST_POSTGRES is set (always in CI, where
/// .ci/run starts PostgreSQL) and is reported as skipped on a machine with only the .NET SDK. In CI a
/// missing variable is an error, never a silent skip.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.PostgresAdminConnectionString is null && !IsCi)
        {
            Skip = $"PostgreSQL is not configured ({TestDatabase.PostgresVariable}); .ci/run sets it.";
        }
    }

    internal static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The provider names a database test runs on: SQLite always, PostgreSQL when it is configured (always in CI).</summary>
public static class Providers
{
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { "Sqlite" };
            if (TestDatabase.PostgresAdminConnectionString is not null || PostgresFactAttribute.IsCi)
            {
                data.Add("Postgres");
            }

            return data;
        }
    }
}
