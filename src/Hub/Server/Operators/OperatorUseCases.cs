using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;

namespace OneThing.Hub.Operators;

/// <summary>The kinds of work that need an operator.</summary>
public enum WorkKind
{
    /// <summary>Pending or in progress, unchanged in state for longer than a threshold.</summary>
    Stuck = 1,

    /// <summary>Pending or in progress past its due date.</summary>
    Overdue = 2,

    /// <summary>Dispatch gave up on it.</summary>
    Exhausted = 3,
}

/// <summary>What to list.</summary>
/// <param name="Kind">Which work.</param>
/// <param name="Department">Only this department, if given.</param>
/// <param name="ThemeCode">Only this theme, if given.</param>
/// <param name="DueBefore">Only items due before this day, if given.</param>
/// <param name="StuckAfter">For stuck work: how long unchanged.</param>
/// <param name="PageSize">The most entries; 0 means 50.</param>
/// <param name="PageToken">Where the previous page ended.</param>
public sealed record WorkQuery(WorkKind Kind, string? Department, string? ThemeCode, DateOnly? DueBefore, TimeSpan StuckAfter, int PageSize, string? PageToken);

/// <summary>An item as operators see it (the item carries no personal data; its result is not shown).</summary>
public sealed record WorkEntry(ApplicationItem Item, string ThemeCode, bool Exhausted, int WorkingDaysOverdue);

/// <summary>A page of work.</summary>
public sealed record WorkPage(IReadOnlyList<WorkEntry> Entries, string NextPageToken);

/// <summary>A page of operator actions.</summary>
public sealed record OperatorActionPage(IReadOnlyList<OperatorActionRecord> Actions, string NextPageToken);

/// <summary>
/// The operators' use cases: find stuck, overdue and exhausted work; retry or cancel an item. Every
/// action is recorded, refused ones too, in <c>operator_actions</c>.
/// </summary>
public sealed class OperatorUseCases(HubDbContext db, CatalogSnapshot catalog, TimeProvider time, DispatchSignal signal, ApplicationChangeFeed changes)
{
    /// <summary>The outcome recorded for an action that succeeded.</summary>
    public const string Succeeded = "OK";

    private const int MaxSaveRetries = 8;

