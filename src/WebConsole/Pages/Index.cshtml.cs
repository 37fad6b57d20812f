using Grpc.Core;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.WebConsole.Pages;

/// <summary>The start page: where to go, and the newest applications.</summary>
public sealed class IndexModel(ApplicationService.ApplicationServiceClient applications, HubCalls hub) : PageModel
{
    /// <summary>The newest applications.</summary>
    public IReadOnlyList<Application> Recent { get; private set; } = [];

    /// <summary>A problem talking to the hub.</summary>
    public string? Problem { get; private set; }

    /// <summary>Lists the newest applications.</summary>
    public async Task OnGetAsync()
    {
        try
        {
            Recent = (await applications.ListApplicationsAsync(new ListApplicationsRequest { PageSize = 20 }, hub.Options(HttpContext.RequestAborted))).Applications;
        }
        catch (RpcException e)
        {
            Problem = hub.Describe(e, "读取申请列表");
        }
    }
}
