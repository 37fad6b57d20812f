using System.Threading.Channels;

namespace OneThing.Hub.Dispatch;

/// <summary>Wakes the dispatch worker when new work was written, so it need not wait for its next look.</summary>
public sealed class DispatchSignal : WorkSignal;

/// <summary>Wakes a worker when new work was written, so it need not wait for its next look at the database.</summary>
public abstract class WorkSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Says that there is new work.</summary>
    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for new work or the timeout.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout passed: look at the database anyway.
        }
    }
}
