using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Security.Audit;

/// <summary>What a walk of the audit chain found.</summary>
/// <param name="FirstBroken">The sequence of the first broken link, or null when every link holds.</param>
/// <param name="Verified">How many entries were checked and hold (up to the first broken one).</param>
/// <param name="LastSequence">The last sequence that holds (0 when none).</param>
/// <param name="LastHash">Its hash (empty when none): where an incremental walk resumes.</param>
/// <param name="Unchained">Rows written but not linked yet (the chainer links them within seconds).</param>
public sealed record AuditVerification(long? FirstBroken, long Verified, long LastSequence, string LastHash, int Unchained)
{
    /// <summary>Whether every link holds.</summary>
    public bool Intact => FirstBroken is null;
}

/// <summary>
/// Walks the audit chain in sequence order and names the first broken link: a changed row fails at its
/// own sequence (its hash no longer matches), a removed row at the sequence it had (the next one is out
/// of place), a reordered row where the order breaks.
/// </summary>
public static class AuditVerifier
{
    /// <summary>
    /// Verifies the chain from its start, or after <paramref name="from"/> (a sequence and hash an
    /// earlier walk ended on, <see cref="AuditVerification.LastSequence"/> and <see cref="AuditVerification.LastHash"/>).
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(HubDbContext db, CancellationToken cancellationToken, (long Sequence, string Hash)? from = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var log = db.Set<AuditRecord>().AsNoTracking();
        var start = from?.Sequence ?? 0;
        AuditEntry? previous = from is { } f && f.Sequence > 0
            ? new AuditEntry(f.Sequence, 0, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, f.Hash)
            : null;
        var verified = 0L;
        long? broken = null;

        // Streamed: the log can be long; memory stays flat.
        await foreach (var row in log.Where(r => r.Sequence != null && r.Sequence > start).OrderBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var expected = AuditChain.Append(previous, row.At, row.Actor, row.Action, row.Resource, row.Origin, row.Detail);
            if (row.Sequence != expected.Sequence || row.PreviousHash != expected.PreviousHash || row.Hash != expected.Hash)
            {
                broken = expected.Sequence;
                break;
            }

            previous = expected;
            verified++;
        }

        var unchained = await log.CountAsync(r => r.Sequence == null, cancellationToken);
        return new AuditVerification(broken, verified, previous?.Sequence ?? 0, previous?.Hash ?? string.Empty, unchained);
    }
}
