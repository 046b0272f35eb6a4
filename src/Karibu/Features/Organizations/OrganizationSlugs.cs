using System.Globalization;
using System.Text;
using Karibu.Data;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Organizations;

/// <summary>
/// The business's name in its public booking page address (<c>/b/barberia-el-bigote</c>): lowercase ASCII
/// letters, digits and single dashes, taken from the name once at creation (renaming the business keeps
/// the address), with <c>-2</c>, <c>-3</c>… when another business already has it.
/// </summary>
internal static class OrganizationSlugs
{
    public const int MaxLength = 60;

    /// <summary>"Barbería El Bigote" → "barberia-el-bigote"; a name with no letters or digits gives "negocio".</summary>
    public static string From(string name)
    {
        var slug = new StringBuilder(MaxLength);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // The accent of "í" once decomposed.
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower))
            {
                slug.Append(lower);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= MaxLength)
            {
                break;
            }
        }

        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "negocio" : text;
    }

    /// <summary>The name's slug, or the first free one with a numeric suffix. Reads across tenants.</summary>
    public static async Task<string> FreeAsync(KaribuDb db, string name, CancellationToken ct)
    {
        var slug = From(name);
        var taken = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
            .Where(o => o.Slug == slug || o.Slug.StartsWith(slug + "-"))
            .Select(o => o.Slug)
            .ToListAsync(ct);
        // Plus what this context is about to add, so two businesses created in one save do not collide.
        taken.Add("not-found"); // The booking page's own 404 page, /b/not-found.
        taken.AddRange(db.ChangeTracker.Entries<Organization>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Slug));
        if (!taken.Contains(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Migration 0015 gives existing businesses a placeholder slug (<c>org-</c> and the id's hex digits), since SQL
    /// alone cannot spell names the same way on both databases; this gives each its name's slug on the next start.
    /// </summary>
    public static async Task BackfillAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        var placeholders = (await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
                .Where(o => o.Slug.StartsWith("org-"))
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
                .Select(o => new { o.Id, o.Name, o.Slug })
                .ToListAsync(ct))
            .Where(o => o.Slug == Placeholder(o.Id));
        foreach (var organization in placeholders)
        {
            var slug = await FreeAsync(db, organization.Name, ct);
            try
            {
                // A platform write like the migration's own, outside any tenant: only this column of this row changes.
                await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                    .Where(o => o.Id == organization.Id && o.Slug == organization.Slug)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Slug, slug), ct);
            }
            catch (System.Data.Common.DbException)
            {
                // Another instance gave the slug to a business at the same moment: this one keeps its placeholder until the next start.
            }
        }
    }

    public static string Placeholder(Guid id) => "org-" + id.ToString("N");
}
