using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Persistence;
using OneThing.Hub.Telemetry;

namespace OneThing.Hub.Callbacks;

/// <summary>A department's report on one item, in the adapter port's terms.</summary>
/// <param name="Department">The authenticated department's stable name.</param>
/// <param name="IdempotencyKey">The item's submission id, as the department received it.</param>
/// <param name="CaseNumber">The department's case number.</param>
/// <param name="Sequence">The report's number within the case.</param>
/// <param name="Outcome">What the department reports; an acceptance means "still in progress".</param>
/// <param name="OutcomeKind">The reported kind, as received (kept with the callback).</param>
/// <param name="OutcomeJson">The reported outcome as received, as JSON (kept with the callback).</param>
/// <param name="SentAt">When the department sent it, if it said.</param>
public sealed record DepartmentReport(
    string Department,
    string IdempotencyKey,
    string CaseNumber,
    long Sequence,
    ItemOutcome Outcome,
    string OutcomeKind,
    string OutcomeJson,
    DateTimeOffset? SentAt);

/// <summary>What the hub did with a report, and which item it concerned.</summary>
public sealed record CallbackReceipt(CallbackDisposition Disposition, bool Duplicate, string ApplicationId, string ItemCode);

/// <summary>
/// Takes department callbacks: keeps every one, deduplicates by (department, case number, sequence)
/// through the table's unique key, and records a result through the same path as a reconciliation
/// poll (<see cref="ItemResults"/>), in one transaction with the follow-up work.
/// </summary>
public sealed partial class CallbackUseCases(
    HubDbContext db,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    DispatchSignal signal,
    ApplicationChangeFeed changes,
    ILogger<CallbackUseCases> logger)
{
    private const int MaxSaveRetries = 8;

    /// <summary>Records a report and applies it when it tells the hub something new.</summary>
    /// <exception cref="HubNotFoundException">No item has the idempotency key (the report is kept).</exception>
    /// <exception cref="HubPermissionDeniedException">The item belongs to another department (the report is kept).</exception>
    /// <exception cref="HubPreconditionException">The hub knows the item under another case number (the report is kept).</exception>
    public async Task<CallbackReceipt> ReportAsync(DepartmentReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await db.DepartmentCallbacks.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Department == report.Department && c.CaseNumber == report.CaseNumber && c.Sequence == report.Sequence, cancellationToken);
            if (existing is not null)
            {
                await db.DepartmentCallbacks
                    .Where(c => c.Id == existing.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.DuplicateCount, c => c.DuplicateCount + 1).SetProperty(c => c.LastDuplicateAt, (DateTimeOffset?)now), cancellationToken);
                Count(report.Department, "Duplicate");
                LogDuplicate(report.Department, report.CaseNumber, report.Sequence);
                ThrowIfRefused(existing.Disposition, report);
                return new CallbackReceipt(existing.Disposition, Duplicate: true, existing.ApplicationId ?? string.Empty, existing.ItemCode ?? string.Empty);
            }

            var row = new DepartmentCallback
            {
                Department = report.Department,
                CaseNumber = report.CaseNumber,
                Sequence = report.Sequence,
                IdempotencyKey = report.IdempotencyKey,
                OutcomeKind = report.OutcomeKind,
                OutcomeJson = report.OutcomeJson,
                SentAt = report.SentAt,
                ReceivedAt = now,
            };
            var readyCount = 0;
            JointApplication? application = null;
            var found = await db.Items.AsNoTracking()
                .Where(i => i.SubmissionId == report.IdempotencyKey)
                .Select(i => new { i.ApplicationId, i.ItemCode, i.Department })
                .FirstOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                row.Disposition = CallbackDisposition.UnknownItem;
                row.Note = "no item has this idempotency key";
            }
            else
            {
                row.ApplicationId = found.ApplicationId;
                row.ItemCode = found.ItemCode;
                if (!string.Equals(found.Department, report.Department, StringComparison.OrdinalIgnoreCase))
                {
                    row.Disposition = CallbackDisposition.DepartmentMismatch;
                    row.Note = $"the item belongs to {found.Department}";
                }
                else
                {
                    application = await db.Applications.FirstAsync(a => a.Id == found.ApplicationId, cancellationToken);
                    readyCount = await ApplyAsync(row, application, report, now, cancellationToken);
                }
            }

            db.DepartmentCallbacks.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < MaxSaveRetries)
            {
                // Another change to the application won (its revision moved on), or the same report
                // arrived twice at once and the other copy took the unique key: read again and decide
                // on the fresh state; the second copy then finds the first and is a duplicate.
                db.ChangeTracker.Clear();
                continue;
            }

            Count(report.Department, row.Disposition.ToString());
            LogReceived(report.Department, report.CaseNumber, report.Sequence, row.Disposition, row.ApplicationId, row.ItemCode);
            if (application is not null && row.Disposition == CallbackDisposition.Applied)
            {
                var item = application.Item(row.ItemCode!);
                HubTelemetry.ItemsDecided.Add(1, new KeyValuePair<string, object?>("department", item.Department), new KeyValuePair<string, object?>("state", item.State.ToString()));
                if (readyCount > 0)
                {
                    signal.Notify();
                }

                changes.Notify(application.Id);
            }

            ThrowIfRefused(row.Disposition, report);
            return new CallbackReceipt(row.Disposition, Duplicate: false, row.ApplicationId!, row.ItemCode!);
        }
    }

    private async Task<int> ApplyAsync(DepartmentCallback row, JointApplication application, DepartmentReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var item = application.Item(row.ItemCode!);
        var decision = OutcomeTranslation.ToDecision(report.Outcome);
        if (item.CaseNumber is { Length: > 0 } known && !string.Equals(known, decision.CaseNumber, StringComparison.Ordinal))
        {
            row.Disposition = CallbackDisposition.CaseNumberMismatch;
            row.Note = $"the hub recorded case {known}";
            return 0;
        }

        var highest = await db.DepartmentCallbacks.AsNoTracking()
            .Where(c => c.Department == report.Department && c.CaseNumber == report.CaseNumber && c.ApplicationId != null)
            .MaxAsync(c => (long?)c.Sequence, cancellationToken);
        if (highest > report.Sequence)
        {
            row.Disposition = CallbackDisposition.OutOfOrder;
            row.Note = $"report {highest} of this case came first";
            return 0;
        }

        if (item.State is not (ItemState.Pending or ItemState.InProgress))
        {
            // Decided already, by an earlier report or by the hub's own query: the first result stands.
            row.Disposition = CallbackDisposition.AlreadyDecided;
            row.Note = $"the item is already {item.State}";
            return 0;
        }

        if (decision is ItemDecision.Accepted accepted && item.State == ItemState.InProgress)
        {
            var changed = application.RecordStage(item.ItemCode, accepted.Stage, now);
            row.Disposition = changed ? CallbackDisposition.Applied : CallbackDisposition.NoChange;
            row.Note = changed ? null : "still in progress, no new stage";
            return 0;
        }

        // A progress report on a pending item is the department's acceptance, recorded as the
        // submission's answer would have been (with the reconciliation poll); a final result on a
        // pending item is applied at once. Either way the submission still in flight then finds
        // the item no longer pending and ends as stale.
        var ready = ItemResults.Record(db, application, item.ItemCode, decision, options.Value, now);
        if (item.State.IsFinal() || item.State == ItemState.Returned)
        {
            await FinishOpenTasksAsync(application.Id, item.ItemCode, now, cancellationToken);
        }

        row.Disposition = CallbackDisposition.Applied;
        return ready;
    }

    /// <summary>
    /// Ends the item's waiting tasks (its reconciliation poll, a submission waiting for a retry). A
    /// task a worker holds right now is left to that worker, which finds the item decided.
    /// </summary>
    private async Task FinishOpenTasksAsync(string applicationId, string itemCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.DispatchTasks
            .Where(t => t.ApplicationId == applicationId && t.ItemCode == itemCode && t.State != DispatchTaskState.Done && (t.LeaseOwner == null || t.LeaseExpiresAt < now))
            .ToListAsync(cancellationToken);
        foreach (var task in open)
        {
            task.State = DispatchTaskState.Done;
            task.UpdatedAt = now;
        }
    }

    private static void ThrowIfRefused(CallbackDisposition disposition, DepartmentReport report)
    {
        switch (disposition)
        {
            case CallbackDisposition.UnknownItem:
                throw new HubNotFoundException(ErrorReasons.ItemNotFound, $"没有找到幂等键为 {report.IdempotencyKey} 的事项");
            case CallbackDisposition.DepartmentMismatch:
                throw new HubPermissionDeniedException(ErrorReasons.DepartmentMismatch, "该事项不属于报送部门，不能报送其办理结果");
            case CallbackDisposition.CaseNumberMismatch:
                throw new HubPreconditionException(ErrorReasons.CaseNumberMismatch, $"受理编号 {report.CaseNumber} 与平台记录的受理编号不一致");
        }
    }

    private static void Count(string department, string disposition) =>
        HubTelemetry.CallbacksReceived.Add(1, new KeyValuePair<string, object?>("department", department), new KeyValuePair<string, object?>("disposition", disposition));

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback from {Department}, case {CaseNumber} #{Sequence}: {Disposition} (application {ApplicationId}, item {ItemCode})")]
    private partial void LogReceived(string department, string caseNumber, long sequence, CallbackDisposition disposition, string? applicationId, string? itemCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback from {Department}, case {CaseNumber} #{Sequence} arrived again; ignored")]
    private partial void LogDuplicate(string department, string caseNumber, long sequence);
}
