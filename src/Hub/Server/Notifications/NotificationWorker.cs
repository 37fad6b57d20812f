using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Notifications;

/// <summary>
/// Sends the outbox: claims due notifications with a lease (so replicas never send one twice at once;
/// the channels dedupe a resend by key), drops reminders whose item moved on, keeps reminders to
/// working days, and retries failed sends with backoff. Everything it needs is in the database, so
/// reminders survive restarts.
/// </summary>
public sealed partial class NotificationWorker(
    IServiceScopeFactory scopes,
    IEnumerable<INotificationChannel> channels,
    CatalogSnapshot catalog,
    NotificationSignal signal,
    NotificationOptions options,
    TimeProvider time,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    private readonly string _owner = $"notify-{Environment.MachineName}-{Guid.NewGuid():N}"[..40];
    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel);

    /// <summary>Sends every notification due now; returns how many it handled. Exposed for tests and tools.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            due = await db.Notifications.AsNoTracking()
                .Where(n => n.State == NotificationState.Scheduled && n.DueAt <= now && (n.LeaseOwner == null || n.LeaseExpiresAt < now))
                .OrderBy(n => n.DueAt).ThenBy(n => n.Id)
                .Select(n => n.Id)
                .Take(options.BatchSize)
                .ToListAsync(cancellationToken);
        }

        var handled = 0;
        foreach (var id in due)
        {
            if (await HandleAsync(id, now, cancellationToken))
            {
                handled++;
            }
        }

        return handled;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await RunOnceAsync(stoppingToken);
                if (handled >= options.BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
            {
                LogLookFailed(e);
            }

            await signal.WaitAsync(options.PollInterval, time, stoppingToken);
        }
    }

    private async Task<bool> HandleAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var lease = now + options.LeaseDuration;
        var claimed = await db.Notifications
            .Where(n => n.Id == id && n.State == NotificationState.Scheduled && (n.LeaseOwner == null || n.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseOwner, _owner).SetProperty(n => n.LeaseExpiresAt, lease), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var notification = await db.Notifications.FirstAsync(n => n.Id == id, cancellationToken);
        var application = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == notification.ApplicationId, cancellationToken);
        if (application is null)
        {
            // A deleted or expired draft takes its reminder with it; anything else missing is a fault.
            Finish(notification, notification.ExpectedRevision is null ? NotificationState.Failed : NotificationState.Dropped, "the application is gone", now);
        }
        else if (notification.Kind == NotificationKind.Reminder && NotificationPlanner.IsWorkingDay(catalog.Calendar, ChinaTime.Today(now)) == false)
        {
            // Not a working day (the calendar may have learned of a holiday since it was planned): the
            // next working day at the usual hour.
            var day = NotificationPlanner.FirstWorkingDayOnOrAfter(catalog.Calendar, ChinaTime.Today(now).AddDays(1));
            notification.DueAt = new DateTimeOffset(day.ToDateTime(NotificationPlanner.ReminderTime), ChinaTime.Offset);
            Release(notification);
        }
        else if (notification.ExpectedRevision is { } revision && (application.State != ApplicationState.Draft || application.Revision != revision))
        {
            Finish(notification, NotificationState.Dropped, application.State == ApplicationState.Draft ? "the draft was saved again since" : "the draft was submitted", now);
        }
        else if (notification.ExpectedState is { } expected && notification.ItemCode is { } itemCode &&
                 application.Items.FirstOrDefault(i => i.ItemCode == itemCode) is { } item &&
                 (item.State != expected || item.Corrections != notification.ExpectedCorrections))
        {
            Finish(notification, NotificationState.Dropped, $"the item is {item.State} now", now);
        }
        else if (!_channels.TryGetValue(notification.Channel, out var channel) || !channel.Configured)
        {
            Finish(notification, NotificationState.Failed, $"no endpoint is configured for the {notification.Channel} channel (Notifications:{notification.Channel}:Endpoint)", now);
        }
        else
        {
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                call.CancelAfter(options.SendTimeout);
                notification.ChannelMessageId = await channel.SendAsync(notification, application, call.Token);
                Finish(notification, NotificationState.Sent, null, time.GetUtcNow());
            }
            catch (Exception e) when (e is HttpRequestException or NotificationChannelException or System.Text.Json.JsonException ||
                                      (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                notification.Attempts++;
                notification.LastError = e is OperationCanceledException ? "timed out" : e.Message;
                if (notification.Attempts >= options.MaxAttempts)
                {
                    Finish(notification, NotificationState.Failed, notification.LastError, now);
                    LogGaveUp(notification.Key, notification.Attempts, notification.LastError);
                }
                else
                {
                    var delay = TimeSpan.FromTicks(Math.Min(options.RetryMaxDelay.Ticks, options.RetryBaseDelay.Ticks * (1L << Math.Min(notification.Attempts - 1, 20))));
                    notification.DueAt = now + delay;
                    Release(notification);
                }
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    private static void Finish(NotificationRecord notification, NotificationState state, string? error, DateTimeOffset now)
    {
        notification.State = state;
        notification.LastError = error;
        notification.FinishedAt = now;
        Release(notification);
    }

    private static void Release(NotificationRecord notification)
    {
        notification.LeaseOwner = null;
        notification.LeaseExpiresAt = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due notifications failed; trying again shortly")]
    private partial void LogLookFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Key} given up after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string key, int attempts, string? error);
}
