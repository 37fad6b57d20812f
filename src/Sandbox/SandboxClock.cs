namespace OneThing.Sandbox;

/// <summary>
/// The system clock moved to another day (the sandbox's <c>--today</c>): time flows as usual, so timers,
/// leases and delays behave as they do for real, but the hub and the simulators live on that day, e.g.
/// inside a filing window that is closed today.
/// </summary>
public sealed class SandboxClock(DateOnly today, TimeProvider system) : TimeProvider
{
    private readonly TimeSpan _shift = Shift(today, system);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + _shift;

    private static TimeSpan Shift(DateOnly today, TimeProvider system)
    {
        // The same time of day in China, on the day asked for.
        var now = system.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var moved = new DateTimeOffset(today.ToDateTime(TimeOnly.FromDateTime(now.DateTime)), now.Offset);
        return moved - now;
    }
}
