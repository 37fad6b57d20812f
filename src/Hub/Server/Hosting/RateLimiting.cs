using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Google.Rpc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OneThing.Hub.Grpc;

namespace OneThing.Hub.Hosting;

/// <summary>Registers ASP.NET Core's rate limiter with the hub's partitions per caller.</summary>
internal static class HubRateLimiting
{
    /// <summary>Adds the rate limiter; <see cref="HubLimitsExtensions.UseHubLimits"/> places it.</summary>
    public static IServiceCollection AddHubRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<CallerRateLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CallerRateLimits>((options, limits) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(limits.Partition);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = limits.OnRejectedAsync;
        });
        return services;
    }
}

/// <summary>
/// The partitions of the rate limiter: one token bucket per caller, chosen by who calls (the
/// authenticated subject with its most generous role's budget, else the peer IP address), and the
/// refusal each kind of client understands.
/// </summary>
internal sealed partial class CallerRateLimits(IOptions<HubLimitsOptions> options, TimeProvider time, ILogger<CallerRateLimits> logger)
{
    /// <summary>What a refused caller reads.</summary>
    public const string Message = "请求过于频繁，请稍后再试";

    // Health probes and reflection are the operators' and tools' view of the hub: never limited.
    private static readonly string[] ExemptPrefixes = ["/grpc.health.v1.Health/", "/grpc.reflection."];

    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly CallerRateLimitOptions _options = options.Value.RateLimit;
    private readonly ConcurrentDictionary<string, long> _lastLogged = new(StringComparer.Ordinal);

    /// <summary>The partition of one call: its caller's key and bucket.</summary>
    public RateLimitPartition<string> Partition(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (ExemptPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            return RateLimitPartition.GetNoLimiter("exempt");
        }

        var (key, budget) = CallerOf(context.User, context.Connection.RemoteIpAddress);
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(budget));
    }

    /// <summary>
    /// The caller's partition key and budget: <c>{budget}:{sub}</c> for an authenticated principal (the
    /// budget named after its most generous role with a budget, else <c>authenticated</c>), otherwise
    /// <c>ip:{address}</c>.
    /// </summary>
    public (string Key, RateBudget Budget) CallerOf(ClaimsPrincipal? user, IPAddress? peer)
    {
        if (user?.Identity?.IsAuthenticated == true
            && (user.FindFirst("sub") ?? user.FindFirst(ClaimTypes.NameIdentifier)) is { Value.Length: > 0 } subject)
        {
            var best = user.Claims
                .Where(c => c.Type is "roles" or "role" or ClaimTypes.Role)
                .Select(c => _options.Roles.TryGetValue(c.Value, out var budget) ? (Name: c.Value.ToLowerInvariant(), Budget: budget) : default)
                .Where(b => b.Budget is not null)
                .OrderByDescending(b => b.Budget.PermitsPerSecond)
                .ThenBy(b => b.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            return best.Budget is null
                ? ($"authenticated:{subject.Value}", _options.Authenticated)
                : ($"{best.Name}:{subject.Value}", best.Budget);
        }

        var address = peer is { IsIPv4MappedToIPv6: true } ? peer.MapToIPv4() : peer;
        return ($"ip:{address?.ToString() ?? "unknown"}", _options.Anonymous);
    }

    /// <summary>
    /// Refuses a call over its budget: RESOURCE_EXHAUSTED for gRPC (in a trailers-only response, with
    /// ErrorInfo RATE_LIMITED and RetryInfo), HTTP 429 with Retry-After and the same status as JSON otherwise.
    /// </summary>
    public async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) && delay > TimeSpan.Zero
            ? delay
            : TimeSpan.FromSeconds(1);
        var seconds = LimitResponses.RetryAfterSeconds(retryAfter);
        var status = LimitResponses.Status(
            Code.ResourceExhausted,
            $"{Message}（请于{seconds}秒后重试）",
            LimitReasons.RateLimited,
            new Dictionary<string, string> { ["retry_after_ms"] = ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) },
            retryAfter);

        var (key, _) = CallerOf(context.User, context.Connection.RemoteIpAddress);
        var now = time.GetTimestamp();
        var last = _lastLogged.GetOrAdd(key, 0);
        if (last == 0 || time.GetElapsedTime(last, now) >= LogEvery)
        {
            if (_lastLogged.Count > 10_000)
            {
                // Many distinct callers refused: forget the old ones rather than grow without end.
                _lastLogged.Clear();
            }

            _lastLogged[key] = now;
            LogRejected(key, context.Request.Path.Value ?? "?", retryAfter.TotalMilliseconds);
        }

        if (!GrpcErrorResponse.IsGrpc(context.Request))
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        // gRPC: a trailers-only response (HTTP 200), since gRPC clients read an HTTP 429 as a broken
        // transport; HTTP/JSON: 429 with the same status as JSON.
        await GrpcErrorResponse.WriteAsync(context, status);
    }

    // The partitioned limiter refills its buckets every 100 ms whatever their own period, so budgets of
    // 10/s or more refill per 100 ms, smaller ones one token at a time.
    private static TokenBucketRateLimiterOptions Bucket(RateBudget budget)
    {
        var perSecond = budget.PermitsPerSecond;
        var (period, tokens) = perSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), Math.Max(1, (int)Math.Round(perSecond / 10, MidpointRounding.AwayFromZero)))
            : (TimeSpan.FromSeconds(1 / perSecond), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = budget.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            // Refused at once: a queued gRPC call would only eat its deadline.
            QueueLimit = 0,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit reached by {Caller} on {Path}; refused with a retry delay of {RetryAfterMs} ms (logged at most every 10 s per caller)")]
    private partial void LogRejected(string caller, string path, double retryAfterMs);
}
