using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Retention;

internal sealed record ContactResponse(
    Guid CustomerId, string? Name, string PhoneNumber, DateTimeOffset LastVisit, string LastVisitDate, int DaysSinceLastVisit,
    int ExpectedIntervalDays, IntervalReason Reason, int DaysOverdue, int VisitCount, long TotalSpentCents,
    Guid? LastServiceId, string? LastServiceName, double Score);

/// <summary>
/// "Who to contact today": customers whose days since their last visit exceed their expected return
/// interval, without a future pending or confirmed appointment, not opted out (of marketing, of
/// everything, or platform-wide), ranked by <see cref="RetentionMath.Score"/>.
/// </summary>
/// <remarks>
/// The rank is computed, not stored, so the list is paged by <c>limit</c> only (default 50, max 200)
/// with <c>has_more</c>; a cursor over a rank that moves every day would skip or repeat people. A small
/// business has hundreds to a few thousand customers, so their visit days are read and ranked in memory.
/// </remarks>
internal static class ToContactList
{
    public static async Task<Results<Ok<Page<ContactResponse>>, ValidationProblem>> GetAsync(
        KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct, int? limit = null)
    {
        var v = new Validation();
        if (!Paging.TryValidate(limit, v))
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var list = await BuildAsync(db, tenant.Zone, time.GetUtcNow(), ct);
        var take = limit ?? Paging.DefaultLimit;
        return TypedResults.Ok(new Page<ContactResponse>(list.Take(take).ToList(), list.Count > take));
    }

    public static async Task<List<ContactResponse>> BuildAsync(KaribuDb db, DateTimeZone zone, DateTimeOffset now, CancellationToken ct)
    {
        var nowUtc = now.UtcDateTime;
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        // Interval ≥ 1 day, so only a last visit more than a day ago can be overdue.
        var cutoff = nowUtc.AddDays(-1);
        var candidates = db.Customers.AsNoTracking()
            .Where(c => c.LastVisitAt != null && c.LastVisitAt < cutoff && c.MarketingOptedOutAt == null && c.OptedOutAt == null)
            .Where(c => !db.People.Any(p => p.Id == c.PersonId && p.OptedOutAt != null))
            .Where(c => !db.Appointments.Any(a => a.CustomerId == c.Id && a.StartAt > nowUtc
                && (a.Status == AppointmentStatus.Pending || a.Status == AppointmentStatus.Confirmed)));
        var customers = await candidates
            .Select(c => new { c.Id, c.DisplayName, c.PhoneNumber, c.VisitCount, c.TotalSpentCents, c.LastVisitAt, c.ContactCadenceDays })
            .ToListAsync(ct);
        if (customers.Count == 0)
        {
            return [];
        }

        var visits = (await db.Visits.AsNoTracking()
                .Where(x => candidates.Any(c => c.Id == x.CustomerId))
                .Select(x => new { x.CustomerId, x.LocalDate, x.ServiceId })
                .ToListAsync(ct))
            .ToLookup(x => x.CustomerId);
        var services = await db.Services.AsNoTracking().Select(s => new { s.Id, s.Name, s.RebookIntervalDays }).ToDictionaryAsync(s => s.Id, ct);
        var defaultDays = (await db.Organizations.AsNoTracking().Select(o => o.Settings).FirstAsync(ct)).DefaultContactCadenceDays;

        var list = new List<ContactResponse>();
        foreach (var c in customers)
        {
            var history = visits[c.Id].OrderBy(x => x.LocalDate).ToList();
            var lastServiceId = history.LastOrDefault(x => x.ServiceId is not null)?.ServiceId;
            var lastService = lastServiceId is { } sid && services.TryGetValue(sid, out var s) ? s : null;
            var interval = ReturnIntervals.For(c.ContactCadenceDays, history.Select(x => x.LocalDate), lastService?.RebookIntervalDays, defaultDays);
            var lastDate = Instant.FromDateTimeUtc(c.LastVisitAt!.Value).InZone(zone).Date;
            var since = Period.Between(lastDate, today, PeriodUnits.Days).Days;
            var overdue = since - interval.Days;
            if (overdue <= 0)
            {
                continue;
            }

            list.Add(new ContactResponse(
                c.Id, c.DisplayName, c.PhoneNumber, c.LastVisitAt.Value.InZone(zone), LocalDatePattern.Iso.Format(lastDate), since,
                interval.Days, interval.Reason, overdue, c.VisitCount, c.TotalSpentCents, lastService?.Id, lastService?.Name,
                RetentionMath.Score(c.VisitCount, c.TotalSpentCents, overdue, interval.Days)));
        }

        return list.OrderByDescending(x => x.Score).ThenByDescending(x => x.DaysOverdue).ThenBy(x => x.CustomerId).ToList();
    }
}
