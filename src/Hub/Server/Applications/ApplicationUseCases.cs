using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Hub.Catalog;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Materials;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;
using OneThing.Hub.Telemetry;

namespace OneThing.Hub.Applications;

/// <summary>A plan for a valid application: the items in dispatch order with their deadlines.</summary>
public sealed record ApplicationPlan(ThemeDefinition Theme, IReadOnlyList<(ItemDefinition Item, DateOnly? DueDate)> Items, DateOnly? DueDate);

/// <summary>An applicant's correction of a returned item.</summary>
/// <param name="Fields">Corrected form values by field key; an empty value clears the field.</param>
/// <param name="Payment">A corrected payment account, or null to keep it.</param>
/// <param name="Delivery">A corrected delivery, or null to keep it.</param>
public sealed record ItemCorrection(IReadOnlyDictionary<string, string> Fields, PaymentAccountInfo? Payment, DeliveryInfo? Delivery);

/// <summary>A page of applications.</summary>
public sealed record ApplicationPage(IReadOnlyList<JointApplication> Applications, string NextPageToken);

/// <summary>
/// The application use cases: drafts, validation, submission, reads. Each call is one unit of work
/// on its own <see cref="HubDbContext"/>.
/// </summary>
public sealed partial class ApplicationUseCases(
    HubDbContext db,
    CatalogSnapshot catalog,
    TimeProvider time,
    DispatchSignal dispatchSignal,
    ApplicationChangeFeed changes,
    IOptions<MaterialOptions> materialOptions,
    SharedDataLookups sharedData,
    ILogger<ApplicationUseCases> logger)
{
    private const int MaxRequestIdLength = 64;

    // Applications whose read this call has already audited.
    private readonly HashSet<string> _audited = new(StringComparer.Ordinal);

    /// <summary>Creates a draft; a repeated <paramref name="requestId"/> returns the first draft.</summary>
    public async Task<JointApplication> CreateDraftAsync(string themeCode, ApplicationContent content, string? requestId, CancellationToken cancellationToken)
    {
        CheckRequestId(requestId, required: false);
        // A draft may be incomplete, never oversized.
        if (ApplicationValidator.CheckLengths(catalog.Latest(themeCode), content) is { Count: > 0 } tooLong)
        {
            throw Invalid(tooLong);
        }

        if (!string.IsNullOrEmpty(requestId) && await FindByCreateRequestIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }

        (content, _) = await MaterialUseCases.ResolveAsync(db, content, cancellationToken);
        var theme = ResolveTheme(themeCode, content);
        var now = time.GetUtcNow();
        var draft = JointApplication.CreateDraft(NewId(now), string.IsNullOrEmpty(requestId) ? null : requestId, theme, content, now);
        db.Applications.Add(draft);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!string.IsNullOrEmpty(requestId))
        {
            // A concurrent create with the same request id won the unique index: return its draft.
            db.ChangeTracker.Clear();
            return await FindByCreateRequestIdAsync(requestId, cancellationToken) ?? throw new InvalidOperationException("the draft that won the request id is gone");
        }

        return draft;
    }

    /// <summary>Replaces a draft's content, checking the etag when given.</summary>
    public async Task<JointApplication> UpdateDraftAsync(string id, ApplicationContent content, string? etag, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(id, cancellationToken);
        if (!string.IsNullOrEmpty(etag) && etag != Etag(application))
        {
            throw new HubConflictException(ErrorReasons.EtagMismatch, "草稿已被修改，请刷新后重试 (the etag is stale)");
        }

        if (application.State != ApplicationState.Draft)
        {
            throw new HubPreconditionException(ErrorReasons.NotADraft, "申请已提交，不能再修改草稿");
        }

        if (ApplicationValidator.CheckLengths(ThemeOf(application), content) is { Count: > 0 } tooLong)
        {
            throw Invalid(tooLong);
        }

        if (ThemeOf(application) is { } theme && ThemeRules.CheckImmutable(theme, application.Content, content) is { Count: > 0 } locked)
        {
            throw Invalid(locked);
        }

        (content, _) = await MaterialUseCases.ResolveAsync(db, content, cancellationToken);
        application.UpdateDraft(content, time.GetUtcNow());
        await SaveAsync(cancellationToken);
        changes.Notify(application.Id);
        return application;
    }

    /// <summary>Validates an application as submission would, its attached materials included; throws with every problem.</summary>
    public async Task<ApplicationPlan> ValidateAsync(string themeCode, ApplicationContent content, CancellationToken cancellationToken)
    {
        var (resolved, uploaded) = await MaterialUseCases.ResolveAsync(db, content, cancellationToken);
        return Validate(themeCode, resolved, uploaded, await NotOnRecordAsync(themeCode, resolved, cancellationToken));
    }

    /// <summary>
    /// The shared materials the chosen items need, not attached, that their departments have nothing on
    /// record for: those must be uploaded after all. Asks only when the identity number is well formed.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> NotOnRecordAsync(string themeCode, ApplicationContent content, CancellationToken cancellationToken)
    {
        var theme = catalog.Latest(themeCode);
        var attached = (content.Materials ?? []).Select(m => m.Code).ToHashSet(StringComparer.Ordinal);
        if (theme is null || theme.SharedData.All(d => d.Material is null || attached.Contains(d.Material)) ||
            ResidentIdNumber.Check(content.Applicant.IdNumber, ChinaTime.Today(time.GetUtcNow())) != IdNumberCheck.Valid)
        {
            return new Dictionary<string, string>();
        }

        var lookups = await sharedData.LookupAsync(theme, content.SelectedItems, content.Applicant, System.Diagnostics.Activity.Current?.TraceId.ToString() ?? NewId(time.GetUtcNow()), cancellationToken);
        return lookups
            .Where(l => l.State == SharedDataState.NotFound && l.Definition.Material is { } m && !attached.Contains(m))
            .ToDictionary(l => l.Definition.Material!, l => l.Definition.NotFoundMessage, StringComparer.Ordinal);
    }

    /// <summary>
    /// Validates an application as submission would; throws with every problem. <paramref name="uploaded"/>
    /// holds the uploads the attachments name that exist (<see cref="MaterialUseCases.ResolveAsync"/>).
    /// </summary>
    public ApplicationPlan Validate(string themeCode, ApplicationContent content, IReadOnlyDictionary<string, UploadedMaterialFacts> uploaded, IReadOnlyDictionary<string, string>? notOnRecord = null)
    {
        var theme = ResolveTheme(themeCode, content);
        var today = ChinaTime.Today(time.GetUtcNow());
        var violations = ApplicationValidator.Validate(theme, content, today, catalog.Divisions)
            .Concat(ThemeRules.Check(theme, content, catalog.Divisions))
            .Concat(MaterialRules.Check(theme, content, uploaded, materialOptions.Value.RequireUploads, notOnRecord))
            .ToList();
        if (violations.Count > 0)
        {
            throw Invalid(violations);
        }

        if (ThemeRules.CheckWindows(theme, content, today) is { } closed)
        {
            throw WindowClosed(theme, closed);
        }

        DateOnly? Due(int days, bool applies) => applies && catalog.Calendar.TryAddWorkingDays(today, days, out var d) ? d : null;
        var items = ItemGraph.Order(theme, content.SelectedItems)
            .Select(i => (i, Due(i.TimeLimitWorkingDays, i.TimeLimitWorkingDays > 0 || i.CompletesImmediately)))
            .ToList();
        var due = theme.TimeLimitWorkingDays > 0 ? Due(theme.TimeLimitWorkingDays, true) : items.Max(i => i.Item2);
        return new ApplicationPlan(theme, items, due);
    }

    /// <summary>Validates a stored draft.</summary>
    public async Task<ApplicationPlan> ValidateDraftAsync(string id, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(id, cancellationToken, track: false);
        return await ValidateAsync(application.ThemeCode, application.Content, cancellationToken);
    }

    /// <summary>
    /// Submits an inline application. Idempotent on <paramref name="requestId"/>: the first result is
    /// returned again and nothing is dispatched twice.
    /// </summary>
    public async Task<JointApplication> SubmitAsync(string themeCode, ApplicationContent content, string requestId, CancellationToken cancellationToken)
    {
        CheckRequestId(requestId, required: true);
        if (await FindBySubmitRequestIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }

        (content, var uploaded) = await MaterialUseCases.ResolveAsync(db, content, cancellationToken);
        var plan = Validate(themeCode, content, uploaded, await NotOnRecordAsync(themeCode, content, cancellationToken));
        var now = time.GetUtcNow();
        var application = JointApplication.CreateDraft(NewId(now), null, plan.Theme, content, now);
        db.Applications.Add(application);
        return await SubmitCoreAsync(application, plan.Theme, requestId, cancellationToken);
    }

    /// <summary>
    /// Resubmits a returned item with the applicant's corrections (补正): only paths the item owns may
    /// change, the corrected application must be valid as a whole, and the item alone is dispatched again
    /// under a new submission id. Idempotent on <paramref name="requestId"/>.
    /// </summary>
    public async Task<JointApplication> ResubmitItemAsync(string id, string itemCode, ItemCorrection correction, string requestId, string? etag, CancellationToken cancellationToken)
    {
        CheckRequestId(requestId, required: true);
        var application = await LoadAsync(id, cancellationToken);
        var item = application.Items.FirstOrDefault(i => i.ItemCode == itemCode)
            ?? throw new HubNotFoundException(ErrorReasons.ItemNotFound, $"申请 applications/{id} 中没有事项“{itemCode}”");
        if (item.HasCorrection(requestId))
        {
            return application;
        }

        if (!string.IsNullOrEmpty(etag) && etag != Etag(application))
        {
            throw new HubConflictException(ErrorReasons.EtagMismatch, "申请已有新的进展，请刷新后重新补正 (the etag is stale)");
        }

        if (item.State != ItemState.Returned)
        {
            throw new HubPreconditionException(ErrorReasons.ItemNotReturned, $"事项「{item.Title}」当前不是“已退回”状态，无需补正");
        }

        var theme = ThemeOf(application) ?? throw new HubPreconditionException(ErrorReasons.ThemeNotFound, $"主题“{application.ThemeCode}”已不在目录中");
        var corrected = Corrected(theme, application, item, correction, out var violations);
        var today = ChinaTime.Today(time.GetUtcNow());
        violations.AddRange(ApplicationValidator.Validate(theme, corrected, today, catalog.Divisions));
        violations.AddRange(ThemeRules.Check(theme, corrected, catalog.Divisions));
        violations.AddRange(ThemeRules.CheckImmutable(theme, application.Content, corrected));
        if (violations.Count > 0)
        {
            throw Invalid(violations);
        }

        var now = time.GetUtcNow();
        if (application.ResubmitItem(itemCode, corrected, Guid.CreateVersion7(now).ToString("N"), requestId, now))
        {
            db.DispatchTasks.Add(SubmitTask(application.Id, itemCode, now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed the application meanwhile: a concurrent call with the same request id
            // (then its result is ours) or a department's answer (then the applicant must look again).
            db.ChangeTracker.Clear();
            var current = await LoadAsync(id, cancellationToken, track: false);
            if (current.Items.Any(i => i.ItemCode == itemCode && i.HasCorrection(requestId)))
            {
                return current;
            }

            throw new HubConflictException(ErrorReasons.EtagMismatch, "申请已被同时修改，请刷新后重新补正");
        }

        dispatchSignal.Notify();
        changes.Notify(application.Id);
        return application;
    }

    /// <summary>Deletes a draft, checking the etag when given.</summary>
    public async Task DeleteDraftAsync(string id, string? etag, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(id, cancellationToken);
        if (application.State != ApplicationState.Draft)
        {
            throw new HubPreconditionException(ErrorReasons.NotADraft, "申请已提交，不能删除；尚未受理的事项可以撤回");
        }

        if (!string.IsNullOrEmpty(etag) && etag != Etag(application))
        {
            throw new HubConflictException(ErrorReasons.EtagMismatch, "草稿已被修改，请刷新后重试 (the etag is stale)");
        }

        db.Applications.Remove(application);
        await SaveAsync(cancellationToken);
        changes.Notify(application.Id);
    }

    /// <summary>
    /// Withdraws items not yet accepted by their departments (撤回): one item, or (with a null item code)
    /// every pending or returned item of the application. Idempotent: a withdrawn item, or an application
    /// already withdrawn as far as it can be, is returned as it is.
    /// </summary>
    public async Task<JointApplication> WithdrawAsync(string id, string? itemCode, string? reason, CancellationToken cancellationToken)
    {
        var why = string.IsNullOrWhiteSpace(reason) ? "申请人主动撤回" : reason.Trim();
        if (why.Length > 200)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "reason is too long",
                [new FieldViolation("reason", ViolationReasons.TooLong, "撤回原因不能超过200个字")]);
        }

        for (var attempt = 0; ; attempt++)
        {
            var application = await LoadAsync(id, cancellationToken);
            if (application.State == ApplicationState.Draft)
            {
                throw new HubPreconditionException(ErrorReasons.NotSubmitted, "草稿尚未提交，无需撤回，可直接删除");
            }

            List<ApplicationItem> targets;
            if (itemCode is not null)
            {
                var item = application.Items.FirstOrDefault(i => i.ItemCode == itemCode)
                    ?? throw new HubNotFoundException(ErrorReasons.ItemNotFound, $"申请 applications/{id} 中没有事项“{itemCode}”");
                if (item.State == ItemState.Withdrawn)
                {
                    return application;
                }

                if (item.State == ItemState.InProgress)
                {
                    throw new HubPreconditionException(ErrorReasons.ItemAlreadyAccepted, $"事项「{item.Title}」已由{item.DepartmentTitle}受理，不能撤回");
                }

                if (item.State.IsFinal())
                {
                    throw new HubPreconditionException(ErrorReasons.ItemAlreadyFinal, $"事项「{item.Title}」已办结，不能撤回");
                }

                targets = [item];
            }
            else
            {
                targets = application.Items.Where(i => i.State is ItemState.Pending or ItemState.Returned).ToList();
                if (targets.Count == 0)
                {
                    return application.Items.Any(i => i.State == ItemState.Withdrawn)
                        ? application
                        : throw new HubPreconditionException(ErrorReasons.NothingToWithdraw, "各事项均已由部门受理或已办结，没有可撤回的事项");
                }
            }

            // An item on its way to the department right now cannot be withdrawn: its answer is coming.
            var now = time.GetUtcNow();
            var codes = targets.Select(t => t.ItemCode).ToList();
            if (await db.DispatchTasks.AnyAsync(t => t.ApplicationId == id && codes.Contains(t.ItemCode) && t.State != DispatchTaskState.Done && t.LeaseOwner != null && t.LeaseExpiresAt > now, cancellationToken))
            {
                throw new HubPreconditionException(ErrorReasons.ItemBusy, "事项正在推送至部门，请稍后再撤回");
            }

            var ended = application.WithdrawItems(codes, why, now);
            foreach (var task in await db.DispatchTasks.Where(t => t.ApplicationId == id && ended.Contains(t.ItemCode) && t.State != DispatchTaskState.Done).ToListAsync(cancellationToken))
            {
                // A worker that claims one of these later finds the item no longer waiting and lets it go.
                task.State = DispatchTaskState.Done;
                task.UpdatedAt = now;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                changes.Notify(application.Id);
                return application;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // A department answered or a worker claimed meanwhile: decide again on the fresh state.
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new HubConflictException(ErrorReasons.EtagMismatch, "申请刚刚发生变化，请刷新后重试");
            }
        }
    }

    /// <summary>
    /// The application's content with a correction applied; every path the item does not own is
    /// reported in <paramref name="violations"/>.
    /// </summary>
    private static ApplicationContent Corrected(ThemeDefinition theme, JointApplication application, ApplicationItem item, ItemCorrection correction, out List<FieldViolation> violations)
    {
        violations = [];
        var allowed = JointApplication.CorrectablePaths(theme, item);
        var labels = theme.Fields.ToDictionary(f => f.Key, f => f.Label, StringComparer.Ordinal);
        var fields = new Dictionary<string, string>(application.Content.Fields, StringComparer.Ordinal);
        foreach (var (key, value) in correction.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = $"fields[{key}]";
            if (!allowed.Contains(path))
            {
                var label = labels.TryGetValue(key, out var l) ? $"「{l}」" : $"“{key}”";
                violations.Add(new FieldViolation(path, ViolationReasons.NotCorrectable, $"{label}不属于事项「{item.Title}」的补正内容，不能在补正时修改"));
                continue;
            }

            if (string.IsNullOrEmpty(value))
            {
                fields.Remove(key);
            }
            else
            {
                fields[key] = value;
            }
        }

        bool Owns(string prefix) => allowed.Any(p => p.StartsWith(prefix, StringComparison.Ordinal));
        if (correction.Payment is not null && !Owns("payment_account"))
        {
            violations.Add(new FieldViolation("payment_account", ViolationReasons.NotCorrectable, $"收款账户不属于事项「{item.Title}」的补正内容，不能在补正时修改"));
        }

        if (correction.Delivery is not null && !Owns("delivery"))
        {
            violations.Add(new FieldViolation("delivery", ViolationReasons.NotCorrectable, $"出件方式不属于事项「{item.Title}」的补正内容，不能在补正时修改"));
        }

        return application.Content with
        {
            Fields = fields,
            Payment = correction.Payment ?? application.Content.Payment,
            Delivery = correction.Delivery ?? application.Content.Delivery,
        };
    }

    /// <summary>Submits a stored draft. Idempotent on <paramref name="requestId"/>.</summary>
    public async Task<JointApplication> SubmitDraftAsync(string id, string requestId, CancellationToken cancellationToken)
    {
        CheckRequestId(requestId, required: true);
        if (await FindBySubmitRequestIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var application = await LoadAsync(id, cancellationToken);
        if (application.State != ApplicationState.Draft)
        {
            throw new HubPreconditionException(ErrorReasons.AlreadySubmitted, "该申请已提交，请勿重复提交");
        }

        // A draft is submitted under the theme's current version, and must be valid under it.
        var plan = await ValidateAsync(application.ThemeCode, application.Content, cancellationToken);
        return await SubmitCoreAsync(application, plan.Theme, requestId, cancellationToken);
    }

    /// <summary>
    /// Gets an application. The read is audited before the application is returned, once per call (a
    /// watch reads many times in one call).
    /// </summary>
    public async Task<JointApplication> GetAsync(string id, CancellationToken cancellationToken)
    {
        var application = await LoadAsync(id, cancellationToken, track: false);
        if (_audited.Add(application.Id))
        {
            await AuditTrail.RecordNowAsync(db, "application.read", AuditTrail.Resource(application.Id), AuditTrail.Detail(("rpc", AuditTrail.CallName(db))), cancellationToken);
        }

        return application;
    }

    /// <summary>Lists applications, newest first.</summary>
    /// <param name="applicantIndex">Only the applications of this applicant (their blind index), or all when null.</param>
    public async Task<ApplicationPage> ListAsync(string? themeCode, ApplicationState? state, int pageSize, string? pageToken, CancellationToken cancellationToken, string? applicantIndex = null)
    {
        var size = pageSize <= 0 ? 50 : Math.Min(pageSize, 200);
        IQueryable<JointApplication> query = db.Applications.AsNoTracking();
        if (applicantIndex is not null)
        {
            query = query.OfApplicant(applicantIndex);
        }

        if (!string.IsNullOrEmpty(themeCode))
        {
            query = query.Where(a => a.ThemeCode == themeCode);
        }

        if (state is { } s)
        {
            query = query.Where(a => a.State == s);
        }

        if (!string.IsNullOrEmpty(pageToken))
        {
            var (createdAt, id) = ParsePageToken(pageToken);
            query = query.Where(a => a.CreatedAt < createdAt || (a.CreatedAt == createdAt && string.Compare(a.Id, id) < 0));
        }

        var page = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = page.Count > size ? PageToken(page[size - 1]) : string.Empty;

        // One audit row per application shown: "who saw application X" is then one indexed query.
        var rpc = AuditTrail.CallName(db);
        foreach (var shown in page.Take(size))
        {
            AuditTrail.Record(db, "application.read", AuditTrail.Resource(shown.Id), AuditTrail.Detail(("rpc", rpc)));
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ApplicationPage(page.Take(size).ToList(), next);
    }

    /// <summary>The etag of an application's current content.</summary>
    public static string Etag(JointApplication application) => "r" + application.Revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>The theme an application is under (its own version), for display.</summary>
    public ThemeDefinition? ThemeOf(JointApplication application) =>
        catalog.Version(application.ThemeCode, application.ThemeVersion) ?? catalog.Latest(application.ThemeCode);

    private async Task<JointApplication> SubmitCoreAsync(JointApplication application, ThemeDefinition theme, string requestId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ready = application.Submit(theme, requestId, catalog.Calendar, () => Guid.CreateVersion7(now).ToString("N"), now);
        foreach (var item in ready)
        {
            db.DispatchTasks.Add(SubmitTask(application.Id, item.ItemCode, now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent submit with the same request id won the unique index: return its result.
            db.ChangeTracker.Clear();
            if (await FindBySubmitRequestIdAsync(requestId, cancellationToken) is { } winner)
            {
                return winner;
            }

            throw;
        }

        HubTelemetry.ApplicationsSubmitted.Add(1, new KeyValuePair<string, object?>("theme", theme.Code));
        if (application.DeadlineUnknown)
        {
            // Accepted all the same; the deadline is left empty rather than guessed.
            LogDeadlineUnknown(application.Id, string.Join(", ", catalog.Calendar.CoveredYears));
        }

        dispatchSignal.Notify();
        changes.Notify(application.Id);
        return application;
    }

    private ThemeDefinition ResolveTheme(string themeCode, ApplicationContent content)
    {
        if (catalog.Latest(themeCode) is { } theme)
        {
            return theme;
        }

        // Without a theme the items and fields cannot be checked; report the theme and what can be.
        var violations = new List<FieldViolation>
        {
            string.IsNullOrWhiteSpace(themeCode)
                ? new("theme", ViolationReasons.Required, "请选择要办理的一件事主题")
                : new("theme", ViolationReasons.UnknownTheme, $"没有主题“{themeCode}”"),
        };
        violations.AddRange(ApplicationValidator.ValidateApplicant(content.Applicant, ChinaTime.Today(time.GetUtcNow()), catalog.Divisions));
        throw Invalid(violations);
    }

    private static HubPreconditionException WindowClosed(ThemeDefinition theme, WindowCheck closed)
    {
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var all = string.Join("；", closed.Windows.Select(w => $"{w.Label}{D(w.Start)}至{D(w.End)}"));
        if (closed.NextStart is { } start && closed.NextEnd is { } end)
        {
            return new HubPreconditionException(
                ErrorReasons.OutsideApplicationWindow,
                $"「{theme.Title}」当前不在申报期内，下一{closed.NextLabel}为{D(start)}至{D(end)}（{all}）",
                new Dictionary<string, string>
                {
                    ["next_window_label"] = closed.NextLabel ?? string.Empty,
                    ["next_window_start"] = D(start),
                    ["next_window_end"] = D(end),
                });
        }

        return new HubPreconditionException(ErrorReasons.ApplicationWindowClosed, $"「{theme.Title}」的申报期已结束（{all}）");
    }

    private static HubRequestInvalidException Invalid(IReadOnlyList<FieldViolation> violations) =>
        new(ErrorReasons.ApplicationInvalid, $"申请有{violations.Count}处需要修改，请一并修改后重新提交", violations);

    private static void CheckRequestId(string? requestId, bool required)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            if (required)
            {
                throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "request_id is required",
                    [new FieldViolation("request_id", ViolationReasons.Required, "缺少请求标识 request_id（用于防止重复提交）")]);
            }

            return;
        }

        if (requestId.Length > MaxRequestIdLength)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "request_id is too long",
                [new FieldViolation("request_id", ViolationReasons.TooLong, $"请求标识 request_id 不能超过{MaxRequestIdLength}个字符")]);
        }
    }

    private async Task<JointApplication> LoadAsync(string id, CancellationToken cancellationToken, bool track = true)
    {
        IQueryable<JointApplication> query = track ? db.Applications : db.Applications.AsNoTracking();
        return await query.FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new HubNotFoundException(ErrorReasons.ApplicationNotFound, $"没有找到申请 applications/{id}");
    }

    private Task<JointApplication?> FindBySubmitRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.SubmitRequestId == requestId, cancellationToken);

    private Task<JointApplication?> FindByCreateRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.CreateRequestId == requestId, cancellationToken);

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new HubConflictException(ErrorReasons.EtagMismatch, "申请已被同时修改，请刷新后重试");
        }
    }

    /// <summary>The work of sending an item to its department, due now.</summary>
    private static DispatchTask SubmitTask(string applicationId, string itemCode, DateTimeOffset now) => new()
    {
        ApplicationId = applicationId,
        ItemCode = itemCode,
        Kind = DispatchTaskKind.Submit,
        State = DispatchTaskState.Scheduled,
        DueAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    private static string PageToken(JointApplication last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{last.CreatedAt.ToUnixTimeMilliseconds()}|{last.Id}"));

    private static (DateTimeOffset CreatedAt, string Id) ParsePageToken(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            if (parts is ["v1", var ms, var id] && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var millis) && id.Length is > 0 and <= 32)
            {
                return (DateTimeOffset.FromUnixTimeMilliseconds(millis), id);
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "page_token is not valid",
            [new FieldViolation("page_token", "INVALID_PAGE_TOKEN", "分页标识无效，请从第一页重新查询")]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Application {ApplicationId} has no deadline: the working-day calendar covers only {Years}; add the next year's official schedule to catalog/calendar")]
    private partial void LogDeadlineUnknown(string applicationId, string years);
}
