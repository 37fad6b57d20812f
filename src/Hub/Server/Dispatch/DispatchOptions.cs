using System.ComponentModel.DataAnnotations;

namespace OneThing.Hub.Dispatch;

/// <summary>How the hub dispatches items to departments (configuration section <c>Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    /// <summary>Whether this replica runs the dispatch worker (an API-only replica sets false).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most tasks this replica works on at once.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How long the worker sleeps when it found nothing to do (new work wakes it sooner).</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a claimed task belongs to this replica; longer than any adapter call.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest a single adapter call may take before the task is retried.</summary>
    public TimeSpan AdapterCallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first delay before a failed task runs again; it doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many failed attempts a task goes to the operators' queue.</summary>
    [Range(1, 100_000)]
    public int MaxAttempts { get; set; } = 200;

    /// <summary>How often the hub asks a department for an accepted item's result.</summary>
    public TimeSpan ReconciliationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-department reconciliation intervals, by department stable name.</summary>
    public Dictionary<string, TimeSpan> ReconciliationIntervals { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The reconciliation interval for a department.</summary>
    public TimeSpan ReconciliationIntervalFor(string department) =>
        ReconciliationIntervals.TryGetValue(department, out var interval) ? interval : ReconciliationInterval;

    /// <summary>Checks the options; returns every problem.</summary>
    public IEnumerable<string> Problems()
    {
        if (IdlePollInterval <= TimeSpan.Zero)
        {
            yield return "Dispatch:IdlePollInterval must be positive";
        }

        if (AdapterCallTimeout <= TimeSpan.Zero || LeaseDuration <= AdapterCallTimeout)
        {
            yield return "Dispatch:LeaseDuration must be longer than Dispatch:AdapterCallTimeout, which must be positive";
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return "Dispatch:RetryBaseDelay must be positive and not above Dispatch:RetryMaxDelay";
        }

        if (ReconciliationInterval <= TimeSpan.Zero || ReconciliationIntervals.Values.Any(v => v <= TimeSpan.Zero))
        {
            yield return "Dispatch:ReconciliationInterval(s) must be positive";
        }
    }
}
