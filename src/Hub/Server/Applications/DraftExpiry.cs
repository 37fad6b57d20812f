using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Applications;

/// <summary>How long drafts are kept (section <c>Drafts</c>).</summary>
public sealed class DraftOptions
{
    /// <summary>A draft not saved for this long is deleted (草稿过期).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The applicant is reminded this long before a draft expires.</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often expired drafts are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>What is wrong with these settings, if anything.</summary>
    public IEnumerable<string> Problems()
    {
        if (Lifetime <= TimeSpan.Zero || ReminderBefore < TimeSpan.Zero || SweepInterval <= TimeSpan.Zero)
        {
            yield return "Drafts: Lifetime and SweepInterval must be positive and ReminderBefore not negative";
        }
    }

    /// <summary>The policy the notification planner follows.</summary>
    public DraftPolicy Policy => new(Lifetime, ReminderBefore);
}

/// <summary>Deletes drafts nobody saved for <see cref="DraftOptions.Lifetime"/>; their reminders went out before.</summary>
public sealed partial class DraftExpiry(IServiceScopeFactory scopes, DraftOptions options, TimeProvider time, ILogger<DraftExpiry> logger) : BackgroundService
{
    /// <summary>Deletes the expired drafts now; returns how many. Exposed for tests and tools.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Lifetime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var deleted = await db.Applications
            .Where(a => a.State == ApplicationState.Draft && a.UpdatedAt < before)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogExpired(deleted, options.Lifetime.TotalDays);
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (DbUpdateException e)
                {
                    LogSweepFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} drafts not saved for {Days} days")]
    private partial void LogExpired(int count, double days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for expired drafts failed; trying again at the next sweep")]
    private partial void LogSweepFailed(Exception exception);
}
