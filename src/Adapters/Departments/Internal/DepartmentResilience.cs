using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OneThing.Adapters.Internal;

/// <summary>
/// Builds the one resilience pipeline of a department, named <c>{department}-adapter</c>:
/// total timeout → concurrency limiter → retry → circuit breaker → attempt timeout.
/// </summary>
/// <remarks>
/// The limiter sits inside the total timeout so that waiting for a permit counts against the call's
/// budget, and outside the retry so that one permit covers a whole exchange, backoff included: while
/// a department struggles, the hub does not add callers to it.
/// </remarks>
internal static class DepartmentResilience
{
    /// <summary>How many attempts the current execution has started.</summary>
    public static readonly ResiliencePropertyKey<int> AttemptsKey = new("onething.adapter.attempts");

    /// <summary>The last transient failure that was retried, described without personal data.</summary>
    public static readonly ResiliencePropertyKey<string> LastErrorKey = new("onething.adapter.last_error");

    public static string PipelineName(Department department) => $"{department.ToName()}-adapter";

    /// <summary>The transient-failure predicate of a department's transport.</summary>
    public static Func<Exception, bool> TransientPredicate(Department department, DepartmentAdapterOptions options) =>
        options.UsesGateway ? TransientFailures.IsTransientForGateway
        : department == Department.MarketRegulation ? TransientFailures.IsTransientForHttp
        : TransientFailures.IsTransientForNativeGrpc;

    public static void Configure(
        ResiliencePipelineBuilder builder,
        Department department,
        DepartmentAdapterOptions options,
        TimeProvider timeProvider,
        ILogger logger)
    {
        var isTransient = TransientPredicate(department, options);
        var departmentName = department.ToName();
        ValueTask<bool> ShouldHandle(Outcome<object> outcome) =>
            ValueTask.FromResult(outcome.Exception is { } exception && isTransient(exception));

        builder.TimeProvider = timeProvider;

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
                ShouldHandle = args => ShouldHandle(args.Outcome),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.TotalTimeout,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is TransientHttpStatusException { RetryAfter: { } retryAfter }
                        ? (TimeSpan?)(retryAfter < options.TotalTimeout ? retryAfter : options.TotalTimeout)
                        : null),
                OnRetry = args =>
                {
                    var error = FailureDescriptions.Describe(args.Outcome.Exception);
                    args.Context.Properties.Set(LastErrorKey, error);
                    Log.Retrying(logger, departmentName, args.AttemptNumber + 1, args.RetryDelay, args.Context.OperationKey, error);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            ShouldHandle = args => ShouldHandle(args.Outcome),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, departmentName, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(logger, departmentName);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
    }
}
