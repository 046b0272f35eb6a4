using System.Net.Http.Headers;
using Karibu.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Karibu.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP, on its own database, with a hand-driven clock. Create with
/// <see cref="StartAsync"/> and dispose at the end of the test.
/// </summary>
public sealed class KaribuApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdefghij";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;

    private KaribuApp(TestDatabase database, bool ownsDatabase, Dictionary<string, string?> settings)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _settings = settings;
    }

    public TestDatabase Database { get; }

    public FakeTime Time { get; } = new();

    /// <summary>Starts an app on a new database of the given provider ("Sqlite" or "Postgres").</summary>
    public static async Task<KaribuApp> StartAsync(string provider = "Sqlite", IDictionary<string, string?>? settings = null) =>
        Start(await TestDatabase.CreateAsync(provider), ownsDatabase: true, settings);

    /// <summary>Starts another app instance on an existing database, as a second node would.</summary>
    public static KaribuApp Start(TestDatabase database, bool ownsDatabase = false, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Karibu:Database:Provider"] = database.Provider,
            ["ConnectionStrings:Karibu"] = database.ConnectionString,
            ["Karibu:AdminApiKey"] = AdminKey,
            ["Karibu:SeedDemoBusiness"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = new KaribuApp(database, ownsDatabase, all);
        _ = app.Server; // Builds the host: migrations run now.
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    public HttpClient Client(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    /// <summary>A DbContext acting for one organization (or for none), for arranging and checking rows.</summary>
    internal (KaribuDb Db, IServiceScope Scope) Db(Guid? organizationId = null)
    {
        var scope = Services.CreateScope();
        if (organizationId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(id);
        }

        return (scope.ServiceProvider.GetRequiredService<KaribuDb>(), scope);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
