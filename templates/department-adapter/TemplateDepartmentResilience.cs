using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Contoso.DepartmentAdapter;

/// <summary>
/// Builds the adapter's resilience pipeline in the order the bundled adapters use:
/// total timeout → concurrency limiter → retry → circuit breaker → attempt timeout.
/// </summary>
/// <remarks>
/// The limiter sits inside the total timeout so waiting for a permit counts against the call's budget,
/// and outside the retry so one permit covers a whole exchange: a struggling department gets no more callers.
/// Only technical failures reach the retry: business answers are mapped to outcomes inside the attempt.
/// </remarks>
public static class TemplateDepartmentResilience
{
    /// <summary>Builds the pipeline from the options.</summary>
    public static ResiliencePipeline Build(TemplateDepartmentAdapterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var shouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout });
        builder.AddConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            QueueLimit = options.MaxConcurrency,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.TotalTimeout,
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            ShouldHandle = shouldHandle,
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            BreakDuration = options.BreakDuration,
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    /// <summary>Which failures are worth another attempt: network failures, attempt timeouts, HTTP 408, 429 and 5xx.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => IsTransientStatus(status),
        HttpRequestException => true,
        IOException => true,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Whether an HTTP status is technical and may be retried.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
