using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.WebConsole;

/// <summary>Builds the web console as a web application; used by Program, the sandbox and the tests.</summary>
public static class WebConsoleHost
{
    /// <summary>Where the console listens when nothing else is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5110";

    /// <summary>
    /// Builds the console. <paramref name="configure"/> runs before the console's services are added, so it
    /// can add configuration (<c>Hub:Address</c>, <c>Kestrel:Endpoints:Http:Url</c>) and services (a TimeProvider).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Razor Pages finds its compiled pages through the application name, wherever the host runs.
            ApplicationName = typeof(WebConsoleHost).Assembly.GetName().Name,
        });
        UseOwnSettingsFile(builder.Configuration);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddWebConsole(builder.Configuration);
        var app = builder.Build();
        app.MapWebConsole();
        return app;
    }

    /// <summary>Adds the console's pages and its clients of the hub.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubOptions>()
            .Bind(configuration.GetSection(HubOptions.Section))
            .Validate(o => Uri.TryCreate(o.Address, UriKind.Absolute, out _), "Hub:Address must be an absolute URI")
            .Validate(o => o.CallTimeout > TimeSpan.Zero, "Hub:CallTimeout must be positive")
            .ValidateOnStart();
        services.TryAddTimeProvider();
        services.AddSingleton<HubCalls>();
        services.TryAddSingleton<IHubTokenSource, ConfiguredHubTokens>();
        services.AddGrpcClient<CatalogService.CatalogServiceClient>(ConfigureClient).WithHubToken();
        services.AddGrpcClient<ApplicationService.ApplicationServiceClient>(ConfigureClient).WithHubToken();
        services.AddGrpcClient<OperatorService.OperatorServiceClient>(ConfigureClient).WithHubToken();
        services.AddRazorPages();
        // Pages are Chinese: write CJK text as itself rather than as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services;
    }

    /// <summary>Maps the pages and the embedded stylesheet and script.</summary>
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "OneThing.WebConsole.wwwroot"),
        });
        app.UseRouting();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Reads <c>webconsole.json</c> instead of <c>appsettings.json</c>: in the sandbox and the tests the console
    /// shares its folder with the hub, whose appsettings.json (its Kestrel endpoints above all) is not the console's.
    /// Environment variables and the command line still override it.
    /// </summary>
    private static void UseOwnSettingsFile(ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        var appSettings = sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>()
            .Where(s => s.Path is { } path && path.StartsWith("appsettings.", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var at = appSettings.Count > 0 ? sources.IndexOf(appSettings[0]) : sources.Count;
        foreach (var source in appSettings)
        {
            sources.Remove(source);
        }

        var own = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = "webconsole.json", Optional = true, ReloadOnChange = false };
        own.ResolveFileProvider();
        sources.Insert(at, own);
    }

    // Every call carries the token of whom the console acts for (see IHubTokenSource).
    private static IHttpClientBuilder WithHubToken(this IHttpClientBuilder client) => client
        .AddCallCredentials(async (context, metadata, services) =>
        {
            var token = await services.GetRequiredService<IHubTokenSource>().TokenAsync(ActingApplicant.IdNumber, ActingOperator.Id, context.CancellationToken);
            if (token is not null)
            {
                metadata.Add("authorization", "Bearer " + token);
            }
        })
        // The sandbox's hub is on cleartext loopback; a deployment's sits behind TLS.
        .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true);

    private static void ConfigureClient(IServiceProvider services, Grpc.Net.ClientFactory.GrpcClientFactoryOptions options) =>
        options.Address = new Uri(services.GetRequiredService<IOptions<HubOptions>>().Value.Address);

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
