using System.Data.Common;
using System.Runtime.CompilerServices;
using Karibu.Features.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Karibu.Features.Messaging;

/// <summary>
/// Wakes this node's dispatcher once a change that queued messages is committed, so a reply goes out
/// at once instead of at the next poll. Inside a transaction it waits for the commit: before it the
/// dispatcher could not see the rows yet.
/// </summary>
internal sealed class OutboxNotifier(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _waiting = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<Message>()
                .Any(e => e.Entity.Status == MessageStatus.Queued && e.State is EntityState.Added or EntityState.Modified))
        {
            _waiting.AddOrUpdate(context, this);
        }
    }

    private void Flush(DbContext? context, bool committed)
    {
        if (committed && context is not null && _waiting.Remove(context))
        {
            signal.Notify();
        }
    }
}
