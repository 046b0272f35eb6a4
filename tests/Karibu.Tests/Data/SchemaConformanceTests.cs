using System.Data.Common;
using Karibu.Data;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Karibu.Tests.Data;

/// <summary>
/// The migrations are hand-written, so this is what keeps them honest: migrate an empty database on
/// each provider and compare every mapped table, column, nullability and index with what exists.
/// </summary>
public sealed class SchemaConformanceTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Migrations_CreateEveryMappedTableColumnAndIndex(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var (db, scope) = app.Db();
        using var _ = scope;
        var schema = await ReadSchemaAsync(db);

        var problems = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            if (!schema.Columns.TryGetValue(table, out var columns))
            {
                problems.Add($"table {table} is missing");
                continue;
            }

            var store = StoreObjectIdentifier.Table(table);
            var mapped = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                mapped.Add(column);
                if (!columns.TryGetValue(column, out var nullable))
                {
                    problems.Add($"column {table}.{column} is missing");
                }
                else if (nullable != property.IsColumnNullable(store))
                {
                    problems.Add($"column {table}.{column} is {(nullable ? "nullable" : "NOT NULL")} but the model says {(property.IsColumnNullable(store) ? "nullable" : "NOT NULL")}");
                }
            }

            problems.AddRange(columns.Keys.Where(c => !mapped.Contains(c)).Select(c => $"column {table}.{c} exists but is not mapped"));
            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName(store)!;
                if (!schema.Indexes.TryGetValue(name, out var unique))
                {
                    problems.Add($"index {name} on {table} is missing");
                }
                else if (unique != index.IsUnique)
                {
                    problems.Add($"index {name} on {table} should {(index.IsUnique ? "" : "not ")}be unique");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{provider} schema differs from the model:\n{string.Join("\n", problems)}");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private sealed record Schema(Dictionary<string, Dictionary<string, bool>> Columns, Dictionary<string, bool> Indexes);

    private static async Task<Schema> ReadSchemaAsync(KaribuDb db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var columns = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        var indexes = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (db.Database.IsNpgsql())
        {
            foreach (var row in await QueryAsync(connection,
                "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'"))
            {
                Add(columns, (string)row[0], (string)row[1], (string)row[2] == "YES");
            }

            foreach (var row in await QueryAsync(connection,
                "SELECT i.relname, ix.indisunique FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = 'public'"))
            {
                indexes[(string)row[0]] = (bool)row[1];
            }
        }
        else
        {
            var tables = (await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
                .Select(r => (string)r[0]).ToList();
            foreach (var table in tables)
            {
                foreach (var row in await QueryAsync(connection, $"PRAGMA table_info('{table}')"))
                {
                    Add(columns, table, (string)row[1], Convert.ToInt64(row[3], System.Globalization.CultureInfo.InvariantCulture) == 0);
                }

                foreach (var row in await QueryAsync(connection, $"PRAGMA index_list('{table}')"))
                {
                    indexes[(string)row[1]] = Convert.ToInt64(row[2], System.Globalization.CultureInfo.InvariantCulture) == 1;
                }
            }
        }

        return new Schema(columns, indexes);
    }

    private static void Add(Dictionary<string, Dictionary<string, bool>> columns, string table, string column, bool nullable)
    {
        if (!columns.TryGetValue(table, out var list))
        {
            columns[table] = list = new Dictionary<string, bool>(StringComparer.Ordinal);
        }

        list[column] = nullable;
    }

    private static async Task<List<object[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }
}
