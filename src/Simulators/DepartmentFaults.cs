namespace OneThing.Simulators;

/// <summary>
/// The faults a simulator injects before it processes a call: added latency, a share of transient
/// errors and outages. Thread-safe; may be changed at any time, including while calls are in flight.
/// </summary>
public sealed class DepartmentFaults
{
    private readonly Lock gate = new();
    private TimeSpan latency;
    private double errorRate;
    private DateTimeOffset? outageUntil;
    private bool outage;
    private TimeSpan callbackDelay;
    private bool callbacksOff;
    private bool duplicateCallbacks;
    private bool outOfOrderCallbacks;
    private bool earlyCallbacks;
    private TaskCompletionSource? held;

    /// <summary>The delay added to every call before anything else happens (not negative).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Latency
    {
        get
        {
            lock (gate)
            {
                return latency;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate)
            {
                latency = value;
            }
        }
    }

    /// <summary>The share of calls (0..1) that fail with a transient error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..1 or not a number.</exception>
    public double ErrorRate
    {
        get
        {
            lock (gate)
            {
                return errorRate;
            }
        }

        set
        {
            if (double.IsNaN(value) || value < 0 || value > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The error rate must lie within 0..1.");
            }

            lock (gate)
            {
                errorRate = value;
            }
        }
    }

    /// <summary>While the simulator's clock is before this instant, every call fails transiently; null for none.</summary>
    public DateTimeOffset? OutageUntil
    {
        get
        {
            lock (gate)
            {
                return outageUntil;
            }
        }

        set
        {
            lock (gate)
            {
                outageUntil = value;
            }
        }
    }

    /// <summary>While true, every call fails transiently (an outage with no planned end).</summary>
    public bool Outage
    {
        get
        {
            lock (gate)
            {
                return outage;
            }
        }

        set
        {
            lock (gate)
            {
                outage = value;
            }
        }
    }

    /// <summary>How long after a case is decided its callback is sent (a late callback); not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan CallbackDelay
    {
        get
        {
            lock (gate)
            {
                return callbackDelay;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate)
            {
                callbackDelay = value;
            }
        }
    }

    /// <summary>While true, no callback is sent: the hub learns results only by asking.</summary>
    public bool CallbacksOff
    {
        get
        {
            lock (gate)
            {
                return callbacksOff;
            }
        }

        set
        {
            lock (gate)
            {
                callbacksOff = value;
            }
        }
    }

    /// <summary>While true, every callback is sent twice.</summary>
    public bool DuplicateCallbacks
    {
        get
        {
            lock (gate)
            {
                return duplicateCallbacks;
            }
        }

        set
        {
            lock (gate)
            {
                duplicateCallbacks = value;
            }
        }
    }

    /// <summary>While true, an earlier progress report (sequence 1) is sent after the final result (sequence 2).</summary>
    public bool OutOfOrderCallbacks
    {
        get
        {
            lock (gate)
            {
                return outOfOrderCallbacks;
            }
        }

        set
        {
            lock (gate)
            {
                outOfOrderCallbacks = value;
            }
        }
    }

    /// <summary>While true, an accepted case's progress report is sent before the submission is answered.</summary>
    public bool EarlyCallbacks
    {
        get
        {
            lock (gate)
            {
                return earlyCallbacks;
            }
        }

        set
        {
            lock (gate)
            {
                earlyCallbacks = value;
            }
        }
    }

    /// <summary>
    /// Holds every incoming call before it is processed until <see cref="ReleaseCalls"/>: a test can then
    /// act while a call is certainly in flight and unanswered, without racing a latency.
    /// </summary>
    public void HoldCalls()
    {
        lock (gate)
        {
            held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets every held call, and every later one, go on.</summary>
    public void ReleaseCalls()
    {
        TaskCompletionSource? release;
        lock (gate)
        {
            release = held;
            held = null;
        }

        release?.TrySetResult();
    }

    /// <summary>Waits while calls are held (see <see cref="HoldCalls"/>).</summary>
    internal Task WaitWhileHeldAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return held is null ? Task.CompletedTask : held.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Removes every fault and releases held calls.</summary>
    public void Clear()
    {
        ReleaseCalls();
        lock (gate)
        {
            latency = TimeSpan.Zero;
            errorRate = 0;
            outageUntil = null;
            outage = false;
            callbackDelay = TimeSpan.Zero;
            callbacksOff = false;
            duplicateCallbacks = false;
            outOfOrderCallbacks = false;
            earlyCallbacks = false;
        }
    }

    /// <summary>Reads the callback settings at once.</summary>
    internal (TimeSpan Delay, bool Off, bool Duplicate, bool OutOfOrder, bool Early) CallbackSnapshot()
    {
        lock (gate)
        {
            return (callbackDelay, callbacksOff, duplicateCallbacks, outOfOrderCallbacks, earlyCallbacks);
        }
    }

    /// <summary>Reads all settings at once, so a call sees one consistent set.</summary>
    internal (TimeSpan Latency, double ErrorRate, DateTimeOffset? OutageUntil, bool Outage) Snapshot()
    {
        lock (gate)
        {
            return (latency, errorRate, outageUntil, outage);
        }
    }
}
