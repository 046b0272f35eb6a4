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

        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        builder.Services.AddScoped<TenantInterceptor>();
        builder.Services.AddSingleton<Features.Messaging.OutboxSignal>();
        builder.Services.AddSingleton<Features.Messaging.OutboxNotifier>();
        builder.Services.AddDbContext<KaribuDb>((sp, db) =>
        {
            if (options.Database.IsPostgres)
            {
                db.UseNpgsql(connectionString);
            }
            else
            {
                db.UseSqlite(connectionString);
            }

            db.AddInterceptors(sp.GetRequiredService<TenantInterceptor>(), sp.GetRequiredService<Features.Messaging.OutboxNotifier>());
            // Migrations are hand-written without a model snapshot; SchemaConformanceTests is the guard instead.
            db.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<KaribuDb>("database", tags: ["ready"]);
        return builder;
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

        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
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
