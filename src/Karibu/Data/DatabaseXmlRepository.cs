using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Karibu.Data;

/// <summary>
/// Keeps ASP.NET Data Protection's key ring in the database so every instance can read what another
/// encrypted (the EF Core package for this does not restore here, and it is a few lines).
/// </summary>
internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        return db.DataProtectionKeys.OrderBy(k => k.CreatedAt).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        db.DataProtectionKeys.Add(new DataProtectionKey
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        db.SaveChanges();
    }
}
