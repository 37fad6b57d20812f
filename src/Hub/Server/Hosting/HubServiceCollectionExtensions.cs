using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.Callbacks;
using OneThing.Hub.Catalog;
using OneThing.Hub.Dispatch;
using OneThing.Hub.Grpc;
using OneThing.Hub.Materials;
using OneThing.Hub.Operators;
using OneThing.Hub.Notifications;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;
using OneThing.Hub.Security.Audit;
using OneThing.Hub.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneThing.Hub.Hosting;

/// <summary>Registers the hub's parts: catalog, persistence, use cases, dispatch, adapters, gRPC, telemetry.</summary>
public static class HubServiceCollectionExtensions
{
    /// <summary>Adds everything the hub needs to the builder.</summary>
    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.TryAddSingleton(TimeProvider.System);

        var catalogDirectory = configuration["Catalog:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "catalog");
        services.AddSingleton(_ => CatalogFiles.Load(catalogDirectory));

        services.AddHubPersonalData(configuration);
        services.AddHubDatabase(configuration);

        services.AddOptions<DispatchOptions>()
            .Bind(configuration.GetSection("Dispatch"))
            .ValidateDataAnnotations()
            .Validate(o => !o.Problems().Any(), "Dispatch options are invalid: check Dispatch:* (see DispatchOptions.Problems)")
            .ValidateOnStart();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<ApplicationChangeFeed>();
        services.AddSingleton<DepartmentAdapterDirectory>();
        services.AddSingleton<ItemDispatcher>();
        services.AddSingleton<DispatchWorker>();
        services.AddScoped<ApplicationUseCases>();
        services.AddSingleton<SharedDataLookups>();
        services.AddScoped<OneThing.Hub.Ratings.RatingUseCases>();
        services.AddScoped<CallbackUseCases>();
        services.AddScoped<OperatorUseCases>();
        services.AddHubAuthentication(configuration);
        services.AddHubMaterials(configuration);
        services.AddHubNotifications(configuration);
        OneThing.Hub.Deliveries.DeliveryServiceCollectionExtensions.AddHubDeliveries(services);
        services.AddHubCallbackSignatures(configuration);

        services.AddDepartmentAdapters(configuration.GetSection("Departments"));

        // Order matters: the database is migrated and the catalog checked before dispatch starts.
        services.AddHostedService<HubStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<DraftExpiry>());
        services.AddHubAudit();

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.MaxReceiveMessageSize = 4 * 1024 * 1024;
            o.EnableDetailedErrors = false;
        }).AddHubJsonTranscoding();
        builder.AddCleartextHttp1AndHttp2();
        services.AddGrpcReflection();
        services.AddHubLimits(configuration);
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<CalendarHealthCheck>("calendar");

        AddTelemetry(builder);
        return builder;
    }

    /// <summary>
    /// Registers the notification outbox (written with every state change), its channels and the worker
    /// that sends it (section <c>Notifications</c>).
    /// </summary>
    public static IServiceCollection AddHubNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection("Notifications"))
            .Validate(o => !o.Problems().Any(), "Notification options are invalid: check Notifications:* (see NotificationOptions.Problems)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value);
        services.AddHttpClient(NotificationOptions.HttpClientName);
        services.AddOptions<DraftOptions>()
            .Bind(configuration.GetSection("Drafts"))
            .Validate(o => !o.Problems().Any(), "Draft options are invalid: check Drafts:* (see DraftOptions.Problems)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DraftOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<DraftOptions>().Policy);
        services.AddSingleton<DraftExpiry>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<INotificationChannel, SmsChannel>();
        services.AddSingleton<INotificationChannel, InAppChannel>();
        services.AddSingleton<NotificationWorker>();
        return services;
    }

    /// <summary>The provider's options plus the notification outbox, when the hub registered one.</summary>
    private static void WithOutbox(IServiceProvider services, DbContextOptionsBuilder options, Action<DbContextOptionsBuilder> configure)
    {
        configure(options);
        if (services.GetService<NotificationOutbox>() is { } outbox)
        {
            options.AddInterceptors(outbox);
        }

        // Personal data is sealed at rest; without the protector the model refuses to build.
        if (services.GetService<PersonalDataProtector>() is { } protector)
        {
            options.UsePersonalData(protector, services.GetService<IOptions<PersonalDataOptions>>()?.Value.ReadUnsealed ?? false);
        }
    }

    /// <summary>
    /// Registers the database provider chosen by <c>Database:Provider</c>: <c>sqlite</c> (the default,
    /// embedded), <c>postgres</c> or <c>sqlserver</c>, each with its own migrations. The
    /// <see cref="HubDbContext"/> the hub resolves is the provider's subclass.
    /// </summary>
    public static IServiceCollection AddHubDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] is { Length: > 0 } p ? p.Trim().ToLowerInvariant() : "sqlite";
        var configured = configuration["Database:ConnectionString"] is { Length: > 0 } cs ? cs : null;
        switch (provider)
        {
            case "sqlite":
                var file = configured ?? "Data Source=data/onething.db";
                EnsureSqliteDirectory(file);
                services.AddDbContext<HubDbContext, SqliteHubDbContext>((sp, o) => WithOutbox(sp, o, b => SqliteHubDbContext.Configure(b, file)));
                break;
            case "postgres":
                var postgres = configured ?? throw MissingConnectionString(provider, "Host=127.0.0.1;Port=5432;Database=onething;Username=onething;Password=...");
                services.AddDbContext<HubDbContext, PostgresHubDbContext>((sp, o) => WithOutbox(sp, o, b => PostgresHubDbContext.Configure(b, postgres)));
                break;
            case "sqlserver":
                var sqlServer = configured ?? throw MissingConnectionString(provider, "Server=...;Database=onething;User Id=onething;Password=...;Encrypt=True");
                services.AddDbContext<HubDbContext, SqlServerHubDbContext>((sp, o) => WithOutbox(sp, o, b => SqlServerHubDbContext.Configure(b, sqlServer)));
                break;
            default:
                throw new InvalidOperationException(
                    $"Database:Provider '{configuration["Database:Provider"]}' is not supported; use 'sqlite' (the default), 'postgres' or 'sqlserver'.");
        }

        return services;
    }

    /// <summary>Maps the hub's endpoints.</summary>
    public static WebApplication MapHub(this WebApplication app)
    {
        app.MapGrpcService<CatalogGrpcService>();
        app.MapGrpcService<ApplicationGrpcService>();
        app.MapGrpcService<CallbackGrpcService>();
        app.MapGrpcService<OperatorGrpcService>();
        app.MapGrpcService<MaterialGrpcService>();
        app.MapGrpcService<RatingGrpcService>();
        app.MapGrpcService<CertificateGrpcService>();
        app.MapGrpcService<DeliveryGrpcService>();
        // Open to all: load balancers probe health; the contracts are published anyway.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapHubOpenApi();
        return app;
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("onething-hub"))
            .WithTracing(t => t
                .AddSource(HubTelemetry.Name, "OneThing.Adapters")
                .AddAspNetCoreInstrumentation()
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(HubTelemetry.Name, "OneThing.Adapters", "Polly")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

        // Export only where a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT or Telemetry:OtlpEndpoint).
        var endpoint = builder.Configuration["Telemetry:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!string.IsNullOrEmpty(endpoint))
        {
            otel.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(endpoint));
        }
    }

    private static InvalidOperationException MissingConnectionString(string provider, string example) =>
        new($"Database:Provider '{provider}' needs Database:ConnectionString (for example '{example}'); only SQLite has a default.");

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}

