using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.WebConsole.Pages.Clerk;

/// <summary>
/// A window clerk files a joint application on an applicant's behalf: finds the applicant by name, resident ID
/// number and mobile, chooses a theme, answers its guided questions, fills the theme's form as the catalog
/// describes it, and submits. Every problem the hub finds is shown at once beside its input.
/// </summary>
public sealed class IndexModel(
    CatalogService.CatalogServiceClient catalog,
    ApplicationService.ApplicationServiceClient applications,
    HubCalls hub) : PageModel
{
    /// <summary>The request header that names the clerk who files (the contract has no field for it).</summary>
    public const string ClerkHeader = "x-onething-clerk";

    /// <summary>The binary request header with the clerk's authorisation note (UTF-8; the contract has no field for it).</summary>
    public const string ClerkNoteHeader = "x-onething-clerk-note-bin";

    /// <summary>"start" (find the applicant, choose a theme) or "form" (guide and form).</summary>
    public string Stage { get; private set; } = "start";

    /// <summary>The published themes, for the start.</summary>
    public IReadOnlyList<Theme> Themes { get; private set; } = [];

    /// <summary>What the clerk typed.</summary>
    public ApplicationForm Form { get; private set; } = new();

    /// <summary>The chosen theme, on the form.</summary>
    public Theme? Theme { get; private set; }

    /// <summary>What the answers so far mean (questions, items, materials), on the form.</summary>
    public EvaluateGuideResponse? Guide { get; private set; }

    /// <summary>Every problem, in the order reported.</summary>
    public List<Violation> Violations { get; } = [];

    /// <summary>A problem with the whole request (the hub unreachable, a refusal that names no field).</summary>
    public string? Problem { get; private set; }

    /// <summary>The stable reason of <see cref="Problem"/>.</summary>
    public string? ProblemReason { get; private set; }

    private readonly Dictionary<string, List<Violation>> _bySlot = [];

    /// <summary>The problems shown beside one input or group.</summary>
    public IReadOnlyList<Violation> ErrorsAt(string slot) => _bySlot.TryGetValue(slot, out var list) ? list : [];

    /// <summary>The applicant's sex and birth date as the ID number says, once it is well-formed.</summary>
    public string? IdentitySummary
    {
        get
        {
            var number = Form.Value("applicant.id_document.number").ToUpperInvariant();
            return ResidentIdentity.BirthDateOf(number) is { } born
                ? $"{(ResidentIdentity.SexOf(number) == Sex.Male ? "男" : "女")}，{born:yyyy-MM-dd}出生"
                : null;
        }
    }

    /// <summary>Shows the start.</summary>
    public async Task OnGetAsync() => await LoadThemesAsync();

    /// <summary>Checks the applicant's identity and opens the theme's guide and form.</summary>
    public async Task<IActionResult> OnPostStartAsync()
    {
        Form = ApplicationForm.Read(Request.Form);
        var found = new List<Violation>();
        if (Form.Value("applicant.name").Length == 0)
        {
            found.Add(new("applicant.name", "REQUIRED", "请填写申请人姓名"));
        }

        if (!ResidentIdentity.IsWellFormed(Form.Value("applicant.id_document.number").ToUpperInvariant()))
        {
            found.Add(new("applicant.id_document.number", "INVALID_RESIDENT_ID", "请填写18位居民身份证号码（校验位须正确）"));
        }

        if (Form.Value("applicant.mobile").Length != 11 || !Form.Value("applicant.mobile").All(char.IsAsciiDigit))
        {
            found.Add(new("applicant.mobile", "INVALID_MOBILE", "联系电话应为11位手机号码"));
        }

        if (Form.Theme.Length == 0)
        {
            found.Add(new("theme", "REQUIRED", "请选择要办理的一件事"));
        }

        if (found.Count > 0)
        {
            await LoadThemesAsync();
            Show(found, ApplicationForm.Slots(new Theme()));
            return Page();
        }

        if (!await LoadThemeAndGuideAsync())
        {
            await LoadThemesAsync();
            Stage = "start";
            return Page();
        }

        // A new filing: every item that applies is chosen to begin with, results are mailed to the applicant.
        Form.RequestId = Guid.NewGuid().ToString();
        Form.Set("applicant.id_document.type", "1");
        Form.Items.UnionWith(Guide!.Items.Where(i => i.Available).Select(i => i.ItemCode));
        Form.Set("delivery.recipient", Form.Value("applicant.name"));
        Form.Set("delivery.recipient_mobile", Form.Value("applicant.mobile"));
        await EvaluateGuideAsync();
        return Page();
    }

    /// <summary>Evaluates the guided questions again with the answers given so far.</summary>
    public async Task<IActionResult> OnPostGuideAsync()
    {
        Form = ApplicationForm.Read(Request.Form);
        if (await LoadThemeAndGuideAsync() && Guide is not null)
        {
            // Items an answer has just made available are chosen, as every applicable item is at the start.
            var added = Guide.Items.Where(i => i.Available && !Form.OfferedItems.Contains(i.ItemCode)).Select(i => i.ItemCode).ToList();
            if (added.Count > 0)
            {
                Form.Items.UnionWith(added);
                await EvaluateGuideAsync();
            }
        }

        return Page();
    }

    /// <summary>Submits the application on the applicant's behalf, or shows every problem at once.</summary>
    public async Task<IActionResult> OnPostSubmitAsync()
    {
        Form = ApplicationForm.Read(Request.Form);
        if (!await LoadThemeAndGuideAsync())
        {
            return Page();
        }

        if (Form.RequestId.Length == 0)
        {
            Form.RequestId = Guid.NewGuid().ToString();
        }

        var application = Form.ToApplication(Theme!, hub.TodayInChina);
        var clerkProblems = Form.CheckClerk();
        var found = new List<Violation>(clerkProblems);
        try
        {
            if (clerkProblems.Count > 0)
            {
                // Nothing is filed without a clerk and an authorisation, but the hub still checks the rest so
                // the clerk sees every problem at once.
                using var acting = ActingApplicant.For(application.Applicant?.IdDocument?.Number ?? string.Empty);
                await applications.ValidateApplicationAsync(new ValidateApplicationRequest { Application = application }, hub.Options(HttpContext.RequestAborted));
            }
            else
            {
                var headers = new Metadata
                {
                    { ClerkHeader, Form.Value(ApplicationForm.ClerkId) },
                    { ClerkNoteHeader, Encoding.UTF8.GetBytes(Form.Value(ApplicationForm.ClerkNote)) },
                };
                // The applicant identified themself at the window; the filing is made with their identity.
                using var acting = ActingApplicant.For(application.Applicant?.IdDocument?.Number ?? string.Empty);
                var submitted = await applications.SubmitApplicationAsync(
                    new SubmitApplicationRequest { Application = application, RequestId = Form.RequestId },
                    hub.Options(HttpContext.RequestAborted, headers));
                return Redirect($"/{submitted.Name}");
            }
        }
        catch (RpcException e)
        {
            var violations = HubCalls.ViolationsOf(e);
            found.AddRange(violations);
            if (violations.Count == 0)
            {
                Problem = hub.Describe(e, "提交申请");
                ProblemReason = HubCalls.ReasonOf(e);
            }
        }

        Show(found, ApplicationForm.Slots(Theme!));
        return Page();
    }

    private async Task<bool> LoadThemeAndGuideAsync()
    {
        Stage = "form";
        try
        {
            Theme = await catalog.GetThemeAsync(new GetThemeRequest { Name = Form.Theme }, hub.Options(HttpContext.RequestAborted));
        }
        catch (RpcException e)
        {
            Problem = hub.Describe(e, "读取主题");
            ProblemReason = HubCalls.ReasonOf(e);
            return false;
        }

        await EvaluateGuideAsync();
        return true;
    }

    private async Task EvaluateGuideAsync()
    {
        var request = new EvaluateGuideRequest { Theme = Theme!.Name };
        request.SelectedItems.Add(Theme.Items.Select(i => i.Code).Where(Form.Items.Contains));
        foreach (var question in Theme.Questions)
        {
            if (Form.Value($"guide_answers[{question.Code}]") is { Length: > 0 } answer)
            {
                request.Answers[question.Code] = answer;
            }
        }

        try
        {
            Guide = await catalog.EvaluateGuideAsync(request, hub.Options(HttpContext.RequestAborted));
        }
        catch (RpcException e)
        {
            Show(HubCalls.ViolationsOf(e), ApplicationForm.Slots(Theme));
            if (Violations.Count == 0)
            {
                Problem = hub.Describe(e, "导办评估");
                ProblemReason = HubCalls.ReasonOf(e);
            }
        }
    }

    private async Task LoadThemesAsync()
    {
        try
        {
            var themes = new List<Theme>();
            var page = new ListThemesRequest { PageSize = 200 };
            do
            {
                var response = await catalog.ListThemesAsync(page, hub.Options(HttpContext.RequestAborted));
                themes.AddRange(response.Themes);
                page.PageToken = response.NextPageToken;
            }
            while (page.PageToken.Length > 0);

            Themes = themes;
        }
        catch (RpcException e)
        {
            Problem = hub.Describe(e, "读取主题目录");
            ProblemReason = HubCalls.ReasonOf(e);
        }
    }

    private void Show(IEnumerable<Violation> violations, HashSet<string> slots)
    {
        foreach (var violation in violations)
        {
            Violations.Add(violation);
            var slot = ApplicationForm.SlotOf(violation.Field, slots);
            if (!_bySlot.TryGetValue(slot, out var list))
            {
                _bySlot[slot] = list = [];
            }

            list.Add(violation);
        }
    }
}
