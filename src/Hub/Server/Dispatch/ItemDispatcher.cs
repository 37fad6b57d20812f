using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;
using OneThing.Hub.Telemetry;

namespace OneThing.Hub.Dispatch;

/// <summary>
/// Runs one claimed dispatch task: calls the item's adapter and records what happened, in one
/// transaction with the follow-up tasks (dependants to submit, a reconciliation poll, a retry).
/// </summary>
public sealed partial class ItemDispatcher(
    IServiceScopeFactory scopes,
    DepartmentAdapterDirectory adapters,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    DispatchSignal signal,
    ApplicationChangeFeed changes,
    OneThing.Hub.Catalog.CatalogSnapshot catalog,
    OneThing.Hub.Materials.IMaterialStore materials,
    ILogger<ItemDispatcher> logger)
{
    private const int MaxSaveRetries = 8;
    private readonly DispatchOptions _options = options.Value;

    /// <summary>Runs the task if this worker still holds its lease.</summary>
    public async Task RunAsync(long taskId, string owner, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var task = await db.DispatchTasks.FirstOrDefaultAsync(t => t.Id == taskId, stopping);
        if (task is null || task.State != DispatchTaskState.Scheduled || task.LeaseOwner != owner)
        {
            return;
        }

        var application = await db.Applications.FirstAsync(a => a.Id == task.ApplicationId, stopping);
        var item = application.Item(task.ItemCode);
        if (IsStale(task, item))
        {
            Finish(task, time.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }

        var correlationId = Guid.NewGuid().ToString("N");
        using var activity = HubTelemetry.Source.StartActivity($"dispatch {task.Kind} {item.ItemCode}");
        activity?.SetTag("onething.application_id", application.Id);
        activity?.SetTag("onething.item_code", item.ItemCode);
        activity?.SetTag("onething.department", item.Department);
        activity?.SetTag("onething.correlation_id", correlationId);
        activity?.SetTag("onething.attempt", task.Attempts + 1);

        var adapter = adapters.For(item.ItemCode);
        if (adapter is null)
        {
            await RecordFailureAsync(db, application, task, owner, $"no adapter is configured for item '{item.ItemCode}'", exhaust: true);
            return;
        }

        ItemOutcome outcome;
        var started = time.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(_options.AdapterCallTimeout, time);
            using var call = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
            outcome = task.Kind == DispatchTaskKind.Submit
                ? await adapter.SubmitAsync(SubmissionOf(application, item, correlationId), call.Token)
                : await adapter.GetStatusAsync(new ItemStatusQuery(item.SubmissionId, item.ItemCode, item.CaseNumber ?? string.Empty, correlationId), call.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: hand the task back at once rather than waiting for the lease to expire.
            // The department may have received the call; the idempotency key makes the retry safe.
            await ReleaseAsync(db, task, owner);
            return;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            HubTelemetry.DispatchFailures.Add(1, new KeyValuePair<string, object?>("department", item.Department));
            await RecordFailureAsync(db, application, task, owner, Describe(e), exhaust: false);
            return;
        }
        finally
        {
            HubTelemetry.AdapterCallDuration.Record(
                time.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("department", item.Department),
                new KeyValuePair<string, object?>("kind", task.Kind.ToString()));
        }

        activity?.SetTag("onething.case_number", outcome.CaseNumber);
        activity?.SetTag("onething.outcome", outcome.GetType().Name);
        await RecordOutcomeAsync(db, application, task, owner, outcome, correlationId);
    }

    private async Task RecordOutcomeAsync(HubDbContext db, JointApplication application, DispatchTask task, string owner, ItemOutcome outcome, string correlationId)
    {
        var decision = OutcomeTranslation.ToDecision(outcome);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var item = application.Item(task.ItemCode);
            var readyCount = 0;
            if (IsStale(task, item))
            {
                Finish(task, now);
            }
            else if (task.Kind == DispatchTaskKind.Poll && decision is ItemDecision.Accepted accepted)
            {
                // Still being handled: note a new review stage, and ask again later.
                application.RecordStage(task.ItemCode, accepted.Stage, now);
                task.DueAt = now + _options.ReconciliationIntervalFor(item.Department);
                task.Attempts = 0;
                task.LastError = null;
                ReleaseLease(task, now);
            }
            else
            {
                Finish(task, now);
                readyCount = ItemResults.Record(db, application, task.ItemCode, decision, _options, now);
            }

            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                if (item.State != ItemState.Pending || decision is not ItemDecision.Accepted)
                {
                    HubTelemetry.ItemsDecided.Add(1, new KeyValuePair<string, object?>("department", item.Department), new KeyValuePair<string, object?>("state", item.State.ToString()));
                }

                LogDecision(application.Id, item.ItemCode, item.Department, item.State, item.CaseNumber, correlationId);
                if (readyCount > 0)
                {
                    signal.Notify();
                }

                changes.Notify(application.Id);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxSaveRetries)
            {
                // Another item of the same application changed at the same time, or our lease was
                // taken over. Read both again and apply the decision to the fresh state.
                db.ChangeTracker.Clear();
                var fresh = await db.DispatchTasks.FirstOrDefaultAsync(t => t.Id == task.Id);
                if (fresh is null || fresh.LeaseOwner != owner || fresh.State != DispatchTaskState.Scheduled)
                {
                    HubTelemetry.LeaseConflicts.Add(1);
                    return;
                }

                task = fresh;
                application = await db.Applications.FirstAsync(a => a.Id == task.ApplicationId);
            }
        }
    }

    private async Task RecordFailureAsync(HubDbContext db, JointApplication application, DispatchTask task, string owner, string error, bool exhaust)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            if (IsStale(task, application.Item(task.ItemCode)))
            {
                // A callback or an operator decided the item meanwhile: there is nothing left to retry.
                Finish(task, now);
                try
                {
                    await db.SaveChangesAsync(CancellationToken.None);
                    return;
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxSaveRetries)
                {
                    db.ChangeTracker.Clear();
                    var current = await db.DispatchTasks.FirstOrDefaultAsync(t => t.Id == task.Id);
                    if (current is null || current.LeaseOwner != owner || current.State != DispatchTaskState.Scheduled)
                    {
                        return;
                    }

                    task = current;
                    application = await db.Applications.FirstAsync(a => a.Id == task.ApplicationId);
                    continue;
                }
            }

            task.Attempts++;
            task.LastError = error;
            task.UpdatedAt = now;
            DateTimeOffset? next = null;
            if (exhaust || task.Attempts >= _options.MaxAttempts)
            {
                task.State = DispatchTaskState.Exhausted;
                ReleaseLease(task, now);
            }
            else
            {
                next = now + Backoff(task.Attempts);
                task.DueAt = next.Value;
                ReleaseLease(task, now);
            }

            application.RecordDispatchFailure(task.ItemCode, task.Attempts, next, error, now);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                var department = application.Item(task.ItemCode).Department;
                if (next is null)
                {
                    HubTelemetry.DispatchExhausted.Add(1, new KeyValuePair<string, object?>("department", department));
                    LogExhausted(application.Id, task.ItemCode, department, task.Attempts, error);
                }
                else
                {
                    LogRetryScheduled(application.Id, task.ItemCode, department, task.Attempts, next.Value, error);
                }

                changes.Notify(application.Id);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxSaveRetries)
            {
                db.ChangeTracker.Clear();
                var fresh = await db.DispatchTasks.FirstOrDefaultAsync(t => t.Id == task.Id);
                if (fresh is null || fresh.LeaseOwner != owner || fresh.State != DispatchTaskState.Scheduled)
                {
                    HubTelemetry.LeaseConflicts.Add(1);
                    return;
                }

                task = fresh;
                application = await db.Applications.FirstAsync(a => a.Id == task.ApplicationId);
            }
        }
    }

    private async Task ReleaseAsync(HubDbContext db, DispatchTask task, string owner)
    {
        db.ChangeTracker.Clear();
        await db.DispatchTasks
            .Where(t => t.Id == task.Id && t.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
    }

    private TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Min(attempts - 1, 20);
        var delay = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4); // ±20% so that retries of many items do not arrive together
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    private static bool IsStale(DispatchTask task, ApplicationItem item) =>
        task.Kind == DispatchTaskKind.Submit ? item.State != ItemState.Pending : item.State != ItemState.InProgress;

    private static void Finish(DispatchTask task, DateTimeOffset now)
    {
        task.State = DispatchTaskState.Done;
        ReleaseLease(task, now);
    }

    private static void ReleaseLease(DispatchTask task, DateTimeOffset now)
    {
        task.LeaseOwner = null;
        task.LeaseExpiresAt = null;
        task.UpdatedAt = now;
    }

    internal static DispatchTask NewTask(string applicationId, string itemCode, DispatchTaskKind kind, DateTimeOffset dueAt, DateTimeOffset now) => new()
    {
        ApplicationId = applicationId,
        ItemCode = itemCode,
        Kind = kind,
        State = DispatchTaskState.Scheduled,
        DueAt = dueAt,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static string Describe(Exception e)
    {
        var message = e switch
        {
            OperationCanceledException => "the adapter call timed out",
            _ => e.Message,
        };
        var text = $"{e.GetType().Name}: {message}";
        return text.Length > 1000 ? text[..1000] : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemCode} of application {ApplicationId} at {Department}: {State}, case {CaseNumber}, correlation {CorrelationId}")]
    private partial void LogDecision(string applicationId, string itemCode, string department, ItemState state, string? caseNumber, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Item {ItemCode} of application {ApplicationId}: {Department} failed (attempt {Attempts}); next attempt at {NextAttempt:o}: {Error}")]
    private partial void LogRetryScheduled(string applicationId, string itemCode, string department, int attempts, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Item {ItemCode} of application {ApplicationId}: gave up on {Department} after {Attempts} attempts; in the operators' queue: {Error}")]
    private partial void LogExhausted(string applicationId, string itemCode, string department, int attempts, string error);

    /// <summary>The item as its department receives it, with the materials of the one set that it needs.</summary>
    private ItemSubmission SubmissionOf(JointApplication application, ApplicationItem item, string correlationId) =>
        OutcomeTranslation.ToSubmission(application, item, correlationId) with
        {
            Materials = OneThing.Hub.Materials.MaterialUseCases.ForSubmission(
                catalog.Version(application.ThemeCode, application.ThemeVersion) ?? catalog.Latest(application.ThemeCode),
                application.Content,
                item.ItemCode,
                materials),
        };
}
