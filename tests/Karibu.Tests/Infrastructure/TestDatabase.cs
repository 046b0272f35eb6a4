using Npgsql;

namespace Karibu.Tests.Infrastructure;

/// <summary>
/// Where a test app keeps its data: a fresh SQLite file, or a fresh PostgreSQL database on the server
/// named by KARIBU_TEST_POSTGRES (set by .ci/run). Each is dropped when the test is done.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "KARIBU_TEST_POSTGRES";

    private readonly string? _postgresAdmin;
    private readonly string? _sqliteFile;

    private TestDatabase(string provider, string connectionString, string? postgresAdmin, string? sqliteFile, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _sqliteFile = sqliteFile;
        DatabaseName = databaseName;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public string? DatabaseName { get; }

    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static TestDatabase Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"karibu-test-{Guid.NewGuid():N}.db");
        return new TestDatabase("Sqlite", $"Data Source={file};Pooling=False", null, file, null);
    }

    /// <summary>A new, empty database (it exists, with no tables).</summary>
    public static async Task<TestDatabase> PostgresAsync()
    {
        var admin = PostgresAdminConnectionString ?? throw new InvalidOperationException($"{PostgresVariable} is not set.");
        var name = $"karibu_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("Postgres", builder.ConnectionString, admin, null, name);
    }

    public static Task<TestDatabase> CreateAsync(string provider) =>
        provider == "Postgres" ? PostgresAsync() : Task.FromResult(Sqlite());

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A file still open by a finishing host is left for the OS temp cleaner.
                }
            }
        }

        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
