using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.WebConsole.Pages.Applications;

/// <summary>One application and every item's progress: state, department, case number, result and reasons.</summary>
public sealed class DetailModel(
    ApplicationService.ApplicationServiceClient applications,
    CatalogService.CatalogServiceClient catalog,
    HubCalls hub) : PageModel
{
    /// <summary>The application.</summary>
    public Application? Application { get; private set; }

    /// <summary>The theme it was filed under (for department names), when the catalog still has it.</summary>
    public Theme? Theme { get; private set; }

    /// <summary>A problem reading the application.</summary>
    public string? Problem { get; private set; }

    /// <summary>The stable reason of <see cref="Problem"/>.</summary>
    public string? ProblemReason { get; private set; }

    /// <summary>True when no item is pending or in progress: nothing more changes without someone acting.</summary>
    public bool Settled => Application is { Items.Count: > 0 } a && a.Items.All(i => StateLabels.IsSettled(i.State));

    /// <summary>Shows the page.</summary>
    public async Task<IActionResult> OnGetAsync(string id)
    {
        await LoadAsync(id);
        return Application is null && ProblemReason == "NOT_FOUND" ? NotFound() : Page();
    }

    /// <summary>The progress section alone, which the page's script fetches to refresh itself.</summary>
    public async Task<IActionResult> OnGetProgressAsync(string id)
    {
        await LoadAsync(id);
        return Partial("_Progress", this);
    }

    private async Task LoadAsync(string id)
    {
        try
        {
            Application = await applications.GetApplicationAsync(new GetApplicationRequest { Name = $"applications/{id}" }, hub.Options(HttpContext.RequestAborted));
        }
        catch (RpcException e)
        {
            Problem = e.StatusCode == Grpc.Core.StatusCode.NotFound ? "没有这件申请" : hub.Describe(e, "读取申请");
            ProblemReason = e.StatusCode == Grpc.Core.StatusCode.NotFound ? "NOT_FOUND" : HubCalls.ReasonOf(e);
            return;
        }

        try
        {
            Theme = await catalog.GetThemeAsync(new GetThemeRequest { Name = Application.Theme }, hub.Options(HttpContext.RequestAborted));
        }
        catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            // A theme withdrawn from the catalog: the items still carry their titles; departments show by code.
        }
    }
}
