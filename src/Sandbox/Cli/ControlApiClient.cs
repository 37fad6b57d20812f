using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneThing.Simulators;

namespace OneThing.Sandbox.Cli;

/// <summary>The simulators' control API (HTTP/JSON): prepared people, faults and what each department received.</summary>
internal sealed class ControlApiClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public ControlApiClient(Uri address)
    {
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The control API's address.</summary>
    public Uri Address { get; }

    /// <summary>Today in China by the simulators' clock (the sandbox's, when it runs on another day).</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken)
    {
        var clock = await SendAsync<ClockView>(new HttpRequestMessage(HttpMethod.Get, "clock"), cancellationToken);
        return DateOnly.ParseExact(clock.TodayInChina, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<ScenarioPeople> ScenariosAsync(CancellationToken cancellationToken) =>
        SendAsync<ScenarioPeople>(new HttpRequestMessage(HttpMethod.Get, "population/scenarios"), cancellationToken);

    public Task<SimulatedPerson> PersonAsync(string idNumber, CancellationToken cancellationToken) =>
        SendAsync<SimulatedPerson>(new HttpRequestMessage(HttpMethod.Get, "population/people/" + Uri.EscapeDataString(idNumber)), cancellationToken);

    public Task<DepartmentInfo[]> DepartmentsAsync(CancellationToken cancellationToken) =>
        SendAsync<DepartmentInfo[]>(new HttpRequestMessage(HttpMethod.Get, "departments"), cancellationToken);

    public Task<DepartmentInfo> DepartmentAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<DepartmentInfo>(new HttpRequestMessage(HttpMethod.Get, "departments/" + name), cancellationToken);

    public Task<FaultSettings> SetFaultsAsync(string name, FaultsChange change, CancellationToken cancellationToken) =>
        SendAsync<FaultSettings>(
            new HttpRequestMessage(HttpMethod.Put, $"departments/{name}/faults") { Content = JsonContent.Create(change, options: Json) },
            cancellationToken);

    public Task<FaultSettings> ClearFaultsAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<FaultSettings>(new HttpRequestMessage(HttpMethod.Delete, $"departments/{name}/faults"), cancellationToken);

    public Task<ReceivedRequest[]> ReceivedAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<ReceivedRequest[]>(new HttpRequestMessage(HttpMethod.Get, $"departments/{name}/received"), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(e.Message);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unreachable("no answer within 30 s");
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    ControlError? error = null;
                    try
                    {
                        error = await response.Content.ReadFromJsonAsync<ControlError>(Json, cancellationToken);
                    }
                    catch (JsonException)
                    {
                        // Not the control API's error shape; the status code alone is reported.
                    }

                    throw new ControlApiException(
                        (int)response.StatusCode,
                        error?.Error ?? "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                        error?.Message ?? response.ReasonPhrase ?? string.Empty);
                }

                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                    ?? throw new ControlApiException((int)response.StatusCode, "empty_answer", $"{request.RequestUri} returned nothing");
            }
        }
    }

    private CliException Unreachable(string why) => new(
        ExitCodes.Unreachable,
        $"Cannot reach the simulators' control API at {Address} ({why}). Is the sandbox running? Start it in another terminal: dotnet run --project src/Sandbox");

    private sealed record ControlError(string? Error, string? Message);
}

/// <summary>A department as the control API shows it.</summary>
internal sealed record DepartmentInfo(string Name, string Endpoint, long CompletionDelayMs, FaultSettings Faults, DepartmentStats Stats);

/// <summary>A department's injected faults.</summary>
internal sealed record FaultSettings(
    double LatencyMs,
    double ErrorRate,
    bool Outage,
    string? OutageUntil,
    double CallbackDelayMs,
    bool CallbacksOff,
    bool DuplicateCallbacks,
    bool OutOfOrderCallbacks,
    bool EarlyCallbacks);

/// <summary>A department's counters.</summary>
internal sealed record DepartmentStats(int Received, int Replays, int Duplicates, int Cases, int Faulted, int CallbacksSent);

/// <summary>A change of faults; only the values given change.</summary>
internal sealed record FaultsChange(
    double? LatencyMs = null,
    double? ErrorRate = null,
    double? OutageSeconds = null,
    bool? Outage = null,
    double? CallbackDelayMs = null,
    bool? CallbacksOff = null,
    bool? DuplicateCallbacks = null,
    bool? OutOfOrderCallbacks = null,
    bool? EarlyCallbacks = null);

/// <summary>The control API's clock.</summary>
internal sealed record ClockView(DateTimeOffset Now, string TodayInChina);
