using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OneThing.Hub.Grpc;

namespace OneThing.Hub.Hosting;

/// <summary>
/// The hub's limits (section <c>Limits</c>): the size of one message, the length of every string and
/// the number of entries of every list or map in a request, and the rate of calls per caller.
/// </summary>
public sealed class HubLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Limits";

    /// <summary>
    /// The largest request message in bytes (<c>Limits:MaxMessageBytes</c>, 4 MiB): a gRPC message, or
    /// an HTTP/JSON request body. Material uploads keep their own per-chunk and per-file limits.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The longest string any request field may hold, in characters (<c>Limits:MaxStringLength</c>,
    /// 2000). Fields with a lower limit of their own (names, addresses, reasons) are checked against it
    /// where the request is validated.
    /// </summary>
    public int MaxStringLength { get; set; } = 2000;

    /// <summary>The longest key of a map field (form fields, answers, results), in characters (<c>Limits:MaxKeyLength</c>, 100).</summary>
    public int MaxKeyLength { get; set; } = 100;

    /// <summary>The most entries a list or map field may hold (<c>Limits:MaxEntries</c>, 200).</summary>
    public int MaxEntries { get; set; } = 200;

    /// <summary>The rate limits per caller (<c>Limits:RateLimit</c>).</summary>
    public CallerRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>What is wrong with these options; empty when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxMessageBytes < 64 * 1024)
        {
            yield return "Limits:MaxMessageBytes must be at least 65536 (64 KiB)";
        }

        if (MaxStringLength < 100)
        {
            yield return "Limits:MaxStringLength must be at least 100";
        }

        if (MaxKeyLength < 20)
        {
            yield return "Limits:MaxKeyLength must be at least 20";
        }

        if (MaxEntries < 10)
        {
            yield return "Limits:MaxEntries must be at least 10";
        }

        foreach (var problem in RateLimit.Problems())
        {
            yield return problem;
        }
    }
}

/// <summary>
/// Rate limits per caller: a token bucket per authenticated subject (claim <c>sub</c>) with the budget
/// of its most generous role, or per peer IP address for anonymous calls. A call over the budget is
/// refused at once (no queue) with the delay after which it may be retried.
/// </summary>
public sealed class CallerRateLimitOptions
{
    /// <summary>Whether calls are rate limited at all (<c>Limits:RateLimit:Enabled</c>, true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The budget of each anonymous peer IP address (<c>Limits:RateLimit:Anonymous</c>, 1000/s, burst 2000).</summary>
    public RateBudget Anonymous { get; set; } = new() { PermitsPerSecond = 1000, Burst = 2000 };

    /// <summary>The budget of an authenticated caller whose roles have none of their own (<c>Limits:RateLimit:Authenticated</c>, 500/s, burst 1000).</summary>
    public RateBudget Authenticated { get; set; } = new() { PermitsPerSecond = 500, Burst = 1000 };

    /// <summary>
    /// Budgets by role (<c>Limits:RateLimit:Roles:{role}</c>): a caller gets the most generous budget of its
    /// roles. By default departments (callbacks, polls) and operators get more.
    /// </summary>
    public Dictionary<string, RateBudget> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["department"] = new() { PermitsPerSecond = 1000, Burst = 2000 },
        ["operator"] = new() { PermitsPerSecond = 1000, Burst = 2000 },
    };

    /// <summary>What is wrong with these options; empty when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        var budgets = new[] { ("Anonymous", Anonymous), ("Authenticated", Authenticated) }
            .Concat(Roles.Select(r => ($"Roles:{r.Key}", r.Value)));
        foreach (var (name, budget) in budgets)
        {
            if (budget is null || !(budget.PermitsPerSecond > 0) || budget.PermitsPerSecond > 1_000_000)
            {
                yield return $"Limits:RateLimit:{name}:PermitsPerSecond must be above 0 and at most 1000000";
            }
            else if (budget.Burst < 1)
            {
                yield return $"Limits:RateLimit:{name}:Burst must be at least 1";
            }
        }
    }
}

/// <summary>A caller's budget: tokens refilled at <see cref="PermitsPerSecond"/>, at most <see cref="Burst"/> saved up.</summary>
public sealed class RateBudget
{
    /// <summary>Calls per second on average (refilled every 100 ms; below 10/s one token at a time).</summary>
    public double PermitsPerSecond { get; set; }

    /// <summary>The most calls in a burst (the bucket's size).</summary>
    public int Burst { get; set; }
}

/// <summary>The stable reasons (google.rpc.ErrorInfo.reason) of the limits' errors.</summary>
public static class LimitReasons
{
    /// <summary>The caller sent more calls than its budget allows; retry after the RetryInfo delay.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>A request message or body is larger than <see cref="HubLimitsOptions.MaxMessageBytes"/>.</summary>
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
}

/// <summary>Registers and places the hub's limits.</summary>
public static class HubLimitsExtensions
{
    /// <summary>
    /// Registers the limits (section <c>Limits</c>): the gRPC message size, the request field limits
    /// (an interceptor) and the rate limiter per caller.
    /// </summary>
    public static IServiceCollection AddHubLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubLimitsOptions>()
            .Bind(configuration.GetSection(HubLimitsOptions.Section))
            .Validate(o => !o.Problems().Any(), "Limits options are invalid: check Limits:* (see HubLimitsOptions.Problems)")
            .ValidateOnStart();

