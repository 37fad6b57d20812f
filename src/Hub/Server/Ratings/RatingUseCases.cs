using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Calendar;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;

namespace OneThing.Hub.Ratings;

/// <summary>What the applicant says of a completed application.</summary>
/// <param name="Overall">1..5.</param>
/// <param name="Departments">Department name to 1..5.</param>
/// <param name="Comment">Their words.</param>
public sealed record RatingInput(int Overall, IReadOnlyDictionary<string, int> Departments, string Comment);

/// <summary>A page of follow-ups.</summary>
public sealed record FollowUpPage(IReadOnlyList<FollowUpRecord> FollowUps, string NextPageToken);

/// <summary>
/// Ratings (政务服务好差评): once per completed application, overall and per department that handled an
/// item; a score of 2 or less (不满意, 非常不满意) opens a follow-up (差评整改) for operators, due in
/// <see cref="FollowUpWorkingDays"/> working days.
/// </summary>
public sealed class RatingUseCases(HubDbContext db, CatalogSnapshot catalog, TimeProvider time)
{
    /// <summary>Working days operators have to resolve a follow-up (a simulated rule; the seeds give none).</summary>
    public const int FollowUpWorkingDays = 5;

    /// <summary>Scores up to this one are bad.</summary>
    public const int BadScore = 2;

    private const string NotCompleted = "NOT_COMPLETED";
    private const string AlreadyRated = "ALREADY_RATED";
    private const string RatingNotFound = "RATING_NOT_FOUND";
    private const string FollowUpNotFound = "FOLLOW_UP_NOT_FOUND";

