using Departments.Hr.V1;
using Departments.SocialInsurance.V1;
using Departments.SsCard.V1;
using Departments.Tax.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Adapters.Internal;
using OneThing.Gateway.V1;
using Polly;
using Polly.Registry;
using Polly.Telemetry;

namespace OneThing.Adapters;

/// <summary>Registers the department adapters with a service collection.</summary>
public static class DepartmentAdapterServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IDepartmentAdapter"/> per department, each with its options (validated
    /// at start), its resilience pipeline <c>{department}-adapter</c> and its client.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="departmentsSection">The configuration section <c>Departments</c>: one child per
    /// department stable name (<c>market-regulation</c>, <c>tax</c>, <c>human-resources</c>,
    /// <c>social-insurance</c>, <c>social-security-card</c>), bound to <see cref="DepartmentAdapterOptions"/>.
    /// Every department needs at least its <c>Endpoint</c>.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="InvalidOperationException">The section has a child that names no department.</exception>
    public static IServiceCollection AddDepartmentAdapters(this IServiceCollection services, IConfiguration departmentsSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(departmentsSection);

        // A misspelt department name would otherwise leave its real section empty and fail later, less clearly.
        var unknown = departmentsSection.GetChildren().Select(child => child.Key).Where(key => !DepartmentNames.TryParse(key, out _)).ToList();
        if (unknown.Count > 0)
        {
            var known = string.Join(", ", Enum.GetValues<Department>().Select(d => d.ToName()));
            throw new InvalidOperationException(
                $"Configuration section 'Departments' has children that name no department: {string.Join(", ", unknown)}. Known departments: {known}.");
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AdapterInstruments>();
        services.TryAddSingleton<DepartmentChannels>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DepartmentAdapterOptions>, DepartmentAdapterOptionsValidator>());

        // Polly logs an attempt timeout at Error and every handled attempt at Warning. For the adapters
        // those are the retry working: the adapter logs the retry itself (Warning) and the exchange's
        // end (unavailable, protocol). Error stays for what an operator must act on.
        services.Configure<TelemetryOptions>(telemetry =>
        {
            var inner = telemetry.SeverityProvider;
            telemetry.SeverityProvider = args =>
                args.Source.PipelineName?.EndsWith("-adapter", StringComparison.Ordinal) == true
                    ? args.Event.EventName switch
                    {
                        "OnTimeout" => ResilienceEventSeverity.Warning,
                        "ExecutionAttempt" => ResilienceEventSeverity.Debug,
                        _ => inner?.Invoke(args) ?? args.Event.Severity,
                    }
                    : inner?.Invoke(args) ?? args.Event.Severity;
        });

        foreach (var department in Enum.GetValues<Department>())
        {
            var name = department.ToName();
            services.AddOptionsWithValidateOnStart<DepartmentAdapterOptions>(name).Bind(departmentsSection.GetSection(name));

            // Built once, on first use by the adapter singleton, from the options validated at start.
            services.AddResiliencePipeline(DepartmentResilience.PipelineName(department), (builder, context) =>
                DepartmentResilience.Configure(
                    builder,
                    department,
                    context.GetOptions<DepartmentAdapterOptions>(name),
                    context.ServiceProvider.GetRequiredService<TimeProvider>(),
                    context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger($"OneThing.Adapters.{department}")));

            services.AddSingleton<IDepartmentAdapter>(provider => CreateAdapter(department, provider));
        }

        services.AddHttpClient(MarketRegulationAdapter.HttpClientName)
            .ConfigureHttpClient((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptionsMonitor<DepartmentAdapterOptions>>().Get(Department.MarketRegulation.ToName());
                client.BaseAddress = options.Endpoint;
                // Polly's attempt and total timeouts govern; HttpClient's own 100 s default would only confuse.
                client.Timeout = Timeout.InfiniteTimeSpan;
            });

        return services;
    }

    private static IDepartmentAdapter CreateAdapter(Department department, IServiceProvider provider)
    {
        var name = department.ToName();
        var options = provider.GetRequiredService<IOptionsMonitor<DepartmentAdapterOptions>>().Get(name);
        var exchange = new DepartmentExchange(
            department,
            provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(DepartmentResilience.PipelineName(department)),
            options,
            provider.GetRequiredService<AdapterInstruments>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger($"OneThing.Adapters.{department}"));

        if (options.UsesGateway)
        {
            var gateway = new DepartmentGatewayService.DepartmentGatewayServiceClient(provider.GetRequiredService<DepartmentChannels>().For(department));
            return new GatewayAdapter(exchange, CatalogItems.Of(department), gateway);
        }

        var channels = provider.GetRequiredService<DepartmentChannels>();
        return department switch
        {
            Department.MarketRegulation => new MarketRegulationAdapter(exchange, provider.GetRequiredService<IHttpClientFactory>()),
            Department.Tax => new TaxAdapter(exchange, new TaxpayerInfoService.TaxpayerInfoServiceClient(channels.For(department))),
            Department.HumanResources => new HumanResourcesAdapter(
                exchange,
                new EmploymentService.EmploymentServiceClient(channels.For(department)),
                new MatterService.MatterServiceClient(channels.For(department))),
            Department.SocialInsurance => new SocialInsuranceAdapter(
                exchange,
                new FlexibleEmploymentService.FlexibleEmploymentServiceClient(channels.For(department)),
                new UnemploymentInsuranceService.UnemploymentInsuranceServiceClient(channels.For(department))),
            Department.SocialSecurityCard => new SocialSecurityCardAdapter(
                exchange, new CardApplicationService.CardApplicationServiceClient(channels.For(department))),
            _ => throw new ArgumentOutOfRangeException(nameof(department), department, "unknown department"),
        };
    }
}
