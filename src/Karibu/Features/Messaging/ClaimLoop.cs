namespace Karibu.Features.Messaging;

/// <summary>
/// The loop both workers run: claim a batch of leased rows, handle them in parallel, and when there is
/// nothing to claim wait for a local signal or the poll interval (other nodes' writes). A database
/// hiccup is logged and retried a second later; the worker never dies of it.
/// </summary>
internal abstract class ClaimLoop(InboxSignal signal, TimeProvider time, MessagingOptions options, ILogger log) : BackgroundService
{
    /// <summary>The clock leases and retries are measured by.</summary>
    protected TimeProvider Time { get; } = time;

    protected abstract string Name { get; }

    protected abstract int Parallelism { get; }

    public abstract Task<List<Guid>> ClaimAsync(CancellationToken ct);

    public abstract Task ProcessAsync(Guid id, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimAsync(stoppingToken);
                if (claimed.Count == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), stoppingToken);
                    continue;
                }

                await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
                    async (id, ct) => await ProcessAsync(id, ct));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The worker must outlive a database hiccup; it logs and tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.LogError(e, "{Worker} round failed; retrying", Name);
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
