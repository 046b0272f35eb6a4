using System.Net;
using System.Net.Http.Headers;
using Karibu.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
    private readonly string _environment;

    private KaribuApp(TestDatabase database, bool ownsDatabase, Dictionary<string, string?> settings, string environment)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _settings = settings;
        _environment = environment;
    }

    public TestDatabase Database { get; }

    public FakeTime Time { get; } = new();

    /// <summary>
    /// Where the app listens when started with <see cref="StartListening"/> (for a browser), e.g.
    /// <c>http://127.0.0.1:41234</c>; null for the in-memory test server.
    /// </summary>
    public Uri? Address { get; private set; }

    /// <summary>Starts an app on a new database of the given provider ("Sqlite" or "Postgres"), in the given environment.</summary>
    public static async Task<KaribuApp> StartAsync(
        string provider = "Sqlite", IDictionary<string, string?>? settings = null, string environment = "Testing") =>
        Start(await TestDatabase.CreateAsync(provider), ownsDatabase: true, settings, environment);

    /// <summary>
    /// Starts an app on a new SQLite database, served by Kestrel on 127.0.0.1 at a free port (see
    /// <see cref="Address"/>), for a real browser to open.
    /// </summary>
    public static KaribuApp StartListening(IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var app = Create(TestDatabase.Sqlite(), ownsDatabase: true, settings, environment);
        app.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        app.Address = new Uri(address);
        return app;
    }

    /// <summary>Starts another app instance on an existing database, as a second node would.</summary>
    public static KaribuApp Start(
        TestDatabase database, bool ownsDatabase = false, IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var app = Create(database, ownsDatabase, settings, environment);
        _ = app.Server; // Builds the host: migrations run now.
        return app;
    }

    private static KaribuApp Create(TestDatabase database, bool ownsDatabase, IDictionary<string, string?>? settings, string environment)
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

        return new KaribuApp(database, ownsDatabase, all, environment);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
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

    /// <summary>A browser-like client: no API key, cookies kept, redirects not followed, over https so Secure cookies travel.</summary>
    public HttpClient Browser() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = true, AllowAutoRedirect = false });

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
