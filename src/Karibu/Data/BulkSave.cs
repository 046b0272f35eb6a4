using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Karibu.Data;

/// <summary>
/// Writes for batches of thousands of rows (the reminders of a busy hour) without the change tracker. On
/// PostgreSQL each call is one statement with one array parameter per column, <c>INSERT … SELECT FROM
/// unnest(…)</c> or <c>UPDATE … FROM unnest(…)</c>, in the caller's transaction if it has one; elsewhere the rows
/// go through EF's SaveChanges. Rows are stamped and tenant-checked exactly as every save does.
/// </summary>
internal static class BulkSave
{
    public static async Task InsertAsync<T>(KaribuDb db, IReadOnlyList<T> rows, DateTime now, CancellationToken ct) where T : TenantEntity
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (!db.Database.IsNpgsql())
        {
            db.AddRange(rows);
            await db.SaveChangesAsync(ct);
            return;
        }

        foreach (var row in rows)
        {
            Stamp(db, row);
            row.CreatedAt = now;
            row.UpdatedAt = now;
        }

        var entityType = db.Model.FindEntityType(typeof(T))!;
        var (table, columns, parameters) = Arrays(entityType, [.. entityType.GetProperties()], rows);
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT * FROM unnest({Names(parameters)})";
        await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }

    /// <summary>
    /// Writes the named properties (and <c>updated_at</c>) of rows that already exist, matched on id within the
    /// current tenant, in id order so that two batches touching the same rows lock them alike.
    /// </summary>
    public static async Task UpdateAsync<T>(KaribuDb db, IReadOnlyList<T> rows, DateTime now, IReadOnlyList<string> properties, CancellationToken ct)
        where T : TenantEntity
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (!db.Database.IsNpgsql())
        {
            foreach (var row in rows)
            {
                var entry = db.Attach(row);
                foreach (var property in properties)
                {
                    entry.Property(property).IsModified = true;
                }
            }

            await db.SaveChangesAsync(ct);
            return;
        }

        foreach (var row in rows)
        {
            Stamp(db, row);
            row.UpdatedAt = now;
        }

        var entityType = db.Model.FindEntityType(typeof(T))!;
        List<string> names = [nameof(Entity.Id), .. properties, nameof(Entity.UpdatedAt)];
        var written = names.Select(p => entityType.FindProperty(p)!).ToList();
        var (table, columns, parameters) = Arrays(entityType, written, [.. rows.OrderBy(r => r.Id)]);
        var organizationColumn = entityType.FindProperty(nameof(ITenantOwned.OrganizationId))!.GetColumnName();
        var sql = $"UPDATE {table} AS t SET {string.Join(", ", columns.Skip(1).Select(c => $"{c} = s.{c}"))} "
                  + $"FROM unnest({Names(parameters)}) AS s({string.Join(", ", columns)}) "
                  + $"WHERE t.{columns[0]} = s.{columns[0]} AND t.\"{organizationColumn}\" = @tenant";
        await db.Database.ExecuteSqlRawAsync(sql, [.. parameters, new NpgsqlParameter("tenant", db.CurrentOrganizationId!.Value)], ct);
    }

    /// <summary>Rows of the current tenant only: a row of another (or none) is refused, as the save interceptor refuses it.</summary>
    private static void Stamp(KaribuDb db, TenantEntity row)
    {
        var current = db.CurrentOrganizationId ?? throw new CrossTenantWriteException($"A {row.GetType().Name} was written with no tenant set.");
        if (row.OrganizationId == Guid.Empty)
        {
            row.OrganizationId = current;
        }

        if (row.OrganizationId != current)
        {
            throw new CrossTenantWriteException($"Refused to write a {row.GetType().Name} of another organization.");
        }
    }

    /// <summary>One typed array per column, holding the rows' values as the database stores them.</summary>
    private static (string Table, List<string> Columns, List<NpgsqlParameter> Parameters) Arrays<T>(
        IEntityType entityType, List<IProperty> properties, IReadOnlyList<T> rows)
    {
        var parameters = new List<NpgsqlParameter>();
        foreach (var property in properties)
        {
            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var getter = property.GetGetter();
            var values = Array.CreateInstance(mapping.Converter?.ProviderClrType ?? property.ClrType, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var value = getter.GetClrValue(rows[i]!);
                values.SetValue(value is not null && mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value, i);
            }

            parameters.Add(new NpgsqlParameter { ParameterName = $"p{parameters.Count}", Value = values, DataTypeName = mapping.StoreTypeNameBase + "[]" });
        }

        return ($"\"{entityType.GetTableName()}\"", [.. properties.Select(p => $"\"{p.GetColumnName()}\"")], parameters);
    }

    private static string Names(List<NpgsqlParameter> parameters) => string.Join(", ", parameters.Select(p => "@" + p.ParameterName));
}
