using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OneThing.Hub.Persistence;

/// <summary>
/// Queues the hub's writers to one SQLite file in the process, first come first served, before they
/// ask SQLite for its write lock.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time. Without this gate every writer that finds the lock taken waits
/// inside SQLite's busy handler (Microsoft.Data.Sqlite's <c>BEGIN IMMEDIATE</c> retry and SQLite's own
/// <c>busy_timeout</c>), which blocks a thread-pool thread and sleeps 1 → 100 ms between tries: under
/// load the lock sits idle while writers sleep, threads pile up, and the hub measured 44 submissions/s
/// at 16 clients against a commit ceiling of ~2,000/s (thread-time profile: 35 % of all thread time in
/// <c>SqliteDataReader.NextResult</c>'s busy retry, 31 % under <c>BeginTransaction</c>). Behind the
/// gate a writer awaits asynchronously and takes the lock the moment the previous commit ends.
/// <para>
/// A writer is an EF transaction (from its start to its commit, rollback or the connection's close)
/// or a writing statement outside a transaction (from its execution until its reader is closed, when
/// SQLite commits it). Reads never wait: WAL lets them run beside the writer. The gate is only an
/// optimisation — SQLite's own locking still guarantees correctness — so a writer that waits longer
/// than <see cref="MaxWait"/> (a code path that writes on a second context while its first holds a
/// transaction would otherwise deadlock) goes on to SQLite's busy handling instead of hanging.
/// </para>
/// </remarks>
internal sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly SqliteWriteGate Instance = new();

    /// <summary>How long a writer waits for the gate before it asks SQLite directly.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly ConditionalWeakTable<DbConnection, Holding> _held = [];

    // SqliteTransaction forgets its connection when it ends; remember it from the start.
    private readonly ConditionalWeakTable<DbTransaction, DbConnection> _connections = [];

    // Transactions.
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(ConnectionOf(transaction, eventData));

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Left(ConnectionOf(transaction, eventData));

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(ConnectionOf(transaction, eventData));

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Left(ConnectionOf(transaction, eventData));

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        // A failed start holds nothing in SQLite; a failed commit or rollback leaves the transaction to
        // its disposal. Either way this writer is done.
        Leave(ConnectionOf(transaction, eventData));
    }

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Left(ConnectionOf(transaction, eventData));

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        _connections.AddOrUpdate(result, connection);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        _connections.AddOrUpdate(result, connection);
        return ValueTask.FromResult(result);
    }

    // Writing statements outside a transaction (EF's single-statement saves, ExecuteUpdate/Delete).
    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterIfLoneWrite(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterIfLoneWriteAsync(command, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveLoneWrite(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        LeaveLoneWrite(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterIfLoneWrite(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterIfLoneWriteAsync(command, cancellationToken);
        return result;
    }

    // SQLite commits a lone INSERT … RETURNING when its statement is reset, that is when the reader closes.
    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveLoneWrite(command);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveLoneWrite(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        LeaveLoneWrite(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveLoneWrite(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveLoneWrite(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => LeaveLoneWrite(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveLoneWrite(command);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit or rollback ends, at the latest, with its connection.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => LeaveAll(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        LeaveAll(connection);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        LeaveAll(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        LeaveAll(connection);
        return ValueTask.FromResult(result);
    }

    private static bool IsLoneWrite(DbCommand command)
    {
        if (command.Transaction is not null || command.Connection is null)
        {
            return false;
        }

        var text = command.CommandText.AsSpan().TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private static SemaphoreSlim GateOf(DbConnection connection)
    {
        var key = connection is SqliteConnection sqlite ? sqlite.DataSource : connection.ConnectionString;
        return Gates.GetOrAdd(string.IsNullOrEmpty(key) ? connection.ConnectionString : key, _ => new SemaphoreSlim(1, 1));
    }

    private void EnterIfLoneWrite(DbCommand command)
    {
        if (IsLoneWrite(command))
        {
            Enter(command.Connection!);
        }
    }

    private ValueTask EnterIfLoneWriteAsync(DbCommand command, CancellationToken cancellationToken) =>
        IsLoneWrite(command) ? EnterAsync(command.Connection!, cancellationToken) : ValueTask.CompletedTask;

    private void Enter(DbConnection connection)
    {
        var holding = _held.GetValue(connection, _ => new Holding());
        lock (holding)
        {
            if (holding.Depth > 0)
            {
                holding.Depth++;
                return;
            }
        }

        var gate = GateOf(connection);
        var acquired = gate.Wait(MaxWait);
        if (!acquired)
        {
            TimedOut(connection);
        }

        Hold(holding, acquired ? gate : null);
    }

    private async ValueTask EnterAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var holding = _held.GetValue(connection, _ => new Holding());
        lock (holding)
        {
            if (holding.Depth > 0)
            {
                holding.Depth++;
                return;
            }
        }

        var gate = GateOf(connection);
        var acquired = await gate.WaitAsync(MaxWait, cancellationToken);
        if (!acquired)
        {
            TimedOut(connection);
        }

        Hold(holding, acquired ? gate : null);
    }

    private static void TimedOut(DbConnection connection) =>
        OneThing.Hub.Telemetry.HubTelemetry.SqliteGateTimeouts.Add(1, new KeyValuePair<string, object?>("database", Path.GetFileName(connection.DataSource)));

    private static void Hold(Holding holding, SemaphoreSlim? gate)
    {
        lock (holding)
        {
            holding.Depth++;
            holding.Gate = gate;
        }
    }

    private void LeaveLoneWrite(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is not null && IsLoneWrite(command))
        {
            Leave(command.Connection);
        }
    }

    private DbConnection? ConnectionOf(DbTransaction transaction, TransactionEventData eventData) =>
        _connections.TryGetValue(transaction, out var connection) ? connection : transaction.Connection ?? eventData.Context?.Database.GetDbConnection();

    private Task Left(DbConnection? connection)
    {
        Leave(connection);
        return Task.CompletedTask;
    }

    private void Leave(DbConnection? connection)
    {
        if (connection is null || !_held.TryGetValue(connection, out var holding))
        {
            return;
        }

        SemaphoreSlim? release = null;
        lock (holding)
        {
            if (holding.Depth == 0)
            {
                return;
            }

            if (--holding.Depth == 0)
            {
                release = holding.Gate;
                holding.Gate = null;
            }
        }

        release?.Release();
    }

    private void LeaveAll(DbConnection connection)
    {
        if (!_held.TryGetValue(connection, out var holding))
        {
            return;
        }

        SemaphoreSlim? release;
        lock (holding)
        {
            release = holding.Depth > 0 ? holding.Gate : null;
            holding.Depth = 0;
            holding.Gate = null;
        }

        release?.Release();
    }

    private sealed class Holding
    {
        public int Depth { get; set; }

        public SemaphoreSlim? Gate { get; set; }
    }
}
