using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Retention;

/// <summary>
/// What happened: who came, when (UTC), and what it tells about the visit. <c>AmountCents</c> is what was
/// billed (appointment price, check-in amount), or for a payment the amount paid.
/// </summary>
internal sealed record VisitInput(
    Guid CustomerId, DateTime At, VisitSource Source,
    Guid? AppointmentId = null, long? AmountCents = null, Guid? ServiceId = null, Guid? PaymentId = null);

/// <summary>The visit as stored after recording, and whether it merged into one already there that day.</summary>
internal sealed record RecordedVisit(Visit Visit, bool Merged);

/// <summary>
/// The one way to record a visit (completed appointments, check-ins, matched payments). Keeps one visit
/// per customer per business-local day and the customer's counters (visit count, last visit, total
/// spent) equal to what the visits say.
/// </summary>
/// <remarks>
/// Every caller first locks the customer's row (a no-op UPDATE), so recordings for one customer run
/// one after another: the read-merge-write below and the counter deltas cannot interleave. The unique
/// index (organization, customer, local date) is the backstop: an insert that loses anyway is merged.
/// </remarks>
internal static class Visits
{
    /// <summary>
    /// Records the visit inside the caller's transaction (or its own). Null when the customer does not
    /// exist in the current tenant. A payment's amount goes to <see cref="Visit.PaidCents"/>, anything
    /// else to <see cref="Visit.AmountCents"/>; the customer's total spent grows by the change in the
    /// visit's worth (the larger of the two), so a payment for an appointment already counted adds nothing.
    /// </summary>
    public static async Task<RecordedVisit?> RecordAsync(KaribuDb db, TimeProvider time, VisitInput input, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await using (own)
        {
            var result = await RecordCoreAsync(db, time, input, ct);
            if (own is not null)
            {
                if (result is null)
                {
                    await own.RollbackAsync(ct);
                }
                else
                {
                    await own.CommitAsync(ct);
                }
            }

            return result;
        }
    }

    private static async Task<RecordedVisit?> RecordCoreAsync(KaribuDb db, TimeProvider time, VisitInput input, CancellationToken ct)
    {
        var locked = await db.Customers.Where(c => c.Id == input.CustomerId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.VisitCount, c => c.VisitCount), ct);
        if (locked == 0)
        {
            return null;
        }

        var zoneId = await db.Organizations.AsNoTracking().Select(o => o.TimeZone).FirstAsync(ct);
        var at = DateTime.SpecifyKind(input.At, DateTimeKind.Utc);
        var date = Instant.FromDateTimeUtc(at).InZone(DateTimeZoneProviders.Tzdb[zoneId]).Date;
        var amount = Math.Max(0, input.AmountCents ?? 0);

        var existing = await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.CustomerId == input.CustomerId && v.LocalDate == date, ct);
        if (existing is null)
        {
            var visit = new Visit
            {
                CustomerId = input.CustomerId,
                LocalDate = date,
                At = at,
                Source = input.Source,
                AppointmentId = input.AppointmentId,
                PaymentId = input.PaymentId,
                ServiceId = input.ServiceId,
                AmountCents = input.Source == VisitSource.Payment ? 0 : amount,
                PaidCents = input.Source == VisitSource.Payment ? amount : 0,
            };
            db.Visits.Add(visit);
            try
            {
                await db.SaveChangesAsync(ct);
                await CountAsync(db, time, input.CustomerId, newVisit: true, visit.ValueCents, at, ct);
                db.Entry(visit).State = EntityState.Detached;
                return new RecordedVisit(visit, Merged: false);
            }
            catch (DbUpdateException)
            {
                // Someone recorded this day without going through the lock; merge into theirs.
                db.Entry(visit).State = EntityState.Detached;
                existing = await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.CustomerId == input.CustomerId && v.LocalDate == date, ct);
                if (existing is null)
                {
                    throw;
                }
            }
        }

        var before = existing.ValueCents;
        Merge(existing, input, at, amount);
        var now = time.GetUtcNow().UtcDateTime;
        var m = existing;
        await db.Visits.Where(v => v.Id == m.Id).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.At, m.At)
            .SetProperty(v => v.AppointmentId, m.AppointmentId)
            .SetProperty(v => v.PaymentId, m.PaymentId)
            .SetProperty(v => v.ServiceId, m.ServiceId)
            .SetProperty(v => v.AmountCents, m.AmountCents)
            .SetProperty(v => v.PaidCents, m.PaidCents)
            .SetProperty(v => v.UpdatedAt, now), ct);
        existing.UpdatedAt = now;
        await CountAsync(db, time, input.CustomerId, newVisit: false, existing.ValueCents - before, at, ct);
        return new RecordedVisit(existing, Merged: true);
    }

    /// <summary>A second record of the same day fills in what the first did not know; amounts add up.</summary>
    internal static void Merge(Visit visit, VisitInput input, DateTime at, long amount)
    {
        visit.At = at < visit.At ? at : visit.At;
        visit.AppointmentId ??= input.AppointmentId;
        visit.PaymentId ??= input.PaymentId;
        // What the appointment says was done is better than what a check-in guessed.
        visit.ServiceId = input.Source == VisitSource.Appointment && input.ServiceId is not null ? input.ServiceId : visit.ServiceId ?? input.ServiceId;
        if (input.Source == VisitSource.Payment)
        {
            visit.PaidCents += amount;
        }
        else
        {
            visit.AmountCents += amount;
        }
    }

    /// <summary>Deltas in one UPDATE (the row is already locked by this transaction).</summary>
    private static Task<int> CountAsync(KaribuDb db, TimeProvider time, Guid customerId, bool newVisit, long spentDelta, DateTime at, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var added = newVisit ? 1 : 0;
        return db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.VisitCount, c => c.VisitCount + added)
            .SetProperty(c => c.TotalSpentCents, c => c.TotalSpentCents + spentDelta)
            .SetProperty(c => c.LastVisitAt, c => c.LastVisitAt == null || c.LastVisitAt < at ? at : c.LastVisitAt)
            .SetProperty(c => c.UpdatedAt, now), ct);
    }
}
