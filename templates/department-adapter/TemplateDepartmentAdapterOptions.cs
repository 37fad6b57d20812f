namespace Contoso.DepartmentAdapter;

/// <summary>How the adapter reaches the department and how patiently (the same knobs as the bundled adapters).</summary>
public sealed class TemplateDepartmentAdapterOptions
{
    /// <summary>The base address of the department system, e.g. https://dept.example/api/.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one adapter call may take, all attempts and waits included (the adapter's deadline).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many times a transient failure is retried (0 disables retries).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed attempts that opens the circuit, in (0, 1].</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts the breaker must see in its window before it may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>How long an open circuit rejects calls before it lets one through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many calls may run against the department at once; as many again may queue.</summary>
    public int MaxConcurrency { get; set; } = 32;
}
