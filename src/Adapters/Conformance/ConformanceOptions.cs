namespace OneThing.Adapters.Conformance;

/// <summary>How patiently the suite treats the adapter under test and how hard it pushes it.</summary>
public sealed class ConformanceOptions
{
    /// <summary>
    /// The longest one adapter call may take, all attempts and waits included (the adapter's total
    /// timeout; the hub's default is 20 s). The timeout check makes the department slower than this,
    /// and any call that has not answered this long plus <see cref="Grace"/> fails as "no answer".
    /// </summary>
    public TimeSpan AdapterDeadline { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Added to <see cref="AdapterDeadline"/> before a call counts as hanging.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an accepted item may stay accepted while the suite asks for its status.</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the suite asks for an accepted item's status.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of department calls that fail transiently during the transient-error check (0..1].</summary>
    public double TransientErrorRate { get; set; } = 0.5;

    /// <summary>The fewest submissions the transient-error check makes.</summary>
    public int TransientMinimumSubmissions { get; set; } = 4;

    /// <summary>The most submissions the transient-error check makes while waiting for the simulator to inject at least two errors.</summary>
    public int TransientMaximumSubmissions { get; set; } = 16;

    /// <summary>The theme code the suite's submissions carry.</summary>
    public string ThemeCode { get; set; } = "luoyang.personal-startup";

    internal TimeSpan CallBound => AdapterDeadline + Grace;

    internal void Validate()
    {
        if (AdapterDeadline <= TimeSpan.Zero || Grace < TimeSpan.Zero || StatusTimeout <= TimeSpan.Zero || StatusPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("AdapterDeadline, StatusTimeout and StatusPollInterval must be positive and Grace not negative.");
        }

        if (double.IsNaN(TransientErrorRate) || TransientErrorRate <= 0 || TransientErrorRate > 1)
        {
            throw new ArgumentException("TransientErrorRate must lie within (0, 1].");
        }

        if (TransientMinimumSubmissions < 1 || TransientMaximumSubmissions < TransientMinimumSubmissions)
        {
            throw new ArgumentException("TransientMinimumSubmissions must be at least 1 and not above TransientMaximumSubmissions.");
        }
    }
}
