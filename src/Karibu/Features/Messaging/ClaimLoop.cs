using Karibu.Data;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Messaging;

/// <summary>
/// The loop both workers run: keep up to <see cref="Parallelism"/> leased rows in hand, claiming more
/// as soon as one finishes, and when there is nothing to claim wait for a local signal, a row to
/// finish (the next one of its chat may be due) or the poll interval (other nodes' writes). A row
/// that arrives while others are being handled starts as soon as a place is free, not after the
/// slowest of a batch. A database hiccup is logged and retried a second later; the worker never
/// dies of it.
/// </summary>
internal abstract class ClaimLoop<T>(InboxSignal signal, TimeProvider time, MessagingOptions options, ILogger log) : BackgroundService
{
    /// <summary>The clock leases and retries are measured by.</summary>
    protected TimeProvider Time { get; } = time;

    protected abstract string Name { get; }

    /// <summary>Rows handled at once by this worker.</summary>
    protected abstract int Parallelism { get; }

    /// <summary>Leases up to <paramref name="limit"/> rows that are due (their ids, or the rows themselves).</summary>
    public abstract Task<List<T>> ClaimAsync(int limit, CancellationToken ct);

    public abstract Task ProcessAsync(T claimed, CancellationToken ct);

    /// <summary>
    /// Appended to a PostgreSQL claim's WHERE: its lease commits without waiting for a WAL flush, with no
    /// transaction of its own (<c>set_config(…, true)</c> lasts for the statement's implicit transaction).
    /// A lease lost in a crash only means the row is claimed again; what must survive is the outcome,
    /// whose durable commit flushes the lease's WAL with it.
    /// </summary>
    protected const string AsyncLeaseCommit = "AND set_config('synchronous_commit', 'off', true) IS NOT NULL";

    /// <summary>
    /// Runs <paramref name="claim"/> with the lease clock. On SQLite it runs in a transaction that holds
    /// the database's write lock (Microsoft.Data.Sqlite begins with <c>BEGIN IMMEDIATE</c>) and reads the
    /// clock only once the lock is held: a claim that waited behind other writes must not measure its
    /// lease from when it started waiting, or the lease would already be running out and the next claim
    /// would take the row again while it is still being handled (a message sent twice). PostgreSQL locks
    /// rows, not the database: the claim is one statement.
    /// </summary>
    protected async Task<List<T>> LeaseAsync(KaribuDb db, Func<DateTime, Task<List<T>>> claim, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return await claim(Time.GetUtcNow().UtcDateTime);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await claim(Time.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync(ct);
        return claimed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>(Parallelism);
        // One wait on the signal at a time (an abandoned wait would swallow the next notification),
        // and one poll timer at a time.
        Task? wake = null;
        Task? poll = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Reap(running);
                var free = Parallelism - running.Count;
                var claimed = free > 0 ? await ClaimAsync(free, stoppingToken) : [];
                foreach (var row in claimed)
                {
                    running.Add(Task.Run(() => ProcessAsync(row, stoppingToken), stoppingToken));
                }

                if (claimed.Count > 0 && claimed.Count == free)
                {
                    // Every place is taken and there may be more: claim again when one frees.
                    await Task.WhenAny(running);
                    continue;
                }

                wake ??= signal.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                poll ??= Task.Delay(TimeSpan.FromMilliseconds(options.PollMilliseconds), stoppingToken);
                await Task.WhenAny([wake, poll, .. running]);
                wake = wake.IsCompleted ? null : wake;
                poll = poll.IsCompleted ? null : poll;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The worker must outlive a database hiccup; it logs and tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.LogError(e, "{Worker} round failed; retrying", Name);
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Drops finished rows; one that failed unexpectedly is logged (its lease runs out and it is tried again).</summary>
    private void Reap(List<Task> running)
    {
        for (var i = running.Count - 1; i >= 0; i--)
        {
            if (!running[i].IsCompleted)
            {
                continue;
            }

            var done = running[i];
            running.RemoveAt(i);
            if (done.IsFaulted && done.Exception?.InnerException is { } e and not OperationCanceledException)
            {
                log.LogError(e, "{Worker} failed on a row; it will be tried again when its lease runs out", Name);
            }
        }
    }
}
