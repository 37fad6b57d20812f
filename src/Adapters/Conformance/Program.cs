using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using OneThing.Adapters;
using OneThing.Adapters.Conformance;
using OneThing.Simulators;

// The conformance suite's command line: starts the department's simulator, builds the adapter under
// test (the bundled one, or GatewayAdapter in front of an out-of-process gateway), runs the suite and
// prints one line per check. Exit code 0 when every check passed, 1 when one failed, 2 on bad usage.
Console.OutputEncoding = Encoding.UTF8;

const string Usage = """
    Usage: dotnet run --project src/Adapters/Conformance -- --department NAME (--bundled | --gateway URL) [options]

      --department NAME          market-regulation | tax | human-resources | social-insurance | social-security-card
                                 (with --bundled also: all)
      --bundled                  test the bundled in-process adapter of the department
      --gateway URL              test an out-of-process adapter implementing onething.gateway.v1.DepartmentGatewayService
                                 at URL (h2c), reached through the hub's GatewayAdapter
      --simulator-port N         the port of the department's simulator, where your gateway must send the department's
                                 native calls (default with --gateway: the sandbox's port, 5101..5105; with --bundled: any free port)
      --completion-delay-ms N    how long the simulator takes to decide an accepted case (default 500)
      --verbose                  also print what happened under each passed check
    """;

string? departmentName = null;
Uri? gateway = null;
var bundled = false;
var verbose = false;
int? simulatorPort = null;
var completionDelay = TimeSpan.FromMilliseconds(500);
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--department":
                departmentName = Value();
                break;
            case "--bundled":
                bundled = true;
                break;
            case "--verbose":
                verbose = true;
                break;
            case "--gateway":
                var text = Value();
                gateway = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri
                    : throw new ArgumentException($"--gateway needs an absolute http URL such as http://127.0.0.1:7070, not '{text}'.");
                break;
            case "--simulator-port":
                simulatorPort = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                    ? port
                    : throw new ArgumentException("--simulator-port needs a port within 0..65535.");
                break;
            case "--completion-delay-ms":
                completionDelay = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                    ? TimeSpan.FromMilliseconds(ms)
                    : throw new ArgumentException("--completion-delay-ms needs a whole number of milliseconds.");
                break;
            case "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
    catch (ArgumentException exception)
    {
        Console.Error.WriteLine(exception.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

if (departmentName is null || bundled == (gateway is not null))
{
    Console.Error.WriteLine("Give --department and exactly one of --bundled and --gateway URL.");
    Console.Error.WriteLine(Usage);
    return 2;
}

List<Department> departments;
if (bundled && string.Equals(departmentName, "all", StringComparison.OrdinalIgnoreCase))
{
    departments = [.. Enum.GetValues<Department>()];
}
else if (DepartmentNames.TryParse(departmentName, out var single))
{
    departments = [single];
}
else
{
    Console.Error.WriteLine($"Unknown department '{departmentName}'. Known: {string.Join(", ", Enum.GetValues<Department>().Select(d => d.ToName()))}.");
    return 2;
}

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});

var options = new SimulatorOptions
{
    CompletionDelay = completionDelay,
    PopulationSize = 300,
    // Quiet: the report is the output.
    ConfigureLogging = _ => { },
};
if (departments.Count == 1)
{
    var port = simulatorPort ?? (gateway is null ? 0 : SandboxPort(departments[0]));
    switch (departments[0])
    {
        case Department.MarketRegulation: options.MarketRegulationPort = port; break;
        case Department.Tax: options.TaxPort = port; break;
        case Department.HumanResources: options.HumanResourcesPort = port; break;
        case Department.SocialInsurance: options.SocialInsurancePort = port; break;
        case Department.SocialSecurityCard: options.SocialSecurityCardPort = port; break;
    }
}

SimulatorCluster simulators;
try
{
    simulators = await SimulatorCluster.StartAsync(options, stop.Token);
}
catch (IOException exception)
{
    Console.Error.WriteLine($"Could not start the simulators: {exception.Message} (is the port taken, e.g. by a running sandbox? choose another with --simulator-port).");
    return 1;
}

await using (simulators)
{
    if (gateway is not null)
    {
        var department = departments[0];
        Console.WriteLine($"The {department.ToName()} simulator listens on {simulators[department.ToName()].Endpoint}; the gateway at {gateway} must send the department's native calls there.");
        if (!await ReachableAsync(gateway, stop.Token))
        {
            Console.Error.WriteLine(department == Department.SocialSecurityCard
                ? $"Nothing listens at {gateway}: start the gateway first (e.g. PORT={gateway.Port} SSCARD_ENDPOINT={simulators[department.ToName()].Endpoint.Authority} node examples/node-gateway-adapter/server.js)."
                : $"Nothing listens at {gateway}: start the gateway first, sending the department's native calls to {simulators[department.ToName()].Endpoint}.");
            return 1;
        }
    }

    var passed = true;
    foreach (var department in departments)
    {
        await using var adapter = gateway is null
            ? AdapterUnderTest.Bundled(simulators, department)
            : AdapterUnderTest.Gateway(simulators, department, gateway);
        var report = await ConformanceSuite.RunAsync(adapter, simulators, stop.Token);
        Console.WriteLine(report.ToText(verbose));
        Console.WriteLine();
        passed &= report.Passed;
    }

    return passed ? 0 : 1;
}

static int SandboxPort(Department department) => department switch
{
    Department.MarketRegulation => 5101,
    Department.Tax => 5102,
    Department.HumanResources => 5103,
    Department.SocialInsurance => 5104,
    _ => 5105,
};

static async Task<bool> ReachableAsync(Uri endpoint, CancellationToken cancellationToken)
{
    // A few tries: a gateway started just before the suite may still be binding its port.
    for (var attempt = 0; attempt < 10; attempt++)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    return false;
}
