using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Karibu.Data.Migrations;

/// <summary>
/// Each business gets a slug, the address of its public booking page (<c>/b/{slug}</c>), unique across the
/// platform. Existing rows get a placeholder made of their id (<c>org-</c> and 32 hex digits: unique and
/// url-safe on both databases); <see cref="Features.Organizations.OrganizationSlugs.BackfillAsync"/> then
/// turns each into its name's slug on start, spelt by the same code that names new businesses.
/// </summary>
[DbContext(typeof(KaribuDb))]
[Migration("20261121000015_PublicSlugs")]
internal sealed class PublicSlugs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "slug", table: "organizations", maxLength: 68, nullable: false, defaultValue: "");
        migrationBuilder.Sql(migrationBuilder.IsNpgsql()
            ? "UPDATE organizations SET slug = 'org-' || replace(id::text, '-', '');"
            : "UPDATE organizations SET slug = 'org-' || lower(replace(id, '-', ''));");
        migrationBuilder.CreateIndex("ux_organizations_slug", "organizations", "slug", unique: true);
    }
}
