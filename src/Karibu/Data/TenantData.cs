using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Data;

/// <summary>
/// The business's own setup as one unit of work reads it: the organization, its services, its staff and
/// its primary location, each read at most once and shared by everything in the unit (the guided
/// assistant, the booking service, the booking notices), not tracked. A chat turn that books used to
/// read the organization three times, the staff four and the location three: on PostgreSQL each read is
/// a round trip on the customer's wait. Saving any of these rows forgets what was read, so a unit of
/// work that changes its setup (an owner adding a team member by chat) reads the new one next.
/// Callers must not change what they get: it is shared.
/// </summary>
internal sealed class TenantData
{
    private readonly KaribuDb _db;
    private Organization? _organization;
    private List<Service>? _services;
    private List<StaffMember>? _staff;
    private (Location? Location, bool Read) _primary;

    public TenantData(KaribuDb db)
    {
        _db = db;
        db.SavingChanges += (_, _) =>
        {
            if (db.ChangeTracker.Entries().Any(e => e.State is not (EntityState.Unchanged or EntityState.Detached)
                                                    && e.Entity is Organization or Service or StaffMember or Location))
            {
                Forget();
            }
        };
    }

    /// <summary>The organization as the entry point already read it (the inbox processor reads it whole), so nothing reads it again.</summary>
    public void Remember(Organization organization) => _organization = organization;

    /// <summary>The services and primary location as a query that ran anyway brought them (the sender's, on a chat turn).</summary>
    public void Remember(List<Service> services, Location? primary)
    {
        _services = services;
        _primary = (primary, true);
    }

    public async Task<Organization> OrganizationAsync(CancellationToken ct) =>
        _organization ??= await _db.Organizations.AsNoTracking().SingleAsync(ct);

    /// <summary>Every service, offered or not.</summary>
    public async Task<IReadOnlyList<Service>> ServicesAsync(CancellationToken ct) =>
        _services ??= await _db.Services.AsNoTracking().ToListAsync(ct);

    /// <summary>Every staff member, active or not, in id order (creation order).</summary>
    public async Task<IReadOnlyList<StaffMember>> StaffAsync(CancellationToken ct) =>
        _staff ??= await _db.Staff.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);

    public async Task<Location?> PrimaryLocationAsync(CancellationToken ct)
    {
        if (!_primary.Read)
        {
            _primary = (await _db.Locations.AsNoTracking().FirstOrDefaultAsync(l => l.IsPrimary, ct), true);
        }

        return _primary.Location;
    }

    /// <summary>The active owner who joined first: the one the assistant tells about hand-offs.</summary>
    public async Task<StaffMember?> OwnerAsync(CancellationToken ct) =>
        (await StaffAsync(ct)).Where(s => s.Role == StaffRole.Owner && s.IsActive).OrderBy(s => s.CreatedAt).FirstOrDefault();

    private void Forget()
    {
        _organization = null;
        _services = null;
        _staff = null;
        _primary = default;
    }
}