/// <summary>
/// Runs before the hub serves: applies the database migrations and checks that every catalog item has
/// an adapter. Either failing stops the start with a clear message.
/// </summary>
internal sealed partial class HubStartup(IServiceScopeFactory scopes, CatalogSnapshot catalog, DepartmentAdapterDirectory adapters, ILogger<HubStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uncovered = adapters.Uncovered(catalog);
        if (uncovered.Count > 0)
        {
            throw new InvalidOperationException($"no department adapter carries these catalog items: {string.Join(", ", uncovered)}");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        LogReady(db.Database.ProviderName ?? "?", catalog.LatestThemes.Count, string.Join(", ", catalog.Calendar.CoveredYears));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}); catalog has {Themes} theme(s); working-day calendar covers {Years}")]
    private partial void LogReady(string provider, int themes, string years);
}

/// <summary>Reports the database as unhealthy when it cannot be reached.</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.Database.CanConnectAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("the database cannot be reached");
    }
}

/// <summary>
/// Degraded when the working-day calendar does not cover the next 60 days: deadlines past its end
/// are left empty (never guessed) until an operator adds the next year's schedule.
/// </summary>
internal sealed class CalendarHealthCheck(CatalogSnapshot catalog, TimeProvider time) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var horizon = OneThing.Hub.Domain.Calendar.ChinaTime.Today(time.GetUtcNow()).AddDays(60);
        return Task.FromResult(catalog.Calendar.CoveredYears.Contains(horizon.Year)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded(
                $"the working-day calendar covers {string.Join(", ", catalog.Calendar.CoveredYears)} but not {horizon:yyyy-MM-dd}: add catalog/calendar/{horizon.Year}.json"));
    }
}
