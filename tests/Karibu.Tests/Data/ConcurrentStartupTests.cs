using System.Net;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Karibu.Tests.Data;

/// <summary>Several nodes starting together against one PostgreSQL database end with one migrated schema.</summary>
public sealed class ConcurrentStartupTests
{
    [PostgresFact]
    public async Task ThreeInstances_StartingAtOnceOnAnEmptyDatabase_AllBecomeHealthy_OverOneSchema()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await AssertThreeInstancesShareOneSchemaAsync(database);
    }

    [PostgresFact]
    public async Task ThreeInstances_StartingAtOnceWithNoDatabaseYet_CreateItOnce()
    {
        // A database name that does not exist yet: the instances race to create it.
        await using var holder = await TestDatabase.PostgresAsync();
        var missing = new NpgsqlConnectionStringBuilder(holder.ConnectionString) { Database = holder.DatabaseName + "_new" }.ConnectionString;
        try
        {
            await AssertThreeInstancesShareOneSchemaAsync(holder, missing);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestDatabase.PostgresAdminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{holder.DatabaseName}_new\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task AssertThreeInstancesShareOneSchemaAsync(TestDatabase database, string? connectionString = null)
    {
        var settings = new Dictionary<string, string?>();
        if (connectionString is not null)
        {
            settings["ConnectionStrings:Karibu"] = connectionString;
        }

        // Each Start builds a host, which migrates before it serves: run the three at the same time.
        using var gate = new Barrier(3);
        var starts = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            gate.SignalAndWait();
            return KaribuApp.Start(database, settings: settings);
        })).ToArray();
        var apps = await Task.WhenAll(starts);
        try
        {
            foreach (var app in apps)
            {
                using var client = app.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            }

            // All three serve the same data: what one writes, another reads.
            var tenant = await apps[0].CreateAsync();
            using var other = apps[2].Client(tenant.ApiKey);
            await (await other.GetAsync(tenant.Path)).AssertStatusAsync(200);

            var (db, scope) = apps[1].Db();
            using (scope)
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
                Assert.Equal(applied.Distinct().Count(), applied.Count);
                Assert.Equal(db.Database.GetMigrations(), applied);
            }
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
