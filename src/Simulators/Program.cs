using System.Globalization;
using System.Runtime.InteropServices;
using OneThing.Simulators;

// Runs all five department simulators and the control API on fixed loopback ports until Ctrl+C.
// Optional arguments: --seed N, --population N, --completion-delay-ms N, --host ADDRESS,
// --hub-callback URL (the hub's gRPC address; departments then push results to its DepartmentCallbackService),
// --callback-keys FILE (a JSON file in the hub's own configuration format, {"Security":{"Callbacks":{"tax":
// {"Keys":{"tax-1":"<base64>"},"ActiveKey":"tax-1"},...}}}: each department signs with its active key, so a
// hub given the same file accepts the callbacks; without it every department gets a random key for the run).
var options = new SimulatorOptions
{
    MarketRegulationPort = 5101,
    TaxPort = 5102,
    HumanResourcesPort = 5103,
    SocialInsurancePort = 5104,
    SocialSecurityCardPort = 5105,
    MessagingPort = 5106,
    ControlPort = 5109,
};
for (var i = 0; i < args.Length; i += 2)
{
    if (i + 1 == args.Length)
    {
        Console.Error.WriteLine($"Argument {args[i]} needs a value.");
        return 2;
    }

    var value = args[i + 1];
    switch (args[i])
    {
        case "--seed":
            options.Seed = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--population":
            options.PopulationSize = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--completion-delay-ms":
            options.CompletionDelay = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--host":
            options.Host = value;
            break;
        case "--hub-callback":
            if (!Uri.TryCreate(value, UriKind.Absolute, out var hub))
            {
                Console.Error.WriteLine($"--hub-callback needs an absolute URL such as http://127.0.0.1:5100, not {value}.");
                return 2;
            }

            options.HubCallbackAddress = hub;
            break;
        case "--callback-keys":
            try
            {
                options.CallbackKeys = ReadCallbackKeys(value);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--callback-keys {value}: {e.Message}");
                return 2;
            }

            break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Known: --seed, --population, --completion-delay-ms, --host, --hub-callback, --callback-keys.");
            return 2;
    }
}

// Ctrl+C and SIGTERM end the wait below instead of the process, so the hosts stop gracefully.
using var shutdown = new CancellationTokenSource();
void RequestStop(PosixSignalContext signal)
{
    signal.Cancel = true;
    shutdown.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

await using var cluster = await SimulatorCluster.StartAsync(options);
Console.WriteLine($"OneThing department simulators: population {cluster.Population.People.Count}, seed {options.Seed}, today {cluster.Population.Today:yyyy-MM-dd}");
foreach (var department in cluster.All)
{
    var api = department == cluster.MarketRegulation ? "REST/JSON, HTTP/1.1" : "gRPC, h2c";
    Console.WriteLine($"  {department.Name,-22} {department.Endpoint.ToString().TrimEnd('/'),-24} {api}");
}

Console.WriteLine($"  {"control API",-22} {cluster.ControlUri.ToString().TrimEnd('/'),-24} HTTP/1.1 JSON");
Console.WriteLine(cluster.HubCallbackAddress is { } callbackTo ? $"  callbacks to the hub at {callbackTo}" : "  callbacks off (--hub-callback URL turns them on)");
Console.WriteLine("Press Ctrl+C to stop.");

try
{
    await Task.Delay(Timeout.Infinite, shutdown.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C or SIGTERM: fall through to a graceful stop.
}

await cluster.StopAsync();
Console.WriteLine("Stopped.");
return 0;

// The active key of each department in a file of the hub's configuration format (Security:Callbacks).
static Dictionary<string, OneThing.Hub.CallbackSigning.CallbackKey> ReadCallbackKeys(string path)
{
    var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build();
    var keys = new Dictionary<string, OneThing.Hub.CallbackSigning.CallbackKey>(StringComparer.Ordinal);
    foreach (var department in configuration.GetSection("Security:Callbacks").GetChildren().Where(d => d.GetSection("Keys").Exists()))
    {
        var listed = department.GetSection("Keys").GetChildren().ToList();
        var active = department["ActiveKey"] ?? (listed.Count == 1 ? listed[0].Key : throw new InvalidDataException($"{department.Key} lists several keys but no ActiveKey."));
        var secret = department.GetSection("Keys")[active] ?? throw new InvalidDataException($"{department.Key}: ActiveKey {active} is not among its Keys.");
        var algorithm = OneThing.Hub.CallbackSigning.CallbackSignatureAlgorithm.HmacSm3;
        if (department["Algorithm"] is { Length: > 0 } name && !OneThing.Hub.CallbackSigning.CallbackSignature.TryParseAlgorithm(name, out algorithm))
        {
            throw new InvalidDataException($"{department.Key}: unknown Algorithm {name}.");
        }

        keys[department.Key] = new OneThing.Hub.CallbackSigning.CallbackKey(active, Convert.FromBase64String(secret), algorithm);
    }

    return keys;
}
