using OneThing.Hub.Hosting;
using OneThing.Simulators;
using OneThing.WebConsole;

namespace OneThing.Sandbox;

/// <summary>Runs the hub with its embedded SQLite database and all five simulators on loopback.</summary>
public static class SandboxRunner
{
    /// <summary>The hub's gRPC address in the sandbox.</summary>
    public const string HubUrl = "http://127.0.0.1:5100";

    /// <summary>The web console's address in the sandbox.</summary>
    public const string WebConsoleUrl = "http://127.0.0.1:5110";

    /// <summary>Reads <c>--today</c>: null for the real clock.</summary>
    /// <exception cref="ArgumentException">Not a yyyy-MM-dd date.</exception>
    public static DateOnly? ParseToday(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
                ? day
                : throw new ArgumentException($"--today wants a date as yyyy-MM-dd, not '{text}'.", nameof(text));

    /// <summary>Starts everything and runs until Ctrl+C; with <paramref name="today"/>, on a clock moved to that day.</summary>
    public static async Task<int> RunAsync(string[] args, DateOnly? today = null)
    {
        var time = today is { } day ? new SandboxClock(day, TimeProvider.System) : TimeProvider.System;
        await using var simulators = await SimulatorCluster.StartAsync(new SimulatorOptions
        {
            TimeProvider = time,
            MarketRegulationPort = 5101,
            TaxPort = 5102,
            HumanResourcesPort = 5103,
            SocialInsurancePort = 5104,
            SocialSecurityCardPort = 5105,
            MessagingPort = 5106,
            ControlPort = 5109,
            CompletionDelay = TimeSpan.FromSeconds(2),
        });

        var app = HubHost.Build(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(HubSettings(simulators, HubUrl, "Data Source=data/onething.db"));
            builder.Services.AddSingleton(time);
        });
        await app.StartAsync();

        // Departments push their results to the hub as they decide (reconciliation polls catch the rest).
        simulators.HubCallbackAddress = new Uri(HubUrl);

        // The web console for window clerks and operators, a client of the hub like any other.
        var webConsole = WebConsoleHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(WebConsoleSettings(HubUrl, WebConsoleUrl));
            builder.Services.AddSingleton(time);
            builder.Services.AddSingleton<OneThing.WebConsole.IHubTokenSource>(new SandboxConsoleTokens(simulators.Identity));
        });
        await webConsole.StartAsync();

        Console.WriteLine();
        Console.WriteLine("OneThing sandbox is running (Ctrl+C stops it).");
        Console.WriteLine($"  hub (gRPC, reflection on)     {HubUrl}");
        foreach (var department in simulators.All)
        {
            Console.WriteLine($"  {department.Name,-28}  {department.Endpoint}");
        }

        Console.WriteLine($"  SMS gateway, message centre   {simulators.Messaging.Endpoint}");
        Console.WriteLine($"  simulator control API         {simulators.ControlUri}");
        Console.WriteLine($"  web console (clerks, ops)     {WebConsoleUrl}");
        Console.WriteLine($"  database                      {Path.GetFullPath("data/onething.db")}");
        if (today is not null)
        {
            Console.WriteLine($"  clock                         moved to {time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} China time (--today)");
        }

        Console.WriteLine();
        Console.WriteLine("Submit a sample application:  dotnet run --project src/Sandbox -- submit --sample luoyang --watch");
        Console.WriteLine();

        await app.WaitForShutdownAsync();
        await webConsole.StopAsync();
        await webConsole.DisposeAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>The web console's configuration: where the hub is and where the console listens.</summary>
    public static Dictionary<string, string?> WebConsoleSettings(string hubUrl, string consoleUrl) => new()
    {
        ["Hub:Address"] = hubUrl,
        ["Kestrel:Endpoints:Http:Url"] = consoleUrl,
        ["Logging:LogLevel:Default"] = "Warning",
        // Antiforgery keys live in memory or the user profile; the console keeps no secrets worth a warning at each start.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>The hub configuration that points the adapters at the simulators.</summary>
    public static Dictionary<string, string?> HubSettings(SimulatorCluster simulators, string hubUrl, string connectionString) => WithIdentity(simulators, SandboxCallbackKeys.Merge(simulators, SandboxPersonalDataKeys.Merge(connectionString, new()
    {
        // One cleartext port for gRPC (HTTP/2 with prior knowledge) and HTTP/JSON, OpenAPI and its page
        // (HTTP/1.1, as curl and browsers speak it); see CleartextProtocolNegotiation in the hub.
        ["Kestrel:EndpointDefaults:Protocols"] = "Http1AndHttp2",
        ["Kestrel:Endpoints:Grpc:Url"] = hubUrl,
        ["Database:Provider"] = "sqlite",
        ["Database:ConnectionString"] = connectionString,
        ["Dispatch:ReconciliationInterval"] = "00:00:01",
        ["Dispatch:RetryBaseDelay"] = "00:00:01",
        ["Dispatch:RetryMaxDelay"] = "00:00:30",
        ["Departments:market-regulation:Endpoint"] = simulators.MarketRegulation.Endpoint.ToString(),
        ["Departments:tax:Endpoint"] = simulators.Tax.Endpoint.ToString(),
        ["Departments:human-resources:Endpoint"] = simulators.HumanResources.Endpoint.ToString(),
        ["Departments:social-insurance:Endpoint"] = simulators.SocialInsurance.Endpoint.ToString(),
        ["Departments:social-security-card:Endpoint"] = simulators.SocialSecurityCard.Endpoint.ToString(),
        ["Notifications:Sms:Endpoint"] = simulators.Messaging.Endpoint.ToString(),
        ["Notifications:InApp:Endpoint"] = simulators.Messaging.Endpoint.ToString(),
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    })));

    // The hub trusts the simulated identity platform (a development issuer, announced at start).
    private static Dictionary<string, string?> WithIdentity(SimulatorCluster simulators, Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in simulators.Identity.HubSettings())
        {
            settings[key] = value;
        }

        return settings;
    }
}
