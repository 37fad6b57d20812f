using OneThing.Hub.Security;

namespace OneThing.Hub.Hosting;

/// <summary>Builds the hub as a web application; used by Program, the sandbox and the tests.</summary>
public static class HubHost
{
    /// <summary>
    /// Builds the hub. <paramref name="configure"/> runs before the hub's services are added, so it can
    /// add configuration (endpoints, database) and services that the hub then uses (a TimeProvider).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(HubHost).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);
        builder.AddHub();
        var app = builder.Build();
        app.UseHubOpenApiPage();
        app.UseAuthentication();
        // After authentication, so the caller's identity chooses its rate-limit budget, and before
        // authorization, so a flood of refused calls is limited too.
        app.UseHubLimits();
        app.UseAuthorization();
        app.MapHub();
        return app;
    }
}