    /// <summary>Rates an application; idempotent on <paramref name="requestId"/>.</summary>
    public async Task<RatingRecord> RateAsync(string applicationId, RatingInput input, string requestId, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new HubNotFoundException(ErrorReasons.ApplicationNotFound, $"没有找到申请 applications/{applicationId}");
        if (await db.Ratings.AsNoTracking().FirstOrDefaultAsync(r => r.ApplicationId == applicationId, cancellationToken) is { } existing)
        {
            return existing.RequestId == requestId
                ? existing
                : throw new HubPreconditionException(AlreadyRated, "该申请已评价过，每件申请只能评价一次");
        }

        var violations = Check(application, input, requestId);
        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"评价有{violations.Count}处需要修改", violations);
        }

        if (application.State != ApplicationState.Completed)
        {
            throw new HubPreconditionException(NotCompleted, "申请尚未全部办结，办结后才能评价");
        }

        // Instants are stored to the millisecond: answer now as a later read will.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var rating = new RatingRecord
        {
            ApplicationId = applicationId,
            Overall = input.Overall,
            Departments = input.Departments.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
            Comment = input.Comment.Trim(),
            RequestId = requestId,
            CreatedAt = now,
        };
        var badDepartments = input.Departments.Where(d => d.Value <= BadScore).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        if (input.Overall <= BadScore || badDepartments.Count > 0)
        {
            var today = ChinaTime.Today(now);
            db.FollowUps.Add(new FollowUpRecord
            {
                ApplicationId = applicationId,
                ThemeCode = application.ThemeCode,
                Departments = badDepartments,
                Overall = input.Overall,
                Comment = rating.Comment,
                State = FollowUpState.Open,
                DueDate = catalog.Calendar.TryAddWorkingDays(today, FollowUpWorkingDays, out var due) ? due : null,
                CreatedAt = now,
            });
        }

        // The rating and its follow-up in one transaction.
        db.Ratings.Add(rating);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Rated at the same moment by another call: the primary key kept one; answer as above.
            db.ChangeTracker.Clear();
            var winner = await db.Ratings.AsNoTracking().FirstAsync(r => r.ApplicationId == applicationId, cancellationToken);
            return winner.RequestId == requestId ? winner : throw new HubPreconditionException(AlreadyRated, "该申请已评价过，每件申请只能评价一次");
        }

        return rating;
    }

    /// <summary>The follow-up a bad rating of the application opened, if any.</summary>
    public Task<FollowUpRecord?> FollowUpOfAsync(string applicationId, CancellationToken cancellationToken) =>
        db.FollowUps.AsNoTracking().OrderBy(f => f.Id).FirstOrDefaultAsync(f => f.ApplicationId == applicationId, cancellationToken);

    /// <summary>Gets an application's rating.</summary>
    public async Task<RatingRecord> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        await db.Ratings.AsNoTracking().FirstOrDefaultAsync(r => r.ApplicationId == applicationId, cancellationToken)
            ?? throw new HubNotFoundException(RatingNotFound, $"申请 applications/{applicationId} 尚未评价");

    /// <summary>Lists follow-ups, oldest first.</summary>
    public async Task<FollowUpPage> ListFollowUpsAsync(FollowUpState? state, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var size = pageSize <= 0 ? 50 : Math.Min(pageSize, 200);
        var after = string.IsNullOrEmpty(pageToken) ? 0 : ParseToken(pageToken);
        var query = db.FollowUps.AsNoTracking().Where(f => f.Id > after);
        if (state is { } s)
        {
            query = query.Where(f => f.State == s);
        }

        var page = await query.OrderBy(f => f.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = page.Count > size ? Token(page[size - 1].Id) : string.Empty;
        await AuditTrail.RecordNowAsync(db, "rating.follow_ups_read", "follow-ups", AuditTrail.Detail(
            ("state", state?.ToString()), ("count", Math.Min(page.Count, size).ToString(CultureInfo.InvariantCulture)),
            ("applications", string.Join(',', page.Take(Math.Min(size, 40)).Select(f => f.ApplicationId)))), cancellationToken);
        return new FollowUpPage(page.Take(size).ToList(), next);
    }

    /// <summary>Resolves a follow-up; resolving a resolved one returns it unchanged.</summary>
    public async Task<FollowUpRecord> ResolveAsync(long id, string operatorId, string resolution, CancellationToken cancellationToken)
    {
        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(operatorId) || operatorId.Length > 64)
        {
            violations.Add(new FieldViolation("operator_id", ViolationReasons.Required, "请填写操作员标识（不超过64个字符）"));
        }

        if (string.IsNullOrWhiteSpace(resolution) || resolution.Length > 500)
        {
            violations.Add(new FieldViolation("resolution", ViolationReasons.Required, "请填写整改情况（不超过500个字）"));
        }

        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "整改情况不完整", violations);
        }

        var followUp = await db.FollowUps.FirstOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new HubNotFoundException(FollowUpNotFound, $"没有找到差评整改 followUps/{id}");
        if (followUp.State == FollowUpState.Resolved)
        {
            return followUp;
        }

        followUp.State = FollowUpState.Resolved;
        followUp.OperatorId = operatorId.Trim();
        followUp.Resolution = resolution.Trim();
        followUp.ResolvedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return followUp;
    }

    private static List<FieldViolation> Check(JointApplication application, RatingInput input, string requestId)
    {
        var v = new List<FieldViolation>();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 64)
        {
            v.Add(new FieldViolation("request_id", ViolationReasons.Required, "缺少请求标识 request_id（不超过64个字符）"));
        }

        if (input.Overall is < 1 or > 5)
        {
            v.Add(new FieldViolation("rating.overall", "SCORE_OUT_OF_RANGE", "总体评价应为1（非常不满意）至5（非常满意）"));
        }

        var handled = application.Items.Select(i => i.Department).ToHashSet(StringComparer.Ordinal);
        foreach (var (department, score) in input.Departments.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!handled.Contains(department))
            {
                v.Add(new FieldViolation($"rating.departments[{department}]", "DEPARTMENT_NOT_INVOLVED", $"部门“{department}”未办理本申请的事项，不能评价"));
            }
            else if (score is < 1 or > 5)
            {
                v.Add(new FieldViolation($"rating.departments[{department}]", "SCORE_OUT_OF_RANGE", "部门评价应为1（非常不满意）至5（非常满意）"));
            }
        }

        if (input.Comment.Length > 500)
        {
            v.Add(new FieldViolation("rating.comment", ViolationReasons.TooLong, "评价内容不能超过500个字"));
        }

        return v;
    }

    private static string Token(long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{id.ToString(CultureInfo.InvariantCulture)}"));

    private static long ParseToken(string token)
    {
        try
        {
            if (Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|') is ["v1", var text] &&
                long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "page_token is not valid",
            [new FieldViolation("page_token", "INVALID_PAGE_TOKEN", "分页标识无效，请从第一页重新查询")]);
    }
}
