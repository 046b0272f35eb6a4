using Karibu.Data;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Customers;

/// <summary>A row of the file that is already a customer of the business.</summary>
internal sealed record ExistingRow(ImportRow Row, Guid CustomerId, string? CustomerName);

/// <summary>What importing a file would do: who is added, who is already a customer, and what is left out and why.</summary>
internal sealed record ImportPlan(ImportFile File, IReadOnlyList<ImportRow> ToAdd, IReadOnlyList<ExistingRow> Existing, IReadOnlyList<ImportRow> Skipped);

/// <summary>
/// The database side of importing contacts (the reading is <see cref="ContactImport"/>): compares the file's good rows
/// with the business's customers by E.164 phone, and adds the new ones in one save.
/// </summary>
internal static class CustomerImport
{
    public static async Task<ImportPlan> PlanAsync(KaribuDb db, ImportFile file, CancellationToken ct)
    {
        var good = file.Good.ToList();
        var phones = good.Select(r => r.Phone!).ToList();
        var existing = new Dictionary<string, (Guid Id, string? Name)>(StringComparer.Ordinal);
        foreach (var chunk in phones.Chunk(500))
        {
            foreach (var c in await db.Customers.AsNoTracking().Where(c => chunk.Contains(c.PhoneNumber))
                         .Select(c => new { c.PhoneNumber, c.Id, c.DisplayName }).ToListAsync(ct))
            {
                existing[c.PhoneNumber] = (c.Id, c.DisplayName);
            }
        }

        return new ImportPlan(
            file,
            good.Where(r => !existing.ContainsKey(r.Phone!)).ToList(),
            good.Where(r => existing.ContainsKey(r.Phone!)).Select(r => new ExistingRow(r, existing[r.Phone!].Id, existing[r.Phone!].Name)).ToList(),
            file.Rows.Where(r => !r.IsGood).ToList());
    }

    /// <summary>
    /// Adds the plan's new customers (source "import"), linked to the platform-wide person behind each phone, with
    /// whatever else the caller added to <paramref name="db"/>, in one SaveChanges: all of them or none.
    /// </summary>
    public static async Task AddAsync(KaribuDb db, ImportPlan plan, CancellationToken ct)
    {
        var phones = plan.ToAdd.Select(r => r.Phone!).ToList();
        var people = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var chunk in phones.Chunk(500))
        {
            foreach (var p in await db.People.Where(p => chunk.Contains(p.PhoneNumber)).Select(p => new { p.PhoneNumber, p.Id }).ToListAsync(ct))
            {
                people[p.PhoneNumber] = p.Id;
            }
        }

        foreach (var row in plan.ToAdd)
        {
            if (!people.TryGetValue(row.Phone!, out var personId))
            {
                var person = new Person { PhoneNumber = row.Phone! };
                db.People.Add(person);
                personId = person.Id;
            }

            db.Customers.Add(new Customer
            {
                PersonId = personId,
                PhoneNumber = row.Phone!,
                DisplayName = row.Name,
                Email = row.Email,
                Notes = row.Notes,
                Tags = [.. row.Tags],
                Source = CustomerSource.Import,
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
