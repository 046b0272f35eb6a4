using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Retention;

internal sealed record CustomerFigures(int Active, int Lapsed, string ActiveSince);

internal sealed record AppointmentFigures(int Completed, int NoShow, double? NoShowRate, int Rebooked, double? RebookingRate);

internal sealed record MessageFigures(int Sent, int Delivered, int Read, int Failed);

internal sealed record WinBackFigures(int Sent, int Customers, int WonBack, double? Rate);

internal sealed record MetricsResponse(
    string DateFrom, string DateTo, string Timezone, CustomerFigures Customers, IReadOnlyList<ReturnRate> ReturnRates,
    AppointmentFigures Appointments, MessageFigures Reminders, WinBackFigures WinBack);

/// <summary>
/// Retention figures for a range of business-local dates (both ends included). Definitions are in
/// docs/DESIGN-NOTES.md ("Visits and retention") and on <see cref="RetentionMath"/>.
/// </summary>
internal static class RetentionMetrics
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;
    public const int RebookWithinDays = 7;
    public const int WonBackWithinDays = 14;
    public static readonly int[] ReturnWindows = [30, 60, 90];

    public static async Task<Results<Ok<MetricsResponse>, ValidationProblem>> GetAsync(
        KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "date_from")] string? dateFrom = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "date_to")] string? dateTo = null)
    {
        var zone = tenant.Zone;
        var now = time.GetUtcNow();
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var v = new Validation();
        if (RetentionEndpoints.ParseRange(dateFrom, dateTo, today, DefaultDays, MaxDays, v) is not var (from, to))
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var fromUtc = RetentionEndpoints.StartUtc(from, zone);
        var toUtc = RetentionEndpoints.StartUtc(to.PlusDays(1), zone);

        // Visits up to the last day any figure looks at (return windows after the period).
        var lastDay = to.PlusDays(ReturnWindows.Max());
        var visits = (await db.Visits.AsNoTracking().Where(x => x.LocalDate <= lastDay)
                .Select(x => new { x.CustomerId, x.LocalDate, x.At }).ToListAsync(ct))
            .Select(x => new VisitDay(x.CustomerId, x.LocalDate, Instant.FromDateTimeUtc(x.At)))
            .ToList();
        var (active, lapsed) = RetentionMath.ActiveAndLapsed(visits, to);
        var returnRates = ReturnWindows.Select(days => RetentionMath.ReturnRate(visits, from, to, today, days)).ToList();

        var finished = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= fromUtc && a.StartAt < toUtc && RetentionEndpoints.Finished.Contains(a.Status))
            .Select(a => new { a.Id, a.CustomerId, a.StartAt, a.Status })
            .ToListAsync(ct);
        var completed = finished.Where(a => a.Status == AppointmentStatus.Completed).ToList();
        var noShows = finished.Count - completed.Count;
        var bookedUntil = toUtc.AddDays(RebookWithinDays);
        var bookings = (await db.Appointments.AsNoTracking()
                .Where(a => a.CreatedAt >= fromUtc && a.CreatedAt < bookedUntil)
                .Select(a => new { a.Id, a.CustomerId, a.StartAt, a.CreatedAt })
                .ToListAsync(ct))
            .ToLookup(a => a.CustomerId);
        var rebooked = completed.Count(c => bookings[c.CustomerId].Any(b =>
            b.Id != c.Id && b.StartAt > c.StartAt && b.CreatedAt >= c.StartAt && b.CreatedAt <= c.StartAt.AddDays(RebookWithinDays)));

        var reminders = await db.Messages.AsNoTracking()
            .Where(m => m.Purpose == MessagePurpose.Reminder && m.Direction == MessageDirection.Outbound && m.CreatedAt >= fromUtc && m.CreatedAt < toUtc)
            .GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        int Count(params MessageStatus[] statuses) => reminders.Where(r => statuses.Contains(r.Status)).Sum(r => r.Count);

        var winBacks = await db.Messages.AsNoTracking()
            .Where(m => m.Purpose == MessagePurpose.WinBack && m.Direction == MessageDirection.Outbound && m.CreatedAt >= fromUtc && m.CreatedAt < toUtc
                && (m.Status == MessageStatus.Sent || m.Status == MessageStatus.Delivered || m.Status == MessageStatus.Read))
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new { c.CustomerId, m.SentAt, m.CreatedAt })
            .Where(x => x.CustomerId != null)
            .ToListAsync(ct);
        var visitsByCustomer = visits.ToLookup(x => x.CustomerId);
        var messaged = winBacks.Select(w => w.CustomerId!.Value).Distinct().ToList();
        var wonBack = messaged.Count(customer => winBacks.Where(w => w.CustomerId == customer).Any(w =>
        {
            var sent = Instant.FromDateTimeUtc(w.SentAt ?? w.CreatedAt);
            return visitsByCustomer[customer].Any(x => x.At > sent && x.At <= sent + Duration.FromDays(WonBackWithinDays));
        }));

        return TypedResults.Ok(new MetricsResponse(
            LocalDatePattern.Iso.Format(from), LocalDatePattern.Iso.Format(to), zone.Id,
            new CustomerFigures(active, lapsed, LocalDatePattern.Iso.Format(to.PlusDays(-(RetentionMath.ActiveDays - 1)))),
            returnRates,
            new AppointmentFigures(completed.Count, noShows, RetentionMath.Ratio(noShows, finished.Count), rebooked, RetentionMath.Ratio(rebooked, completed.Count)),
            new MessageFigures(
                Count(MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read), Count(MessageStatus.Delivered, MessageStatus.Read),
                Count(MessageStatus.Read), Count(MessageStatus.Failed)),
            new WinBackFigures(winBacks.Count, messaged.Count, wonBack, RetentionMath.Ratio(wonBack, messaged.Count))));
    }
}
