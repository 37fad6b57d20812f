namespace OneThing.Adapters;

/// <summary>
/// How the hub reaches one department and how patiently: bound from configuration section
/// <c>Departments:{stable name}</c> (e.g. <c>Departments:tax</c>) as named options keyed by the
/// department's stable name, and validated at start.
/// </summary>
public sealed class DepartmentAdapterOptions
{
    /// <summary>The transport that speaks the department's own native API.</summary>
    public const string NativeTransport = "native";

    /// <summary>The transport that speaks <c>onething.gateway.v1.DepartmentGatewayService</c> to an out-of-process adapter.</summary>
    public const string GatewayTransport = "gateway";

    /// <summary>The base address of the department system (or of its gateway). Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>native</c> (the department's own API) or <c>gateway</c> (a DepartmentGatewayService at <see cref="Endpoint"/>).</summary>
    public string Transport { get; set; } = NativeTransport;

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one adapter call may take, all attempts and waits included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many times a transient failure is retried (0 disables retries).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens the circuit, in (0, 1].</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts the breaker must see in its window before it may open (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The breaker's sampling window (at least 0.5 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit rejects calls before it lets one through (at least 0.5 s).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many calls may run against the department at once; as many again may queue.</summary>
    public int MaxConcurrency { get; set; } = 32;

    internal bool UsesGateway => string.Equals(Transport, GatewayTransport, StringComparison.OrdinalIgnoreCase);
}
