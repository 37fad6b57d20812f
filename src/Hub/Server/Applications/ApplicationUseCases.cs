using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Catalog;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.Telemetry;

namespace OneThing.Hub.Applications;

/// <summary>A plan for a valid application: the items in dispatch order with their deadlines.</summary>
public sealed record ApplicationPlan(ThemeDefinition Theme, IReadOnlyList<(ItemDefinition Item, DateOnly? DueDate)> Items, DateOnly? DueDate);

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
    ILogger<ApplicationUseCases> logger)
{
    private const int MaxRequestIdLength = 64;

    /// <summary>Creates a draft; a repeated <paramref name="requestId"/> returns the first draft.</summary>
    public async Task<JointApplication> CreateDraftAsync(string themeCode, ApplicationContent content, string? requestId, CancellationToken cancellationToken)
    {
        CheckRequestId(requestId, required: false);
        if (!string.IsNullOrEmpty(requestId) && await FindByCreateRequestIdAsync(requestId, cancellationToken) is { } existing)
        {
            return existing;
        }

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

        if (ThemeOf(application) is { } theme && ThemeRules.CheckImmutable(theme, application.Content, content) is { Count: > 0 } locked)
        {
            throw Invalid(locked);
        }

        application.UpdateDraft(content, time.GetUtcNow());
        await SaveAsync(cancellationToken);
        changes.Notify(application.Id);
        return application;
    }

    /// <summary>Validates an application as submission would; throws with every problem.</summary>
    public ApplicationPlan Validate(string themeCode, ApplicationContent content)
    {
        var theme = ResolveTheme(themeCode, content);
        var today = ChinaTime.Today(time.GetUtcNow());
        var violations = ApplicationValidator.Validate(theme, content, today, catalog.Divisions).Concat(ThemeRules.Check(theme, content, catalog.Divisions)).ToList();
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
        return Validate(application.ThemeCode, application.Content);
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

        var plan = Validate(themeCode, content);
        var now = time.GetUtcNow();
        var application = JointApplication.CreateDraft(NewId(now), null, plan.Theme, content, now);
        db.Applications.Add(application);
        return await SubmitCoreAsync(application, plan.Theme, requestId, cancellationToken);
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
        var plan = Validate(application.ThemeCode, application.Content);
        return await SubmitCoreAsync(application, plan.Theme, requestId, cancellationToken);
    }

    /// <summary>Gets an application.</summary>
    public Task<JointApplication> GetAsync(string id, CancellationToken cancellationToken) => LoadAsync(id, cancellationToken, track: false);

    /// <summary>Lists applications, newest first.</summary>
    public async Task<ApplicationPage> ListAsync(string? themeCode, ApplicationState? state, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var size = pageSize <= 0 ? 50 : Math.Min(pageSize, 200);
        IQueryable<JointApplication> query = db.Applications.AsNoTracking();
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
            db.DispatchTasks.Add(new DispatchTask
            {
                ApplicationId = application.Id,
                ItemCode = item.ItemCode,
                Kind = DispatchTaskKind.Submit,
                State = DispatchTaskState.Scheduled,
                DueAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            });
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
