namespace OneThing.Tests.Support;

/// <summary>
/// The system clock moved to another day: time still flows (timers, delays and leases behave as in
/// production) but "now" is, say, a day inside Jiangsu's application window.
/// </summary>
public sealed class ShiftedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly TimeSpan _shift = now - TimeProvider.System.GetUtcNow();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _shift;
}
