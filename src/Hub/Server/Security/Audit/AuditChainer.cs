using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Security.Audit;

/// <summary>
/// Links audit rows into the hash chain. Rows are written unchained by any replica in its own
/// transaction; a chainer then gives them, in insertion order, the next sequence numbers, the previous
/// entry's hash and their own. Several chainers (one per replica) may run at once. Each round runs in
/// a transaction that first takes the database's chain lock without waiting (PostgreSQL advisory lock,
/// SQL Server application lock; SQLite's write transaction is exclusive already): a replica that finds
/// it taken leaves the rows to the one chaining, instead of racing it, failing on the unique sequence and
/// logging an error per race (~100 per replica test run before the lock). The unique sequence, and
/// updating a row only while it is still unchained, keep the chain linear even without the lock; the
/// loser of such a race rolls back and tries again on the fresh head. The hub's own transactions never
/// wait for the chain.
/// </summary>
public sealed partial class AuditChainer(IServiceScopeFactory scopes, AuditSignal signal, TimeProvider time, ILogger<AuditChainer> logger) : BackgroundService
{
    /// <summary>How many rows one chaining transaction links at most.</summary>
    public const int BatchSize = 500;

    private const int MaxConflicts = 50;
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(2);

    /// <summary>The last sequence this process linked (0 before the first).</summary>
    public long LastChained { get; private set; }

    /// <summary>
    /// Links every unchained row; returns how many this call linked. Safe beside other chainers on the
    /// same database (other DbContexts, other processes). Leaves <paramref name="db"/>'s tracker empty.
    /// </summary>
    public static async Task<int> ChainPendingAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var linked = 0;
        var conflicts = 0;
        var log = db.Set<AuditRecord>();
        while (true)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await ExclusiveSection.TryEnterAsync(db, ExclusiveSection.AuditChain, cancellationToken))
            {
                // Another replica is chaining: it links every pending row, ours included, before it stops.
                return linked;
            }

            var head = await log.AsNoTracking().Where(r => r.Sequence != null).OrderByDescending(r => r.Sequence)
                .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(cancellationToken);
            var pending = await log.Where(r => r.Sequence == null).OrderBy(r => r.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (pending.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                return linked;
            }

            // Append needs only the previous entry's sequence and hash.
            var previous = head is null ? null : new AuditEntry(head.Sequence!.Value, 0, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, head.Hash ?? string.Empty);
            foreach (var row in pending)
            {
                var entry = AuditChain.Append(previous, row.At, row.Actor, row.Action, row.Resource, row.Origin, row.Detail);
                row.Sequence = entry.Sequence;
                row.PreviousHash = entry.PreviousHash;
                row.Hash = entry.Hash;
                previous = entry;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                linked += pending.Count;
                conflicts = 0;
            }
            catch (DbUpdateException) when (++conflicts <= MaxConflicts)
            {
                // Another chainer appended first (its sequence or its row won): start again from its head.
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20) * conflicts), cancellationToken);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                if (await ChainPendingAsync(db, stoppingToken) is var linked and > 0 &&
                    await db.Set<AuditRecord>().AsNoTracking().Where(r => r.Sequence != null).OrderByDescending(r => r.Sequence)
                        .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(stoppingToken) is { } head)
                {
                    // The head in the logs is a witness outside the database: rewriting the chain's tail
                    // (recomputing every hash after a change) no longer matches what was logged.
                    LastChained = head.Sequence ?? 0;
                    LogHead(linked, LastChained, head.Hash ?? string.Empty);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // The database is away or the schema not migrated yet: the rows wait, nothing is lost.
                LogChainFailed(e);
            }

            await signal.WaitAsync(Look, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit chain: linked {Linked} row(s); head is sequence {Sequence}, hash {Hash}")]
    private partial void LogHead(int linked, long sequence, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not chain audit rows now; they stay unchained and are linked on the next look")]
    private partial void LogChainFailed(Exception exception);
}
