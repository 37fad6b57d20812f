using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.WebConsole.Pages.Operator;

/// <summary>
/// The operators' work page: stuck, overdue and exhausted items (no personal data) with Retry and Cancel, and
/// the log of what operators did, refused actions included.
/// </summary>
public sealed class IndexModel(OperatorService.OperatorServiceClient operators, CatalogService.CatalogServiceClient catalog, HubCalls hub) : PageModel
{
    /// <summary>The cookie that remembers who operates this browser (the hub does not authenticate operators yet).</summary>
    public const string OperatorCookie = "onething-operator";

    /// <summary>Which work: stuck, overdue or exhausted.</summary>
    [BindProperty(SupportsGet = true, Name = "kind")]
    public string Kind { get; set; } = "exhausted";

    /// <summary>Only this department (stable name); empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "department")]
    public string? Department { get; set; }

    /// <summary>Only this theme, "themes/{code}"; empty for all.</summary>
    [BindProperty(SupportsGet = true, Name = "theme")]
    public string? ThemeFilter { get; set; }

    /// <summary>Only items due before this day, yyyy-MM-dd.</summary>
    [BindProperty(SupportsGet = true, Name = "due_before")]
    public string? DueBefore { get; set; }

    /// <summary>For stuck work: unchanged for at least this many minutes (the hub's default is an hour).</summary>
    [BindProperty(SupportsGet = true, Name = "stuck_minutes")]
    public int? StuckMinutes { get; set; }

    /// <summary>What the last action did, shown once after it.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>"OK" or the stable reason the last action was refused.</summary>
    [TempData]
    public string? NoticeOutcome { get; set; }

    /// <summary>The listed work.</summary>
    public IReadOnlyList<WorkItem> Work { get; private set; } = [];

    /// <summary>Whether more work than listed exists.</summary>
    public bool MoreWork { get; private set; }

    /// <summary>The newest operator actions.</summary>
    public IReadOnlyList<OperatorAction> Actions { get; private set; } = [];

    /// <summary>The published themes, for the filter and for item titles.</summary>
    public IReadOnlyList<Theme> Themes { get; private set; } = [];

    /// <summary>A problem talking to the hub.</summary>
    public string? Problem { get; private set; }

    /// <summary>The stable reason of <see cref="Problem"/>.</summary>
    public string? ProblemReason { get; private set; }

    /// <summary>Who operates, remembered from the last action.</summary>
    public string OperatorId => Request.Cookies[OperatorCookie] ?? string.Empty;

    /// <summary>The departments an operator can filter by.</summary>
    public static IReadOnlyList<string> Departments { get; } = ["market-regulation", "tax", "human-resources", "social-insurance", "social-security-card"];

    /// <summary>The item's title from the catalog, or its code.</summary>
    public string TitleOf(WorkItem item) =>
        Themes.FirstOrDefault(t => t.Name == item.Theme)?.Items.FirstOrDefault(i => i.Code == item.ItemCode)?.Title ?? item.ItemCode;

    /// <summary>Lists the work and the action log.</summary>
    public async Task OnGetAsync()
    {
        await LoadThemesAsync();
        try
        {
            var request = new ListWorkRequest
            {
                Kind = KindOf(Kind),
                Department = Department ?? string.Empty,
                Theme = ThemeFilter ?? string.Empty,
                DueBefore = DueBefore ?? string.Empty,
                PageSize = 100,
            };
            if (request.Kind == WorkKind.Stuck && StuckMinutes is > 0 and var minutes)
            {
                request.StuckAfter = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(minutes));
            }

            var work = await operators.ListWorkAsync(request, hub.Options(HttpContext.RequestAborted));
            Work = work.Items;
            MoreWork = work.NextPageToken.Length > 0;
        }
        catch (RpcException e)
        {
            var violations = HubCalls.ViolationsOf(e);
            Problem = violations.Count > 0 ? string.Join("；", violations.Select(v => v.Description)) : hub.Describe(e, "读取待处理工作");
            ProblemReason = HubCalls.ReasonOf(e);
        }

        try
        {
            Actions = (await operators.ListOperatorActionsAsync(new ListOperatorActionsRequest { PageSize = 20 }, hub.Options(HttpContext.RequestAborted))).Actions;
        }
        catch (RpcException e)
        {
            Problem ??= hub.Describe(e, "读取操作记录");
            ProblemReason ??= HubCalls.ReasonOf(e);
        }
    }

    /// <summary>Retries an item now.</summary>
    public Task<IActionResult> OnPostRetryAsync(string target) => ActAsync(target, retry: true);

    /// <summary>Cancels an item with a reason.</summary>
    public Task<IActionResult> OnPostCancelAsync(string target) => ActAsync(target, retry: false);

    private async Task<IActionResult> ActAsync(string target, bool retry)
    {
        var operatorId = Request.Form["operator_id"].ToString().Trim();
        var reason = Request.Form[$"reasons[{target}]"].ToString().Trim();
        if (operatorId.Length > 0)
        {
            Response.Cookies.Append(OperatorCookie, operatorId, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
        }

        var verb = retry ? "重试" : "撤销";
        try
        {
            // The action is the operator's own: the call carries their identity (in a deployment, their login).
            using var acting = ActingOperator.For(operatorId);
            var item = retry
                ? await operators.RetryItemAsync(new RetryItemRequest { Name = target, Reason = reason, OperatorId = operatorId }, hub.Options(HttpContext.RequestAborted))
                : await operators.CancelItemAsync(new CancelItemRequest { Name = target, Reason = reason, OperatorId = operatorId }, hub.Options(HttpContext.RequestAborted));
            Notice = $"已{verb}：{target}（当前状态 {StateLabels.Text(item.State)}）";
            NoticeOutcome = "OK";
        }
        catch (RpcException e)
        {
            var violations = HubCalls.ViolationsOf(e);
            Notice = $"{verb}未执行：" + (violations.Count > 0
                ? string.Join("；", violations.Select(v => v.Field switch
                {
                    "reason" => "请填写原因",
                    "operator_id" => "请填写操作员编号",
                    _ => v.Description,
                }))
                : hub.Describe(e, verb));
            NoticeOutcome = HubCalls.ReasonOf(e);
        }

        return RedirectToPage(new
        {
            kind = Kind,
            department = Department,
            theme = ThemeFilter,
            due_before = DueBefore,
            stuck_minutes = StuckMinutes?.ToString(CultureInfo.InvariantCulture),
        });
    }

    private static WorkKind KindOf(string kind) => kind switch
    {
        "stuck" => WorkKind.Stuck,
        "overdue" => WorkKind.Overdue,
        _ => WorkKind.Exhausted,
    };

    private async Task LoadThemesAsync()
    {
        try
        {
            Themes = (await catalog.ListThemesAsync(new ListThemesRequest { PageSize = 200 }, hub.Options(HttpContext.RequestAborted))).Themes;
        }
        catch (RpcException e)
        {
            Problem = hub.Describe(e, "读取主题目录");
            ProblemReason = HubCalls.ReasonOf(e);
        }
    }
}
