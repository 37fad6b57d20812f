using OneThing.Hub.Security;

namespace OneThing.Tests.Security;

/// <summary>The audit log's hash chain: any change, removal or reordering is found at its first broken link.</summary>
public sealed class AuditChainTests
{
    private static List<AuditEntry> Log(int count)
    {
        var log = new List<AuditEntry>();
        AuditEntry? previous = null;
        for (var i = 0; i < count; i++)
        {
            previous = AuditChain.Append(previous, 1_700_000_000_000 + i, $"clerk:{i % 3}", "application.submitted", $"applications/{i}", "127.0.0.1", "{}");
            log.Add(previous);
        }

        return log;
    }

    [Fact]
    public void FirstBroken_UntouchedLog_Null() => Assert.Null(AuditChain.FirstBroken(Log(50)));

    [Fact]
    public void FirstBroken_OneEntryChanged_NamesThatEntry()
    {
        var log = Log(50);
        log[19] = log[19] with { Actor = "operator:mallory" };

        Assert.Equal(20, AuditChain.FirstBroken(log));
    }

    [Fact]
    public void FirstBroken_EntryRemovedOrSwapped_NamesWhereTheChainBreaks()
    {
        var removed = Log(10);
        removed.RemoveAt(4);
        Assert.Equal(5, AuditChain.FirstBroken(removed));

        var swapped = Log(10);
        (swapped[6], swapped[7]) = (swapped[7], swapped[6]);
        Assert.Equal(7, AuditChain.FirstBroken(swapped));
    }

    [Fact]
    public void FirstBroken_EntryRewrittenWithItsOwnHashRecomputed_NextLinkBreaks()
    {
        var log = Log(10);
        var forged = AuditChain.Append(log[2], log[3].At, log[3].Actor, "application.withdrawn", log[3].Resource, log[3].Origin, log[3].Detail);
        log[3] = forged;

        Assert.Equal(5, AuditChain.FirstBroken(log));
    }
}
