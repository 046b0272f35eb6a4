using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Messaging;

/// <summary>
/// Makes webhook events durable before the webhook answers. Concurrent requests are gathered into one
/// multi-row insert (<c>ON CONFLICT DO NOTHING</c> drops redeliveries) and one commit, so a burst of
/// webhooks costs a few transactions instead of one each; every request waits for its commit.
/// </summary>
internal sealed class InboxWriter(
    IServiceScopeFactory scopes, ChannelDirectory directory, InboxSignal signal, TimeProvider time, ILogger<InboxWriter> log)
    : BackgroundService
{
    private const int MaxRowsPerFlush = 400;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private sealed record Pending(string Source, IReadOnlyList<ReceivedEvent> Events, TaskCompletionSource Done);

    /// <summary>Returns once the events are committed (or were already stored).</summary>
    public async Task WriteAsync(string source, IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        var pending = new Pending(source, events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        await pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Stores the events; when the database cannot take them, a 503 problem the provider will retry
    /// on (never a 500, never an acknowledgement of something not stored).
    /// </summary>
    public async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> TryWriteAsync(
        string source, IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        try
        {
            await WriteAsync(source, events, ct);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again",
                detail: "The events could not be stored right now; nothing was acknowledged. Retry later.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var rows = 0;
                while (rows < MaxRowsPerFlush && reader.TryRead(out var next))
                {
                    batch.Add(next);
                    rows += next.Events.Count;
                }

                try
                {
                    await FlushAsync(batch);
                    batch.ForEach(p => p.Done.TrySetResult());
                    signal.Notify();
                }
#pragma warning disable CA1031 // Every waiting webhook must hear about the failure (it answers 503 and the provider retries).
                catch (Exception e)
#pragma warning restore CA1031
                {
                    log.LogError(e, "Storing {Count} webhook events failed", rows);
                    batch.ForEach(p => p.Done.TrySetException(e));
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        while (reader.TryRead(out var left))
        {
            left.Done.TrySetException(new OperationCanceledException("Karibu is shutting down."));
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = new List<object?[]>();
        foreach (var pending in batch)
        {
            foreach (var e in pending.Events)
            {
                var organizationId = await directory.FindAsync(pending.Source, e.Route, CancellationToken.None);
                if (organizationId is null)
                {
                    log.LogWarning("Unroutable {Source} event {EventKey} for number {ChannelId} / account {AccountId}: no business owns it",
                        pending.Source, e.EventKey, e.Route.ChannelId, e.Route.AccountId);
                }

                var id = Ids.NewId();
                var orderingKey = e.User is null ? $"event:{id}" : $"{pending.Source}:{e.Route.ChannelId ?? e.Route.AccountId}:{CanonicalUser(e.User)}";
                rows.Add([
                    id, pending.Source, Truncate(e.EventKey, 300), organizationId, e.Route.ChannelId ?? e.Route.AccountId, Truncate(orderingKey, 300),
                    EnumNames.ToName(e.Kind), e.Payload, e.OccurredAt, now,
                    EnumNames.ToName(organizationId is null ? InboxState.Unroutable : InboxState.Pending), 0,
                ]);
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        if (db.Database.IsNpgsql())
        {
            await InsertWithArraysAsync(db, rows);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var chunk in rows.Chunk(MaxRowsPerFlush / 2))
        {
            var sql = new StringBuilder(
                "INSERT INTO inbox_events (id, source, event_key, organization_id, channel_id, ordering_key, kind, payload, occurred_at, received_at, state, attempts) VALUES ");
            var parameters = new List<object?>();
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < chunk[r].Length; c++)
                {
                    sql.Append(c == 0 ? "" : ", ").Append('{').Append(parameters.Count).Append('}');
                    parameters.Add(chunk[r][c]);
                }

                sql.Append(')');
            }

            sql.Append(" ON CONFLICT (source, event_key) DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters!);
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// PostgreSQL: the whole batch as one statement over twelve array parameters (instead of twelve
    /// parameters a row), the same SQL text every time; a single statement commits atomically on its own.
    /// Measured in bench/ (webhook-ingest): about 1.5 times the throughput of the multi-row VALUES form.
    /// </summary>
    private static async Task InsertWithArraysAsync(KaribuDb db, List<object?[]> rows)
    {
        var columns = new Array[]
        {
            new Guid[rows.Count], new string[rows.Count], new string[rows.Count], new Guid?[rows.Count], new string?[rows.Count], new string[rows.Count],
            new string[rows.Count], new string[rows.Count], new DateTime[rows.Count], new DateTime[rows.Count], new string[rows.Count], new int[rows.Count],
        };
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].SetValue(rows[r][c], r);
            }
        }

        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO inbox_events (id, source, event_key, organization_id, channel_id, ordering_key, kind, payload, occurred_at, received_at, state, attempts)
            SELECT * FROM unnest(@c0, @c1, @c2, @c3, @c4, @c5, @c6, @c7, @c8, @c9, @c10, @c11)
            ON CONFLICT (source, event_key) DO NOTHING
            """,
            columns.Select((values, c) => (object)new Npgsql.NpgsqlParameter($"c{c}", values)).ToArray());
    }

    /// <summary>A Mexican WhatsApp id (521 + 10 digits) and the E.164 form name the same chat.</summary>
    public static string CanonicalUser(string user) =>
        user.Length == 13 && user.StartsWith("521", StringComparison.Ordinal) && user.All(char.IsAsciiDigit) ? "52" + user[3..] : user;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>Wakes a worker as soon as there is work for it (events stored, messages queued), instead of at its next poll.</summary>
internal class InboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose()
    {
        _signal.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Which business owns a provider number: one of the few reads across tenants, cached briefly because
/// every webhook asks. Connecting or disconnecting a number calls <see cref="Forget"/>.
/// </summary>
internal sealed class ChannelDirectory(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>The simulator's "number" is the organization id itself.</summary>
    public const string SimulatorSource = "simulator";

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Source, EventRoute EventRoute), (Guid? OrganizationId, DateTimeOffset Expires)> _cache = new();

    public async ValueTask<Guid?> FindAsync(string source, EventRoute route, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue((source, route), out var hit) && hit.Expires > now)
        {
            return hit.OrganizationId;
        }

        if (source == SimulatorSource)
        {
            return Guid.TryParse(route.ChannelId, out var simulated) ? simulated : null;
        }

        var kind = source switch
        {
            WhatsAppWebhookPayload.Source => ChannelKind.Whatsapp,
            "africastalking" => ChannelKind.Africastalking,
            "onfon" => ChannelKind.Onfon,
            _ => (ChannelKind?)null,
        };
        Guid? organizationId = null;
        if (kind is not null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var accounts = db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking().Where(a => a.Kind == kind && a.IsActive);
            // The number decides when the event names one; the account (WABA) only routes account-level events.
            if (route.ChannelId is { } channelId)
            {
                organizationId = await accounts.Where(a => a.ExternalId == channelId).Select(a => (Guid?)a.OrganizationId).FirstOrDefaultAsync(ct);
            }

            else if (route.AccountId is { } accountId)
            {
                organizationId = await accounts.Where(a => a.WabaId == accountId).Select(a => (Guid?)a.OrganizationId).FirstOrDefaultAsync(ct);
            }
        }

        _cache[(source, route)] = (organizationId, now + Lifetime);
        return organizationId;
    }

    public void Forget() => _cache.Clear();
}
