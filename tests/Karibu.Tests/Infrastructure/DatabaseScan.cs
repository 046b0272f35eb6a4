using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Infrastructure;

/// <summary>Reads every cell of every table, text and bytes alike: for proving a secret is stored nowhere.</summary>
public static class DatabaseScan
{
    /// <summary>The table.column names whose values contain any of <paramref name="needles"/>.</summary>
    public static async Task<List<string>> FindAsync(KaribuApp app, params string[] needles)
    {
        var (db, scope) = app.Db();
        using (scope)
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = db.Database.IsNpgsql()
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Contains("organizations", tables);
            var found = new List<string>();
            var cells = 0;
            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        cells++;
                        if (Text(reader, i) is { } text && needles.Any(n => text.Contains(n, StringComparison.Ordinal)))
                        {
                            found.Add($"{table}.{reader.GetName(i)}");
                        }
                    }
                }
            }

            Assert.True(cells > 50, $"Expected to read the whole database, read {cells} cells.");
            return found;
        }
    }

    private static string? Text(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetValue(column) switch
        {
            string s => s,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
}