        // PostConfigure: after AddGrpc's own set-up wherever this line stands, so the configured size wins
        // and the field check runs inside the error mapping (its refusal becomes INVALID_ARGUMENT).
        services.AddOptions<GrpcServiceOptions>().PostConfigure<IOptions<HubLimitsOptions>>((grpc, limits) =>
        {
            grpc.MaxReceiveMessageSize = limits.Value.MaxMessageBytes;
            grpc.Interceptors.Add<RequestFieldLimitsInterceptor>();
        });
        services.AddHubRateLimiting();
        return services;
    }

    /// <summary>
    /// Adds the limits to the pipeline: the rate limiter per caller, then the HTTP/JSON body size and the
    /// clear error for an oversized gRPC message. Must come after authentication (the caller's identity
    /// chooses its budget) and should come before authorization, so that floods of refused calls are
    /// limited as well.
    /// </summary>
    public static IApplicationBuilder UseHubLimits(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HubLimitsOptions>>().Value;
        if (options.RateLimit.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseMiddleware<MessageSizeMiddleware>();
        return app;
    }
}

/// <summary>
/// Keeps HTTP/JSON bodies within <see cref="HubLimitsOptions.MaxMessageBytes"/> (a declared length over it
/// is refused before anything is read), and gives gRPC's own refusal of an oversized message a readable
/// Chinese message with an ErrorInfo.
/// </summary>
internal sealed class MessageSizeMiddleware(RequestDelegate next, IOptions<HubLimitsOptions> options)
{
    private readonly int _maxBytes = options.Value.MaxMessageBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (GrpcErrorResponse.IsGrpc(context.Request))
        {
            await next(context);
            AddOversizedDetails(context);
            return;
        }

        if (context.Request.ContentLength > _maxBytes)
        {
            await LimitResponses.WriteJsonAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(context.Request.ContentLength.Value));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _maxBytes;
        }

        // A body without a declared length (chunked) is read here up to the limit: transcoding would
        // report the cut-off body as a malformed request (400) in English.
        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            var buffered = new MemoryStream();
            if (!await CopyWithinLimitAsync(context.Request.Body, buffered, context.RequestAborted))
            {
                await LimitResponses.WriteJsonAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(actual: null));
                return;
            }

            buffered.Position = 0;
            context.Request.Body = buffered;
            context.Request.ContentLength = buffered.Length;
        }

        await next(context);
    }

    // False as soon as the body proves longer than the limit; Kestrel's own limit (set above) stops it too.
    private async Task<bool> CopyWithinLimitAsync(Stream body, MemoryStream target, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (target.Length + read > _maxBytes)
                {
                    return false;
                }

                target.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }

        return true;
    }

    private Google.Rpc.Status TooLarge(long? actual) => LimitResponses.Status(
        Code.ResourceExhausted,
        actual is { } bytes
            ? $"请求内容过大（{LimitResponses.Size(bytes)}），单个请求不能超过{LimitResponses.Size(_maxBytes)}；材料请通过材料上传接口分块上传"
            : $"请求内容过大，单个请求不能超过{LimitResponses.Size(_maxBytes)}；材料请通过材料上传接口分块上传",
        LimitReasons.MessageTooLarge,
        new Dictionary<string, string> { ["max_bytes"] = _maxBytes.ToString(CultureInfo.InvariantCulture) });

    // gRPC refuses an oversized message itself with RESOURCE_EXHAUSTED and an English message. The status
    // is not yet sent when the pipeline returns here (in the headers of a trailers-only response, or in
    // the trailers): the Chinese message and the details go beside it.
    private void AddOversizedDetails(HttpContext context)
    {
        var target = !context.Response.HasStarted
            ? context.Response.Headers
            : context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (target is null || target.IsReadOnly
            || target["grpc-status"] != ((int)Code.ResourceExhausted).ToString(CultureInfo.InvariantCulture)
            || target.ContainsKey(LimitResponses.StatusDetailsHeader)
            || !Uri.UnescapeDataString(target["grpc-message"].ToString()).Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var status = TooLarge(actual: null);
        target["grpc-message"] = Uri.EscapeDataString(status.Message);
        target[LimitResponses.StatusDetailsHeader] = Convert.ToBase64String(status.ToByteArray());
    }
}

/// <summary>The limits' statuses and their HTTP/JSON form (gRPC refusals go through <see cref="GrpcErrorResponse"/>).</summary>
internal static class LimitResponses
{
    /// <summary>The trailer that carries a serialized google.rpc.Status.</summary>
    public const string StatusDetailsHeader = "grpc-status-details-bin";

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor, StatusReflection.Descriptor)));

    /// <summary>A google.rpc.Status with an ErrorInfo in the hub's domain.</summary>
    public static Google.Rpc.Status Status(Code code, string message, string reason, IReadOnlyDictionary<string, string>? metadata = null, TimeSpan? retryAfter = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorMappingInterceptor.Domain };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            info.Metadata[key] = value;
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        if (retryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status;
    }

    /// <summary>An HTTP/JSON error: the status code and the google.rpc.Status as JSON, as transcoding writes errors.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int httpStatus, Google.Rpc.Status status)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(Json.Format(status), context.RequestAborted);
    }

    /// <summary>Whole seconds for a Retry-After header: at least 1, rounded up.</summary>
    public static int RetryAfterSeconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds));

    /// <summary>A byte count as a reader says it (KB, MB).</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#}MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#}KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes}字节"),
    };
}
