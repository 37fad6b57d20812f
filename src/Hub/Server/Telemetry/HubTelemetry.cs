using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OneThing.Hub.Telemetry;

/// <summary>The hub's traces and metrics (names are stable: dashboards depend on them).</summary>
public static class HubTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "OneThing.Hub";

    /// <summary>Traces of dispatch and use cases.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Applications submitted (new, not replays).</summary>
    public static readonly Counter<long> ApplicationsSubmitted = Meter.CreateCounter<long>("onething.applications.submitted", description: "Applications accepted by the hub");

    /// <summary>Department decisions recorded, by department and resulting item state.</summary>
    public static readonly Counter<long> ItemsDecided = Meter.CreateCounter<long>("onething.items.decided", description: "Department decisions recorded");

    /// <summary>Dispatch attempts that failed technically, by department.</summary>
    public static readonly Counter<long> DispatchFailures = Meter.CreateCounter<long>("onething.dispatch.failures", description: "Dispatch attempts that failed technically");

    /// <summary>Tasks moved to the operators' queue, by department.</summary>
    public static readonly Counter<long> DispatchExhausted = Meter.CreateCounter<long>("onething.dispatch.exhausted", description: "Dispatch tasks that gave up");

    /// <summary>Department callbacks received, by department and disposition (applied, duplicate, ...).</summary>
    public static readonly Counter<long> CallbacksReceived = Meter.CreateCounter<long>("onething.callbacks.received", description: "Department callbacks received");

    /// <summary>Lease claims lost to another worker.</summary>
    public static readonly Counter<long> LeaseConflicts = Meter.CreateCounter<long>("onething.dispatch.lease_conflicts", description: "Claims lost to another worker");

    /// <summary>SQLite writers that waited longer than the write gate's limit and went on to SQLite's own locking.</summary>
    public static readonly Counter<long> SqliteGateTimeouts = Meter.CreateCounter<long>("onething.sqlite.write_gate_timeouts", description: "SQLite writers that gave up waiting for the in-process write gate");

    /// <summary>How long one adapter call took, by department and kind.</summary>
    public static readonly Histogram<double> AdapterCallDuration = Meter.CreateHistogram<double>("onething.dispatch.adapter_call.duration", unit: "ms", description: "Adapter call duration");
}
