using System.Diagnostics;

namespace OneThing.Benchmarks;

/// <summary>What a closed-loop run measured: operations finished inside the window and their latencies.</summary>
/// <param name="Operations">Operations that finished inside the measurement window.</param>
/// <param name="Errors">Operations that failed inside the window.</param>
/// <param name="Window">The measurement window's length.</param>
/// <param name="LatenciesMs">The latencies of the successful operations, sorted, in milliseconds.</param>
public sealed record LoopResult(long Operations, long Errors, TimeSpan Window, double[] LatenciesMs)
{
    /// <summary>Successful operations per second.</summary>
    public double PerSecond => Operations / Window.TotalSeconds;

    /// <summary>The median latency in milliseconds.</summary>
    public double P50 => Percentile(0.50);

    /// <summary>The 99th-percentile latency in milliseconds.</summary>
    public double P99 => Percentile(0.99);

    /// <summary>The largest latency in milliseconds.</summary>
    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    /// <summary>The latency below which <paramref name="share"/> of the operations finished.</summary>
    public double Percentile(double share) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(share * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
}

/// <summary>
/// A closed loop: <c>clients</c> callers each run one operation after another for the warm-up and
/// then the measurement window; only what finishes inside the window counts.
/// </summary>
public static class ClosedLoop
{
    /// <summary>Runs the loop. <paramref name="onWindow"/> is called when the window opens and when it closes.</summary>
    public static async Task<LoopResult> RunAsync(
        int clients, TimeSpan warmUp, TimeSpan window, Func<int, long, CancellationToken, Task> operation, Func<bool, Task>? onWindow = null)
    {
        using var stop = new CancellationTokenSource();
        var measuring = 0;
        var perClient = new List<double>[clients];
        var errors = new long[clients];
        long sequence = 0;

        async Task Client(int client)
        {
            var latencies = perClient[client] = new List<double>(4096);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = true;
                try
                {
                    await operation(client, Interlocked.Increment(ref sequence), stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // The run is over; a call cut short by the stop (gRPC reports it as Cancelled) does not count.
                    return;
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    ok = false;
                }

                if (Volatile.Read(ref measuring) == 1)
                {
                    if (ok)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        errors[client]++;
                    }
                }
            }
        }

        var callers = Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c))).ToArray();
        await Task.Delay(warmUp).ConfigureAwait(false);
        if (onWindow is not null)
        {
            await onWindow(true).ConfigureAwait(false);
        }

        var opened = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(window).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var length = opened.Elapsed;
        if (onWindow is not null)
        {
            await onWindow(false).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(callers).ConfigureAwait(false);

        // The lists are only read after every caller stopped.
        var all = perClient.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoopResult(all.Length, errors.Sum(), length, all);
    }
}