    /// <summary>Lists work of one kind, oldest application first.</summary>
    public async Task<WorkPage> ListWorkAsync(WorkQuery query, CancellationToken cancellationToken)
    {
        var size = query.PageSize <= 0 ? 50 : Math.Min(query.PageSize, 200);
        var now = time.GetUtcNow();
        var today = ChinaTime.Today(now);
        IQueryable<ApplicationItem> items = db.Items.AsNoTracking().Where(i => i.State == ItemState.Pending || i.State == ItemState.InProgress);
        switch (query.Kind)
        {
            case WorkKind.Stuck:
                var since = now - query.StuckAfter;
                items = items.Where(i => i.StateChangedAt < since);
                break;
            case WorkKind.Overdue:
                items = items.Where(i => i.DueDate != null && i.DueDate < today);
                break;
            case WorkKind.Exhausted:
                items = items.Where(i => db.DispatchTasks.Any(t => t.ApplicationId == i.ApplicationId && t.ItemCode == i.ItemCode && t.State == DispatchTaskState.Exhausted));
                break;
        }

        if (!string.IsNullOrEmpty(query.Department))
        {
            items = items.Where(i => i.Department == query.Department);
        }

        if (!string.IsNullOrEmpty(query.ThemeCode))
        {
            items = items.Where(i => db.Applications.Any(a => a.Id == i.ApplicationId && a.ThemeCode == query.ThemeCode));
        }

        if (query.DueBefore is { } dueBefore)
        {
            items = items.Where(i => i.DueDate != null && i.DueDate < dueBefore);
        }

        if (!string.IsNullOrEmpty(query.PageToken))
        {
            var (applicationId, itemCode) = ParseWorkToken(query.PageToken);
            items = items.Where(i => string.Compare(i.ApplicationId, applicationId) > 0 || (i.ApplicationId == applicationId && string.Compare(i.ItemCode, itemCode) > 0));
        }

        var page = await items.OrderBy(i => i.ApplicationId).ThenBy(i => i.ItemCode).Take(size + 1).ToListAsync(cancellationToken);
        var next = page.Count > size ? WorkToken(page[size - 1]) : string.Empty;
        page = page.Take(size).ToList();
        var ids = page.Select(i => i.ApplicationId).Distinct().ToList();
        var themes = await db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.ThemeCode }).ToDictionaryAsync(a => a.Id, a => a.ThemeCode, cancellationToken);
        var exhausted = (await db.DispatchTasks.AsNoTracking()
            .Where(t => ids.Contains(t.ApplicationId) && t.State == DispatchTaskState.Exhausted)
            .Select(t => new { t.ApplicationId, t.ItemCode })
            .ToListAsync(cancellationToken))
            .Select(t => (t.ApplicationId, t.ItemCode))
            .ToHashSet();
        var entries = page.Select(i => new WorkEntry(i, themes.GetValueOrDefault(i.ApplicationId, string.Empty), exhausted.Contains((i.ApplicationId, i.ItemCode)), WorkingDaysOverdue(i, today))).ToList();
        await AuditTrail.RecordNowAsync(db, "operator.work_read", "work", AuditTrail.Detail(
            ("kind", query.Kind.ToString()), ("department", query.Department), ("count", entries.Count.ToString(CultureInfo.InvariantCulture)),
            ("items", string.Join(',', entries.Take(20).Select(e => $"{e.Item.ApplicationId}/{e.Item.ItemCode}")))), cancellationToken);
        return new WorkPage(entries, next);
    }

    /// <summary>Schedules an item's waiting or given-up dispatch task now, with a fresh count of attempts.</summary>
    public Task<WorkEntry> RetryAsync(string applicationId, string itemCode, string operatorId, string reason, CancellationToken cancellationToken) =>
        ActAsync(OperatorActionKind.Retry, applicationId, itemCode, operatorId, reason, async (application, item, now) =>
        {
            if (item.State.IsFinal())
            {
                throw AlreadyFinal(item);
            }

            var tasks = await OpenTasks(applicationId, [itemCode]).ToListAsync(cancellationToken);
            if (item.State is not (ItemState.Pending or ItemState.InProgress) || tasks.Count == 0)
            {
                throw new HubPreconditionException(ErrorReasons.NothingToRetry, "该事项当前没有等待重试的推送任务（可能正在等待前置事项或申请人补正）");
            }

            var idle = tasks.Where(t => t.LeaseOwner is null || t.LeaseExpiresAt < now).ToList();
            if (idle.Count == 0)
            {
                throw new HubPreconditionException(ErrorReasons.ItemBusy, "该事项正在推送至部门，请稍后再试");
            }

            foreach (var task in idle)
            {
                task.State = DispatchTaskState.Scheduled;
                task.DueAt = now;
                task.Attempts = 0;
                task.LeaseOwner = null;
                task.LeaseExpiresAt = null;
                task.UpdatedAt = now;
            }

            application.ScheduleRetry(itemCode, now, now);
        });

    /// <summary>Cancels an item with a reason; its dependants end not started and every task of theirs ends.</summary>
    public Task<WorkEntry> CancelAsync(string applicationId, string itemCode, string operatorId, string reason, CancellationToken cancellationToken) =>
        ActAsync(OperatorActionKind.Cancel, applicationId, itemCode, operatorId, reason, async (application, item, now) =>
        {
            if (item.State.IsFinal())
            {
                throw AlreadyFinal(item);
            }

            var before = application.Items.ToDictionary(i => i.ItemCode, i => i.State);
            application.CancelItem(itemCode, new ItemReason("OPERATOR_CANCELLED", reason), now);
            var ended = application.Items.Where(i => i.State != before[i.ItemCode]).Select(i => i.ItemCode).ToList();
            foreach (var task in await OpenTasks(applicationId, ended).ToListAsync(cancellationToken))
            {
                // A worker holding one of these finds the item no longer waiting and lets it go.
                task.State = DispatchTaskState.Done;
                task.UpdatedAt = now;
            }
        });

    /// <summary>Lists operator actions, newest first.</summary>
    public async Task<OperatorActionPage> ListActionsAsync(string? target, string? operatorId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var size = pageSize <= 0 ? 50 : Math.Min(pageSize, 200);
        IQueryable<OperatorActionRecord> query = db.OperatorActions.AsNoTracking();
        if (!string.IsNullOrEmpty(target))
        {
            query = query.Where(a => a.Target == target);
        }

        if (!string.IsNullOrEmpty(operatorId))
        {
            query = query.Where(a => a.OperatorId == operatorId);
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            var before = ParseActionToken(pageToken);
            query = query.Where(a => a.Id < before);
        }

        var page = await query.OrderByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = page.Count > size ? Convert.ToBase64String(Encoding.UTF8.GetBytes("v1|" + page[size - 1].Id.ToString(CultureInfo.InvariantCulture))) : string.Empty;
        return new OperatorActionPage(page.Take(size).ToList(), next);
    }

    /// <summary>The resource name of an item.</summary>
    public static string ItemName(string applicationId, string itemCode) => $"applications/{applicationId}/items/{itemCode}";

    private async Task<WorkEntry> ActAsync(
        OperatorActionKind kind, string applicationId, string itemCode, string operatorId, string reason,
        Func<JointApplication, ApplicationItem, DateTimeOffset, Task> act)
    {
        var now = time.GetUtcNow();
        var target = ItemName(applicationId, itemCode);
        try
        {
            JointApplication? application;
            ApplicationItem? item;
            for (var attempt = 0; ; attempt++)
            {
                now = time.GetUtcNow();
                application = await db.Applications.FirstOrDefaultAsync(a => a.Id == applicationId, CancellationToken.None);
                item = application?.Items.FirstOrDefault(i => i.ItemCode == itemCode);
                if (application is null || item is null)
                {
                    throw new HubNotFoundException(ErrorReasons.ItemNotFound, $"没有找到事项 {target}");
                }

                await act(application, item, now);
                db.OperatorActions.Add(Record(kind, target, operatorId, reason, now, Succeeded));
                try
                {
                    await db.SaveChangesAsync(CancellationToken.None);
                    break;
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxSaveRetries)
                {
                    // Dispatch changed the application or its task meanwhile (an attempt failed, a
                    // lease moved): decide again on the fresh state.
                    db.ChangeTracker.Clear();
                }
                catch (DbUpdateConcurrencyException)
                {
                    throw new HubConflictException(ErrorReasons.EtagMismatch, "事项刚刚发生变化，请刷新后重试");
                }
            }

            signal.Notify();
            changes.Notify(applicationId);
            var exhausted = await db.DispatchTasks.AsNoTracking().AnyAsync(t => t.ApplicationId == applicationId && t.ItemCode == itemCode && t.State == DispatchTaskState.Exhausted, CancellationToken.None);
            return new WorkEntry(item, application.ThemeCode, exhausted, WorkingDaysOverdue(item, ChinaTime.Today(now)));
        }
        catch (Exception e) when (e is HubNotFoundException or HubPreconditionException or HubConflictException)
        {
            // A refused action is recorded too: the audit shows what was tried, by whom and why.
            db.ChangeTracker.Clear();
            var outcome = e switch
            {
                HubNotFoundException n => n.Reason,
                HubPreconditionException p => p.Reason,
                HubConflictException c => c.Reason,
                _ => ErrorReasons.Internal,
            };
            db.OperatorActions.Add(Record(kind, target, operatorId, reason, now, outcome));
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private IQueryable<DispatchTask> OpenTasks(string applicationId, IReadOnlyList<string> itemCodes) =>
        db.DispatchTasks.Where(t => t.ApplicationId == applicationId && itemCodes.Contains(t.ItemCode) && t.State != DispatchTaskState.Done);

    private int WorkingDaysOverdue(ApplicationItem item, DateOnly today)
    {
        if (item.DueDate is not { } due || due >= today || item.State.IsFinal())
        {
            return 0;
        }

        try
        {
            return catalog.Calendar.WorkingDaysBetween(due, today);
        }
        catch (CalendarNotCoveredException e)
        {
            throw new HubPreconditionException(ErrorReasons.CalendarNotCovered, $"工作日历未覆盖 {e.Date:yyyy-MM-dd}，无法计算超期工作日数，请补充该年度的节假日安排");
        }
    }

    private static HubPreconditionException AlreadyFinal(ApplicationItem item) =>
        new(ErrorReasons.ItemAlreadyFinal, $"事项「{item.Title}」已办结（{item.State}），不能再操作");

    private static OperatorActionRecord Record(OperatorActionKind kind, string target, string operatorId, string reason, DateTimeOffset now, string outcome) => new()
    {
        OperatorId = operatorId,
        Kind = kind,
        Target = target,
        Reason = reason,
        At = now,
        Outcome = outcome,
    };

    private static string WorkToken(ApplicationItem last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{last.ApplicationId}|{last.ItemCode}"));

    private static (string ApplicationId, string ItemCode) ParseWorkToken(string token) =>
        Decode(token) is ["v1", { Length: > 0 and <= 32 } id, { Length: > 0 and <= 100 } code] ? (id, code) : throw BadToken();

    private static long ParseActionToken(string token) =>
        Decode(token) is ["v1", var text] && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw BadToken();

    private static string[] Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static HubRequestInvalidException BadToken() =>
        new(ErrorReasons.RequestInvalid, "page_token is not valid", [new FieldViolation("page_token", "INVALID_PAGE_TOKEN", "分页标识无效，请从第一页重新查询")]);
}
