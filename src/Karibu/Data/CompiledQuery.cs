using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Karibu.Data;

/// <summary>
/// A query EF compiles once instead of rebuilding its cache key from the expression tree on every run
/// (for the queries every chat turn runs, that cost about as much CPU as the round trip itself). EF
/// ties a compiled query to the model it first ran with, and one process can hold two (the tests run
/// SQLite and PostgreSQL side by side), so it is compiled once per model (the first context of each is
/// handed to <c>compile</c>, for SQL that differs by database).
/// </summary>
internal sealed class CompiledQuery<TQuery>(Func<KaribuDb, TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(KaribuDb db) => _byModel.GetValue(db.Model, _ => compile(db));
}
