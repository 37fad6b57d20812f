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

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (gate)
        {
            latency = TimeSpan.Zero;
            errorRate = 0;
            outageUntil = null;
            outage = false;
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
