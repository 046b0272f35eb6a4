using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Messaging;

/// <summary>
/// Processes stored webhook events. A claim takes only the oldest pending event of each chat (the
/// ordering key), under a lease, so one chat's events run one at a time and in order even with
/// several nodes; different chats run in parallel. An event's effects and its "processed" mark
/// commit together, and only while this worker still holds the lease: a crash or a lost lease means
/// the event runs again from scratch, never twice.
/// </summary>
internal sealed class InboxProcessor(
    IServiceScopeFactory scopes, InboxSignal signal, TimeProvider time, IOptions<MessagingOptions> options, ILogger<InboxProcessor> log)
    : ClaimLoop<InboxEvent>(signal, time, options.Value, log)
{
    private const int MaxClaim = 32;
    private readonly string _worker = Workers.NewName("inbox");

    protected override string Name => "Inbox processing";

    protected override int Parallelism => 4;

    /// <summary>
    /// Leases up to <paramref name="limit"/> events, each the oldest pending one of its chat, and
    /// returns them whole (no second read per event), in one statement whose commit waits for no WAL
    /// flush (<see cref="ClaimLoop{T}.AsyncLeaseCommit"/>): the "processed" mark commits durably and only
    /// while the lease is held. It saves a disk flush and two round trips on every turn's path.
    /// </summary>
    public override async Task<List<InboxEvent>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        var postgres = db.Database.IsNpgsql();
        var sql = $"""
            UPDATE inbox_events SET locked_by = {"{0}"}, locked_until = {"{1}"}, attempts = attempts + 1
            WHERE id IN (
                SELECT e.id FROM inbox_events e
                WHERE e.state = 'pending' AND (e.locked_until IS NULL OR e.locked_until < {"{2}"})
                  AND NOT EXISTS (
                      SELECT 1 FROM inbox_events p
                      WHERE p.state = 'pending' AND p.ordering_key = e.ordering_key
                        AND (p.occurred_at, p.id) < (e.occurred_at, e.id))
                ORDER BY e.occurred_at, e.id
                LIMIT {"{3}"} {(postgres ? "FOR UPDATE SKIP LOCKED" : "")})
            {(postgres ? AsyncLeaseCommit : "")}
            RETURNING *
            """;
        var take = Math.Clamp(limit, 1, MaxClaim);
        return await LeaseAsync(db, now => db.InboxEvents
            .FromSqlRaw(sql, _worker, now.AddSeconds(options.Value.LeaseSeconds), now, take).AsNoTracking().ToListAsync(ct), ct);
    }

    public override async Task ProcessAsync(InboxEvent e, CancellationToken ct)
    {
        var o = options.Value;
        var id = e.Id;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            try
            {
                await ApplyAsync(scope.ServiceProvider, db, e, ct);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A failing event is retried later (and parked after too many tries); the worker goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                log.LogWarning(ex, "Processing {Source} event {EventKey} failed (attempt {Attempt})", e.Source, e.EventKey, e.Attempts);
                e.Error = ex.Message;
            }
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var now = Time.GetUtcNow().UtcDateTime;
            var error = e.Error is { Length: > 1000 } tooLong ? tooLong[..1000] : e.Error;
            if (e.Attempts >= o.MaxInboxAttempts)
            {
                log.LogError("Giving up on {Source} event {EventKey} after {Attempts} attempts", e.Source, e.EventKey, e.Attempts);
                await db.InboxEvents.Where(x => x.Id == id && x.LockedBy == _worker).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.State, InboxState.Failed).SetProperty(x => x.Error, error)
                    .SetProperty(x => x.LockedBy, (string?)null).SetProperty(x => x.LockedUntil, (DateTime?)null), CancellationToken.None);
            }
            else
            {
                var retryAt = now + Backoff.Delay(e.Attempts, o.RetryBaseSeconds, o.RetryMaxSeconds);
                await db.InboxEvents.Where(x => x.Id == id && x.LockedBy == _worker).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Error, error).SetProperty(x => x.LockedBy, (string?)null).SetProperty(x => x.LockedUntil, retryAt),
                    CancellationToken.None);
            }
        }
    }

    private static readonly CompiledQuery<Func<KaribuDb, Guid, CancellationToken, Task<Organizations.Organization?>>> OrganizationById = new(_ =>
        EF.CompileAsyncQuery((KaribuDb db, Guid id, CancellationToken ct) =>
            db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking().FirstOrDefault(x => x.Id == id)));

    private async Task ApplyAsync(IServiceProvider services, KaribuDb db, InboxEvent e, CancellationToken ct)
    {
        var organization = e.OrganizationId is { } organizationId ? await OrganizationById.For(db)(db, organizationId, ct) : null;
        if (organization is null)
        {
            throw new InvalidOperationException($"Organization {e.OrganizationId} of the event no longer exists.");
        }

        services.GetRequiredService<TenantContext>().Set(
            organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);
        services.GetRequiredService<TenantData>().Remember(organization);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await services.GetRequiredService<InboundMessages>().HandleAsync(e, organization, ct);
        // The event's effects and its "processed" mark go in one save, which matches only while this
        // worker still holds the lease (LockedBy and State are concurrency tokens).
        db.InboxEvents.Attach(e);
        e.State = InboxState.Processed;
        e.ProcessedAt = Time.GetUtcNow().UtcDateTime;
        (e.LockedBy, e.LockedUntil, e.Error) = (null, null, null);
        try
        {
            await db.SaveWithoutSavepointAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The lease ran out and another worker has the event: its run counts, this one never happened.
            log.LogWarning("Lost the lease on {Source} event {EventKey}; rolling back", e.Source, e.EventKey);
            await transaction.RollbackAsync(ct);
            return;
        }

        await transaction.CommitAsync(ct);
    }
}

internal static class Backoff
{
    /// <summary>Exponential with "equal jitter": half the step fixed, half random, capped.</summary>
    public static TimeSpan Delay(int attempt, double baseSeconds, double maxSeconds)
    {
        var step = Math.Min(maxSeconds, baseSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }
}
