using System.Security.Cryptography;
using System.Text;

namespace OneThing.Hub.Security;

/// <summary>One entry of the append-only audit log: who did what to which resource, when, from where.</summary>
/// <param name="Sequence">The entry's position, from 1, without gaps.</param>
/// <param name="At">When, as Unix milliseconds.</param>
/// <param name="Actor">Who (system, clerk, department, operator), never a citizen's clear ID.</param>
/// <param name="Action">What, e.g. <c>application.submitted</c>, <c>personal_data.read</c>.</param>
/// <param name="Resource">Which resource, e.g. <c>applications/…</c>.</param>
/// <param name="Origin">From where (peer address, channel).</param>
/// <param name="Detail">Extra facts, already masked.</param>
/// <param name="PreviousHash">The hash of the entry before (empty for the first).</param>
/// <param name="Hash">This entry's hash over all of the above.</param>
public sealed record AuditEntry(long Sequence, long At, string Actor, string Action, string Resource, string Origin, string Detail, string PreviousHash, string Hash);

/// <summary>
/// The hash chain that makes the audit log tamper-evident: each entry's hash covers its content and
/// the previous entry's hash, so changing, removing or reordering any entry breaks every link after it.
/// </summary>
public static class AuditChain
{
    /// <summary>Builds the next entry after <paramref name="previous"/> (null for the first).</summary>
    public static AuditEntry Append(AuditEntry? previous, long at, string actor, string action, string resource, string origin, string detail)
    {
        var sequence = (previous?.Sequence ?? 0) + 1;
        var previousHash = previous?.Hash ?? string.Empty;
        return new AuditEntry(sequence, at, actor, action, resource, origin, detail, previousHash,
            HashOf(sequence, at, actor, action, resource, origin, detail, previousHash));
    }

    /// <summary>Checks a log in sequence order; returns the sequence of the first broken entry, or null when every link holds.</summary>
    public static long? FirstBroken(IEnumerable<AuditEntry> entries)
    {
        var expectedSequence = 1L;
        var previousHash = string.Empty;
        foreach (var e in entries)
        {
            if (e.Sequence != expectedSequence || e.PreviousHash != previousHash ||
                e.Hash != HashOf(e.Sequence, e.At, e.Actor, e.Action, e.Resource, e.Origin, e.Detail, e.PreviousHash))
            {
                return expectedSequence;
            }

            previousHash = e.Hash;
            expectedSequence++;
        }

        return null;
    }

    private static string HashOf(long sequence, long at, string actor, string action, string resource, string origin, string detail, string previousHash)
    {
        // Length-prefixed fields: no two different entries serialise to the same bytes.
        var builder = new StringBuilder();
        foreach (var field in new[] { sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), at.ToString(System.Globalization.CultureInfo.InvariantCulture), actor, action, resource, origin, detail, previousHash })
        {
            builder.Append(field.Length).Append(':').Append(field).Append(';');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
