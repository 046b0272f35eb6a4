using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Karibu.Hosting;

internal static class DataSetup
{
    /// <summary>Any fixed number: every instance asks PostgreSQL for the same advisory lock before migrating.</summary>
    private const long MigrationLockKey = 0x4B61726962750001;

    public static WebApplicationBuilder AddKaribuData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KaribuOptions.SectionName).Get<KaribuOptions>() ?? new KaribuOptions();
        var connectionString = builder.Configuration.GetConnectionString("Karibu");
        if (options.Database.IsPostgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Karibu:Database:Provider is Postgres but ConnectionStrings:Karibu is not set.");
        }

        if (!options.Database.IsPostgres && string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = Path.Combine(builder.Environment.ContentRootPath, "App_Data");
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "karibu.db")}";
        }

        var postgresConnectionString = options.Database.IsPostgres ? WithPostgresDefaults(connectionString!) : null;
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        builder.Services.AddScoped<TenantData>();
        builder.Services.AddSingleton<TenantInterceptor>();
        builder.Services.AddSingleton<Features.Messaging.OutboxSignal>();
        builder.Services.AddSingleton<Features.Messaging.OutboxNotifier>();
        // The options are built once (their interceptors are singletons): every unit of work opens a
        // context, and rebuilding the options for each cost more CPU than its queries.
        builder.Services.AddDbContext<KaribuDb>((sp, db) =>
        {
            if (options.Database.IsPostgres)
            {
                db.UseNpgsql(postgresConnectionString);
            }
            else
            {
                db.UseSqlite(connectionString);
            }

            db.AddInterceptors(sp.GetRequiredService<TenantInterceptor>(), sp.GetRequiredService<Features.Messaging.OutboxNotifier>());
            // Migrations are hand-written without a model snapshot; SchemaConformanceTests is the guard instead.
            db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        }, optionsLifetime: ServiceLifetime.Singleton);

        builder.Services.AddHealthChecks().AddDbContextCheck<KaribuDb>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Karibu keeps no session state on its connections (settings are <c>SET LOCAL</c>, inside a
    /// transaction), so a connection going back to the pool need not be reset with <c>DISCARD ALL</c>,
    /// which also keeps its prepared statements: with automatic preparation PostgreSQL parses and plans
    /// the few dozen statements of a chat turn once per connection instead of on every turn. A value
    /// given in the connection string wins.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        // NpgsqlConnectionStringBuilder knows every keyword; only the plain parse tells what was written.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Applies pending migrations. On PostgreSQL several instances may start together against one
    /// empty database, so the migration runs under a session advisory lock: one migrates, the
    /// others wait, then find nothing left to do.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(ct);
            return;
        }

        // Its own connection, never pooled: the session lock must end with it whatever happens.
        await using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        await OpenCreatingDatabaseAsync(db, lockConnection, ct);
        await using (var acquire = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await acquire.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Opens the lock connection; if the database does not exist yet, creates it first. Instances racing
    /// to create it see "already exists" or "template in use" and simply try again.
    /// </summary>
    private static async Task OpenCreatingDatabaseAsync(KaribuDb db, NpgsqlConnection connection, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.OpenAsync(ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName && attempt < 20)
            {
                try
                {
                    await db.GetService<IRelationalDatabaseCreator>().CreateAsync(ct);
                }
                catch (PostgresException c) when (c.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.ObjectInUse)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
                }
            }
        }
    }
}
