using System.Collections.Concurrent;

namespace OneThing.Hub.Applications;

/// <summary>
/// Tells watchers in this process that an application changed. A wake-up, not a message: watchers
/// read the database again, and also look every second, so changes made by other replicas are seen.
/// </summary>
public sealed class ApplicationChangeFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Wakes everyone waiting on the application.</summary>
    public void Notify(string applicationId)
    {
        if (_waiters.TryRemove(applicationId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Waits until the application changes, <paramref name="timeout"/> passes, or cancellation.</summary>
    public async Task WaitAsync(string applicationId, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(applicationId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Time to look at the database anyway.
        }
    }
}
