using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OneThing.Simulators.Internal.Market;

namespace OneThing.Simulators.Internal.Control;

/// <summary>
/// The testers' control API (HTTP/1.1 JSON): statistics and received calls per department, faults,
/// completion delays, resets, and the synthetic population. Not part of any department's API.
/// </summary>
internal static class ControlApi
{
    private const int MaxPageSize = 1000;

    // Lists are plain JSON arrays (easy with curl and jq); the size of the whole list travels in this header.
    private const string TotalCountHeader = "X-Total-Count";

    public static WebApplication Build(
        SimulatorOptions options, int port, IReadOnlyList<DepartmentSimulator> departments, SyntheticPopulation population, IdentityPlatformSimulator identity)
    {
        var builder = SimulatorHost.CreateBuilder(options, port, HttpProtocols.Http1);
        builder.Services.AddRouting();
        var app = builder.Build();
        var timeProvider = options.TimeProvider;

        app.MapGet("/departments", () => Ok(departments.Select(View).ToArray()));

        // The simulators' clock (in the sandbox, the hub's too): clients build dated forms on it.
        app.MapGet("/clock", () => Ok(new ClockView(timeProvider.GetUtcNow(), ChinaTime.IsoDate(ChinaTime.Today(timeProvider)))));

        app.MapGet("/departments/{name}", (string name) =>
            WithDepartment(departments, name, department => Ok(View(department))));

        app.MapGet("/departments/{name}/stats", (string name) =>
            WithDepartment(departments, name, department => Ok(Stats(department))));

        app.MapGet("/departments/{name}/received", (string name, HttpContext http) =>
            WithDepartment(departments, name, department =>
            {
                if (!TryPage(http, defaultTake: int.MaxValue, maxTake: int.MaxValue, out var skip, out var take, out var problem))
                {
                    return problem;
                }

                var received = department.Received;
                http.Response.Headers[TotalCountHeader] = received.Count.ToString(CultureInfo.InvariantCulture);
                return Ok(received.Skip(skip).Take(take).ToArray());
            }));

        app.MapGet("/departments/{name}/faults", (string name) =>
            WithDepartment(departments, name, department => Ok(Faults(department.Faults))));

        app.MapPut("/departments/{name}/faults", async (string name, HttpContext http) =>
        {
            var update = await ReadBodyAsync<FaultsUpdate>(http).ConfigureAwait(false);
            return WithDepartment(departments, name, department =>
            {
                if (update is null)
                {
                    return BadRequest("bad_request", "The body must be JSON such as {\"latencyMs\":200,\"errorRate\":0.1,\"outageSeconds\":30,\"outage\":false,\"callbackDelayMs\":5000,\"callbacksOff\":false,\"duplicateCallbacks\":true,\"outOfOrderCallbacks\":false,\"earlyCallbacks\":false}.");
                }

                if (update.ErrorRate is { } rate && (double.IsNaN(rate) || rate < 0 || rate > 1))
                {
                    return BadRequest("invalid_error_rate", $"errorRate must lie within 0..1 (got {rate.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (update.LatencyMs is < 0 || update.LatencyMs > TimeSpan.FromDays(1).TotalMilliseconds)
                {
                    return BadRequest("invalid_latency", "latencyMs must lie within 0..86400000.");
                }

                if (update.CallbackDelayMs is < 0 || update.CallbackDelayMs > TimeSpan.FromDays(1).TotalMilliseconds)
                {
                    return BadRequest("invalid_callback_delay", "callbackDelayMs must lie within 0..86400000.");
                }

                if (update.OutageSeconds is < 0 || update.OutageSeconds > TimeSpan.FromDays(365).TotalSeconds)
                {
                    return BadRequest("invalid_outage_seconds", "outageSeconds must lie within 0..31536000.");
                }

                // Only the fields given change; the others keep their current setting.
                var faults = department.Faults;
                if (update.LatencyMs is { } latency)
                {
                    faults.Latency = TimeSpan.FromMilliseconds(latency);
                }

                if (update.ErrorRate is { } errorRate)
                {
                    faults.ErrorRate = errorRate;
                }

                if (update.OutageSeconds is { } seconds)
                {
                    faults.OutageUntil = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(seconds);
                }

                if (update.Outage is { } outage)
                {
                    faults.Outage = outage;
                }

                if (update.CallbackDelayMs is { } callbackDelay)
                {
                    faults.CallbackDelay = TimeSpan.FromMilliseconds(callbackDelay);
                }

                faults.CallbacksOff = update.CallbacksOff ?? faults.CallbacksOff;
                faults.DuplicateCallbacks = update.DuplicateCallbacks ?? faults.DuplicateCallbacks;
                faults.OutOfOrderCallbacks = update.OutOfOrderCallbacks ?? faults.OutOfOrderCallbacks;
                faults.EarlyCallbacks = update.EarlyCallbacks ?? faults.EarlyCallbacks;

                return Ok(Faults(faults));
            });
        });

        app.MapDelete("/departments/{name}/faults", (string name) =>
            WithDepartment(departments, name, department =>
            {
                department.Faults.Clear();
                return Ok(Faults(department.Faults));
            }));

        app.MapPut("/departments/{name}/completion-delay", async (string name, HttpContext http) =>
        {
            var update = await ReadBodyAsync<CompletionDelayUpdate>(http).ConfigureAwait(false);
            return WithDepartment(departments, name, department =>
            {
                if (update?.Milliseconds is not { } milliseconds || milliseconds < 0 || milliseconds > TimeSpan.FromDays(365).TotalMilliseconds)
                {
                    return BadRequest("invalid_completion_delay", "The body must be {\"milliseconds\": N} with N within 0..31536000000.");
                }

                department.CompletionDelay = TimeSpan.FromMilliseconds(milliseconds);
                return Ok(View(department));
            });
        });

        app.MapPost("/departments/{name}/reset", (string name) =>
            WithDepartment(departments, name, department =>
            {
                department.Reset();
                return Ok(View(department));
            }));

        app.MapGet("/population/scenarios", () => Ok(population.Scenarios));

        app.MapGet("/population/people", (HttpContext http) =>
        {
            if (!TryPage(http, defaultTake: 20, maxTake: MaxPageSize, out var skip, out var take, out var problem))
            {
                return problem;
            }

            http.Response.Headers[TotalCountHeader] = population.People.Count.ToString(CultureInfo.InvariantCulture);
            return Ok(population.People.Skip(skip).Take(take).ToArray());
        });

        // The development identity issuer: testers and the CLI get tokens here (sandbox only).
        app.MapPost("/identity/tokens", async (HttpContext http) =>
        {
            var request = await ReadBodyAsync<TokenRequestView>(http).ConfigureAwait(false);
            if (request is null || !IdentityPlatformSimulator.TryParseRole(request.Role, out var role))
            {
                return BadRequest("invalid_role", "role must be one of applicant, clerk, department, operator.");
            }

            string? Missing(string? value, string name) => string.IsNullOrWhiteSpace(value) ? name : null;
            var missing = role switch
            {
                TokenRole.Applicant => Missing(request.IdNumber, "idNumber"),
                TokenRole.Clerk => Missing(request.Subject, "subject") ?? Missing(request.ServiceCentre, "serviceCentre"),
                TokenRole.Department => Missing(request.Department, "department"),
                _ => Missing(request.Subject, "subject"),
            };
            if (missing is not null)
            {
                return BadRequest("missing_claim", $"a {request.Role} token needs {missing}.");
            }

            var token = role switch
            {
                TokenRole.Applicant => identity.Applicant(request.IdNumber!, request.Name),
                TokenRole.Clerk => identity.Clerk(request.Subject!, request.ServiceCentre!),
                TokenRole.Department => identity.Department(request.Department!),
                _ => identity.Operator(request.Subject!),
            };
            return Ok(new TokenView(token, "Bearer"));
        });

        app.MapGet("/population/people/{idNumber}", (string idNumber) =>
            population.FindByIdNumber(idNumber) is { } person
                ? Ok(person)
                : Json(new ControlError("unknown_person", $"No person with ID number '{idNumber}'."), StatusCodes.Status404NotFound));

        app.MapFallback(() => Json(
            new ControlError("not_found", "Unknown path. See GET /departments, /departments/{name}/stats|received|faults|completion-delay|reset, /population/scenarios, /population/people."),
            StatusCodes.Status404NotFound));
        return app;
    }

    private static IResult WithDepartment(IReadOnlyList<DepartmentSimulator> departments, string name, Func<DepartmentSimulator, IResult> action)
    {
        var department = departments.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        return department is null
            ? Json(
                new ControlError("unknown_department", $"No department named '{name}'. Known: {string.Join(", ", departments.Select(d => d.Name))}."),
                StatusCodes.Status404NotFound)
            : action(department);
    }

    private static bool TryPage(HttpContext http, int defaultTake, int maxTake, out int skip, out int take, out IResult problem)
    {
        skip = 0;
        take = defaultTake;
        problem = Results.Empty;
        var query = http.Request.Query;
        if (query.TryGetValue("skip", out var skipText)
            && (!int.TryParse(skipText, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            problem = BadRequest("invalid_skip", "skip must be a whole number of 0 or more.");
            return false;
        }

        if (query.TryGetValue("take", out var takeText)
            && (!int.TryParse(takeText, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > maxTake))
        {
            problem = BadRequest("invalid_take", $"take must be a whole number within 1..{maxTake}.");
            return false;
        }

        return true;
    }

    private static async Task<T?> ReadBodyAsync<T>(HttpContext http)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, MarketRegulationApi.Json, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DepartmentView View(DepartmentSimulator department) => new(
        department.Name,
        department.Endpoint.ToString().TrimEnd('/'),
        (long)department.CompletionDelay.TotalMilliseconds,
        Faults(department.Faults),
        Stats(department));

    private static StatsView Stats(DepartmentSimulator department) =>
        new(department.ReceivedCount, department.ReplayCount, department.DuplicateCount, department.CaseCount, department.FaultedCount, department.CallbacksSent);

    private static FaultsView Faults(DepartmentFaults faults)
    {
        var (latency, errorRate, outageUntil, outage) = faults.Snapshot();
        var callbacks = faults.CallbackSnapshot();
        return new FaultsView(
            latency.TotalMilliseconds,
            errorRate,
            outage,
            outageUntil is { } until ? ChinaTime.Iso(until) : null,
            callbacks.Delay.TotalMilliseconds,
            callbacks.Off,
            callbacks.Duplicate,
            callbacks.OutOfOrder,
            callbacks.Early);
    }

    private static IResult Ok(object body) => Json(body, StatusCodes.Status200OK);

    private static IResult BadRequest(string error, string message) =>
        Json(new ControlError(error, message), StatusCodes.Status400BadRequest);

    private static IResult Json(object body, int statusCode) =>
        Results.Json(body, MarketRegulationApi.Json, "application/json; charset=utf-8", statusCode);

    private sealed record FaultsUpdate(
        double? LatencyMs,
        double? ErrorRate,
        double? OutageSeconds,
        bool? Outage,
        double? CallbackDelayMs = null,
        bool? CallbacksOff = null,
        bool? DuplicateCallbacks = null,
        bool? OutOfOrderCallbacks = null,
        bool? EarlyCallbacks = null);

    private sealed record CompletionDelayUpdate(double? Milliseconds);

    private sealed record DepartmentView(string Name, string Endpoint, long CompletionDelayMs, FaultsView Faults, StatsView Stats);

    private sealed record StatsView(int Received, int Replays, int Duplicates, int Cases, int Faulted, int CallbacksSent);

    private sealed record FaultsView(
        double LatencyMs,
        double ErrorRate,
        bool Outage,
        string? OutageUntil,
        double CallbackDelayMs,
        bool CallbacksOff,
        bool DuplicateCallbacks,
        bool OutOfOrderCallbacks,
        bool EarlyCallbacks);

    private sealed record ControlError(string Error, string Message);

    private sealed record TokenRequestView(string? Role, string? Subject, string? IdNumber, string? Name, string? ServiceCentre, string? Department);

    private sealed record TokenView(string AccessToken, string TokenType);
}

/// <summary>The simulators' clock: now, and today in China.</summary>
internal sealed record ClockView(DateTimeOffset Now, string TodayInChina);
