using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Hub.Persistence;
using OneThing.Hub.Telemetry;

namespace OneThing.Hub.Dispatch;

/// <summary>
/// Claims due dispatch tasks with a lease (a conditional UPDATE that works the same on every
/// provider) and runs them, up to <see cref="DispatchOptions.MaxConcurrency"/> at once. Several
/// replicas on one database share the work this way; a crashed replica's leases expire and another
/// replica continues.
/// </summary>
public sealed partial class DispatchWorker(
    IServiceScopeFactory scopes,
    ItemDispatcher dispatcher,
    DispatchSignal signal,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<DispatchWorker> logger) : BackgroundService
{
    private readonly DispatchOptions _options = options.Value;
    private readonly HashSet<long> _running = [];

    /// <summary>This worker's identity in leases: unique per process start.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled();
            return;
        }

        LogStarted(Owner, _options.MaxConcurrency);
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            var free = _options.MaxConcurrency - inFlight.Count;
            var claimed = 0;
            try
            {
                if (free > 0)
                {
                    foreach (var id in await ClaimAsync(free, stoppingToken))
                    {
                        claimed++;
                        inFlight.Add(RunOneAsync(id, stoppingToken));
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable; never let that stop the worker.
                LogClaimFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
            }

            try
            {
                if (inFlight.Count >= _options.MaxConcurrency)
                {
                    await Task.WhenAny(inFlight);
                }
                else if (claimed < free)
                {
                    // Nothing more is due: sleep until new work is signalled or the next look.
                    await signal.WaitAsync(_options.IdlePollInterval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task<List<long>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = time.GetUtcNow();
        List<long> running;
        lock (_running)
        {
            running = [.. _running];
        }

        var candidates = await db.DispatchTasks.AsNoTracking()
            .Where(t => t.State == DispatchTaskState.Scheduled && t.DueAt <= now && (t.LeaseOwner == null || t.LeaseExpiresAt < now))
            .OrderBy(t => t.DueAt)
            .Select(t => t.Id)
            .Take(max + running.Count)
            .ToListAsync(cancellationToken);
        var expires = now + _options.LeaseDuration;
        var wanted = candidates.Except(running).Take(max).ToList();
        var claimed = await DispatchLeases.TryClaimManyAsync(db, wanted, Owner, now, expires, cancellationToken);
        if (claimed.Count < wanted.Count)
        {
            HubTelemetry.LeaseConflicts.Add(wanted.Count - claimed.Count);
        }

        return claimed;
    }

    private async Task RunOneAsync(long id, CancellationToken stoppingToken)
    {
        lock (_running)
        {
            _running.Add(id);
        }

        try
        {
            await Task.Yield();
            await dispatcher.RunAsync(id, Owner, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the lease expires or was released.
        }
        catch (Exception e)
        {
            // The task stays leased until its lease expires, then runs again: nothing is lost.
            LogTaskFailed(id, e);
        }
        finally
        {
            lock (_running)
            {
                _running.Remove(id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch worker {Owner} started, up to {MaxConcurrency} tasks at once")]
    private partial void LogStarted(string owner, int maxConcurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch is disabled on this replica")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming dispatch tasks failed; trying again shortly")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatch task {TaskId} failed unexpectedly; it runs again when its lease expires")]
    private partial void LogTaskFailed(long taskId, Exception exception);
}
